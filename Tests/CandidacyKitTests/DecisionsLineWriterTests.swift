import Foundation
import Testing
@testable import CandidacyKit

/// A batch writes its decisions lines straight from the verdicts (``DecisionsLineWriter``): the
/// bytes must be those of ``BatchLine/decisions(_:line:)`` for the patient's evaluation.
@Suite struct DecisionsLineWriterTests {
    /// The line from the writer, and the line from the patient's evaluation.
    static func lines(
        _ patient: Patient, pack: CompiledPack, therapies: Set<String>?, asOf: CivilDate?, slots: SlotValues? = nil
    ) -> (written: [UInt8], expected: [UInt8]) {
        let evaluator = Evaluator(pack: pack, detail: .decisions)
        var writer = DecisionsLineWriter(evaluator: evaluator, therapies: therapies)
        var bytes = JSONBytes()
        var counts = [Int](repeating: 0, count: pack.therapies.count * Tier.allCases.count)
        // Twice through one writer: its buffers are reused from one patient to the next.
        for line in [7, 8] {
            writer.write(patient, asOf: asOf, slots: slots, line: line, into: &bytes, tierCounts: &counts)
        }
        let evaluation = evaluator.evaluate(patient, asOf: asOf, therapies: therapies)
        let expected = BatchLine.decisions(evaluation, line: 7) + BatchLine.decisions(evaluation, line: 8)
        // The counts are those of the decisions, twice over.
        var tally = [Int](repeating: 0, count: counts.count)
        for decision in evaluation.decisions {
            guard let therapy = pack.therapies.firstIndex(where: { $0.therapy.id == decision.therapy }),
                let tier = Tier.allCases.firstIndex(of: decision.tier)
            else { continue }
            tally[therapy * Tier.allCases.count + tier] += 2
        }
        #expect(counts == tally)
        return (bytes.bytes, expected)
    }

    /// Every fixture patient, with every therapy, each therapy alone, and none; at its own date
    /// and another; read by name and from the slots.
    @Test func fixturePatientsGiveTheEvaluationsLine() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let reader = JSONLineReader(profile: pack.pack.profile)
        let ids = pack.therapies.map(\.therapy.id)
        let filters: [Set<String>?] = [nil, []] + ids.map { [$0] } + [Set(ids.dropFirst())]
        var lines = 0
        for line in FastPatientReaderTests.fixtureLines {
            var values: [Value?] = []
            let patient = try Array(line.utf8).withUnsafeBufferPointer { buffer throws(DiagnosticError) in
                try reader.batchPatient(buffer, file: "c", number: 1, values: &values)
            }
            for filter in filters {
                for date in [patient.asOf, CivilDate(year: 2031, month: 2, day: 28), nil] {
                    let (written, expected) = Self.lines(patient, pack: pack, therapies: filter, asOf: date)
                    #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
                    lines += 1
                }
            }
            let slots = SlotValues(layout: pack.slots, profileValues: values)
            let (written, expected) = Self.lines(patient, pack: pack, therapies: nil, asOf: patient.asOf, slots: slots)
            #expect(written == expected, "\(line)")
        }
        #expect(lines > 500)
    }

    /// Generated packs (exclusions, requirements, scores and cautions of every kind, points of
    /// 0) and partial patients: the writer's line is the evaluation's.
    @Test func generatedCasesGiveTheEvaluationsLine() {
        PropertyTests.check(seed: "Lv0mYb4cX7m0Xy3mJ1q2dW5nT8rA6sE9uK2oP4iH7gQ=") { seed in
            guard case (var generator, let pack)? = PropertyTests.scenario(seed) else { return }
            var patient = generator.patient()
            for field in ScenarioGenerator.fields where generator.chance(0.3) { patient.record.fields[field] = nil }
            let (written, expected) = Self.lines(patient, pack: pack, therapies: nil, asOf: patient.asOf)
            #expect(written == expected, "seed \(seed)")
        }
    }

    /// A scoring rule of 0 points that holds decides nothing; one of some points does; a caution
    /// that holds is listed, one that does not is not. In the decision and in the line.
    @Test func zeroPointRulesDecideNothing() throws {
        let pack = try TestPack.compile(TestPack.therapy(rules: """
              - id: t-zero
                kind: score
                points: 0
                title: Holds, worth nothing
                when: age > 10
              - id: t-two
                kind: score
                points: 2
                title: Holds, worth two
                when: age > 20
              - id: t-caution-holds
                kind: caution
                points: -1
                title: Holds
                when: age > 30
              - id: t-caution-not
                kind: caution
                points: -1
                title: Does not hold
                when: age > 90
            """, recommended: 5, consider: 1))
        let patient = try TestPack.patient("age: 40\nas_of: 2026-11-27", pack: pack)
        let decision = try #require(Evaluator(pack: pack, detail: .decisions).evaluate(patient).decisions.first)
        #expect(decision.deciding == ["t-two", "t-caution-holds"])
        #expect(decision.cautions == ["t-caution-holds"])
        #expect(decision.score == 1)
        let (written, expected) = Self.lines(patient, pack: pack, therapies: nil, asOf: nil)
        #expect(written == expected)
        #expect(String(decoding: written, as: UTF8.self).contains(#""cautions":["t-caution-holds"],"deciding":["t-two","t-caution-holds"]}"#))
    }

    /// The tier counts are kept by `rank`, which must be the position in `allCases`.
    @Test func tierRankIsThePositionInAllCases() {
        #expect(Tier.allCases.map(\.rank) == Array(Tier.allCases.indices))
    }

    /// Dates are written as `description` writes them, four-digit years or not.
    @Test(arguments: [
        CivilDate(daysSinceEpoch: 0), CivilDate(daysSinceEpoch: -719_528), CivilDate(daysSinceEpoch: -800_000),
        CivilDate(daysSinceEpoch: 2_932_896), CivilDate(daysSinceEpoch: 2_932_897), CivilDate(daysSinceEpoch: 20_000),
        CivilDate(year: 2026, month: 12, day: 31), CivilDate(year: 9, month: 1, day: 9),
    ].compactMap { $0 })
    func datesAreWrittenAsTheirDescription(_ date: CivilDate) {
        var writer = JSONBytes()
        writer.date(date)
        var expected = JSONBytes()
        expected.string(date.description)
        #expect(writer.bytes == expected.bytes, "\(date.description)")
    }
}
