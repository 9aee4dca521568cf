import Foundation
import Testing
@testable import CandidacyKit

/// `Evaluator.Detail.decisions` skips what only reports show (steps, observed values, `because`
/// sentences, "what would change", programs) but must decide exactly as `.full` does.
@Suite struct DecisionsDetailTests {
    /// The compact fields of an evaluation, in ranked order.
    static func compact(_ evaluation: PatientEvaluation) -> [String] {
        evaluation.decisions.map { decision in
            "\(decision.therapy) \(decision.tier.rawValue) \(decision.score) \(decision.scoreRange) "
                + "provisional=\(decision.provisional) missing=\(decision.missing) cautions=\(decision.cautions) "
                + "deciding=\(decision.deciding)"
        }
    }

    @Test(arguments: FixtureSuiteTests.fixtureFiles)
    func decisionsMatchFullOnEveryFixture(_ file: String) throws {
        let pack = try FixtureSuiteTests.pack.get()
        let contents = try [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file)))
        let patient = try FixtureLoader.load(contents: contents, file: file, pack: pack).patient
        let full = Evaluator(pack: pack, detail: .full).evaluate(patient)
        let decisions = Evaluator(pack: pack, detail: .decisions).evaluate(patient)
        #expect(Self.compact(decisions) == Self.compact(full))
        #expect(decisions.patient == full.patient && decisions.asOf == full.asOf)
        for decision in decisions.decisions {
            #expect(decision.steps.isEmpty)
            #expect(decision.whatWouldChange.isEmpty && decision.program.isEmpty && decision.positions.isEmpty)
        }
        #expect(full.decisions.allSatisfy { !$0.steps.isEmpty })
    }

    @Test func fullStepsStillCarryValuesAndReasons() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let file = FixtureSuiteTests.fixtureFiles[0]
        let contents = try [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file)))
        let patient = try FixtureLoader.load(contents: contents, file: file, pack: pack).patient
        let full = Evaluator(pack: pack, detail: .full).evaluate(patient)
        let steps = full.decisions.flatMap(\.steps)
        #expect(steps.allSatisfy { !$0.because.isEmpty })
        #expect(steps.contains { !$0.values.isEmpty })
    }

    /// Unknown attribute paths inside macros and behind `params` are reported as before, in both modes.
    @Test(arguments: [Evaluator.Detail.full, .decisions])
    func unknownPathsAreReportedExactly(_ detail: Evaluator.Detail) throws {
        let pack = try TestPack.compile(TestPack.therapy(
            rules: """
              - id: care
                kind: require
                title: Care
                when: conservative_care.exists(c, c.weeks >= params.weeks)
              - id: labs
                kind: exclude
                title: Labs
                when: labs.platelet_count < 100 || age > 90
              - id: bmi
                kind: score
                points: 2
                title: BMI
                when: bmi > 30
            """,
            parameters: """
            parameters:
              weeks: { value: 6, unit: weeks, description: Weeks. }
            """))
        let patient = try TestPack.patient("""
            id: p
            as_of: 2026-01-01
            conservative_care: [{ treatment: physical_therapy }, { treatment: home_exercise, weeks: 2 }]
            labs: {}
            """, pack: pack)
        let decision = Evaluator(pack: pack, detail: detail).evaluate(patient).decisions[0]
        #expect(decision.tier == .needsData)
        #expect(decision.missing == ["age", "labs.platelet_count", "conservative_care[0].weeks", "bmi"])
        if detail == .full {
            #expect(decision.steps.map(\.missing) == [["age", "labs.platelet_count"], ["conservative_care[0].weeks"], ["bmi"]])
        }
        #expect(decision.deciding == ["labs", "care"])
        #expect(decision.scoreRange == 0...2)
    }

    /// Nested `all:`, `any:` and `not:` with unknown items and a failing item (division by zero):
    /// `.decisions` gathers outcomes and missing fields as `.full`'s compound steps do.
    static let compoundPatients = [
        "id: p\nas_of: 2026-01-01\n",
        "id: p\nas_of: 2026-01-01\nage: 40\n",
        "id: p\nas_of: 2026-01-01\nage: 40\nbmi: 31\n",
        "id: p\nas_of: 2026-01-01\nage: 0\nbmi: 20\nsymptom_weeks: 3\n",
        "id: p\nas_of: 2026-01-01\nage: 70\nbmi: 35\nsymptom_weeks: 30\nlabs: { platelet_count: 90 }\n",
    ]

    @Test(arguments: compoundPatients)
    func compoundConditionsDecideAsInFull(_ patientYAML: String) throws {
        let pack = try TestPack.compile(TestPack.therapy(rules: """
              - id: nested-exclusion
                kind: exclude
                title: Nested exclusion
                when:
                  all:
                    - age > 60
                    - any:
                        - labs.platelet_count < 100
                        - not: bmi < 30
              - id: failing-requirement
                kind: require
                title: Requirement that may fail
                when:
                  any:
                    - 100 / age > 1
                    - symptom_weeks >= 12
              - id: negated-score
                kind: score
                points: 3
                title: Negated score
                when:
                  not:
                    all:
                      - bmi >= 30
                      - symptom_weeks < 6
            """))
        let patient = try TestPack.patient(patientYAML, pack: pack)
        let full = Evaluator(pack: pack, detail: .full).evaluate(patient)
        let decisions = Evaluator(pack: pack, detail: .decisions).evaluate(patient)
        #expect(Self.compact(decisions) == Self.compact(full))
    }

    /// Ranking in place gives the order of sorting positions by tier, then score (higher
    /// first), then position: 2,000 random lists of up to 8 decisions, with many ties.
    @Test func rankingInPlaceIsTheSortedOrder() {
        var generator = SplitMix64(seed: 2026)
        let tiers: [Tier] = [.recommended, .consider, .needsData, .notRecommended, .ineligible, .contraindicated]
        for _ in 0..<2_000 {
            let count = Int(generator.next() % 9)
            var decisions = (0..<count).map { index in
                TherapyDecision(
                    therapy: "t\(index)", title: "", version: "1", tier: tiers[Int(generator.next() % 3) * 2],
                    score: Int(generator.next() % 3), scoreRange: 0...2, provisional: false, missing: [], cautions: [],
                    deciding: [], steps: [], tiers: Tiers(recommended: 2, consider: 1, location: SourceLocation(file: "p.yaml", line: 1, column: 1)))
            }
            let expected = decisions.indices.sorted { lhs, rhs in
                let (a, b) = (decisions[lhs], decisions[rhs])
                if a.tier != b.tier { return a.tier < b.tier }
                if a.score != b.score { return a.score > b.score }
                return lhs < rhs
            }.map { decisions[$0].therapy }
            Evaluator.rank(&decisions)
            #expect(decisions.map(\.therapy) == expected)
        }
    }

    /// The ranking's tie-break is pack order, as before the per-patient order table went away.
    @Test func equalTiersAndScoresKeepPackOrder() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let patient = try TestPack.patient("id: p\nas_of: 2026-01-01\n", pack: pack)
        let evaluation = Evaluator(pack: pack, detail: .decisions).evaluate(patient)
        let order = pack.therapies.map(\.therapy.id)
        for (lhs, rhs) in zip(evaluation.decisions, evaluation.decisions.dropFirst())
        where lhs.tier == rhs.tier && lhs.score == rhs.score {
            #expect(order.firstIndex(of: lhs.therapy) ?? 0 < order.firstIndex(of: rhs.therapy) ?? 0)
        }
    }
}
