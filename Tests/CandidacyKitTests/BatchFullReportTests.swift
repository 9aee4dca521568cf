import Testing
@testable import CandidacyKit

/// A batch of full reports works out once what is the same for every patient — the change
/// phrases' plans (``ChangePlans``) and the report's escaped parts (``ReportFragments``) — and
/// must give exactly what evaluating and reporting each patient alone gives.
@Suite struct BatchFullReportTests {
    /// Every fixture: the same evaluation (what would change included) and the same report.
    @Test func fixturesGiveTheSameWithPlans() throws {
        let (pack, patients) = try JSONWriterTests.shipped()
        let planned = Evaluator(pack: pack, detail: .full, plansChanges: true)
        let plain = Evaluator(pack: pack)
        var suggestions = 0
        var entries = 0
        for patient in patients {
            let evaluation = planned.evaluate(patient)
            #expect(evaluation == plain.evaluate(patient), "\(patient.id)")
            for change in evaluation.decisions.flatMap(\.whatWouldChange) {
                suggestions += 1
                if change.change?.contains(" more ") == true || change.change?.contains(" with ") == true { entries += 1 }
            }
        }
        // The fixtures exercise the plans: orderings, and entries of lists (`6 more weeks of …`).
        #expect(suggestions > 50)
        #expect(entries > 5)
        #expect(!planned.changePlans.isEmpty)
    }

    /// A step's observed values, read from the patient's slots, are the record's values at
    /// those paths (or the therapy's parameter), on every fixture and every step and item.
    @Test func observedValuesAreTheRecordsValues() throws {
        let (pack, patients) = try JSONWriterTests.shipped()
        var checked = 0
        var nested = 0
        for patient in patients {
            for decision in Evaluator(pack: pack).evaluate(patient).decisions {
                let parameters = try #require(pack.therapies.first { $0.therapy.id == decision.therapy }).parameters
                func check(_ step: Step) {
                    for observed in step.values {
                        let parts = observed.path.split(separator: ".").map(String.init)
                        let expected = parts.first == "params"
                            ? parameters.value(atPath: Array(parts.dropFirst())) : patient.record.value(atPath: parts)
                        #expect(observed.value == expected, "\(patient.id) \(step.rule) \(observed.path)")
                        checked += 1
                        if parts.count > 1, parts.first != "params" { nested += 1 }
                    }
                    step.items.forEach(check)
                }
                decision.steps.forEach(check)
            }
        }
        #expect(checked > 1_000)
        #expect(nested > 50)
    }

    /// A batch's report line, written from the rules' verdicts (``FullReportLineWriter``), is
    /// the reporter's document of the patient's evaluation: on every fixture, at its date and at
    /// another.
    @Test func linesFromVerdictsAreTheReportersDocuments() throws {
        let (pack, patients) = try JSONWriterTests.shipped()
        var writer = Self.lineWriter(pack)
        let context = ReportContext(pack: pack)
        var unknown = 0
        for patient in patients {
            for date in [nil, CivilDate(year: 2031, month: 2, day: 28)] {
                let expected = JSONReporter(pretty: false).render(Evaluator(pack: pack).evaluate(patient, asOf: date), context: context)
                #expect(Self.line(patient, asOf: date, &writer) == expected, "\(patient.id)")
                unknown += expected.components(separatedBy: #" not recorded","#).count - 1
            }
        }
        // Unknown steps are written from their verdicts' missing fields. Which steps the writer
        // plans and which it builds is its own business: no test ties it to the shipped rules.
        #expect(unknown > 20)
    }

    /// 1,000 generated packs (compound conditions, errors, every kind of rule) and partial
    /// patients: the line written from the verdicts is the reporter's document.
    @Test func generatedLinesFromVerdictsAreTheReportersDocuments() {
        PropertyTests.check(seed: "n3Y0k9z4rQm2Yc1bq7Wl8fQ0gT6d5sVbJ1hZpXo2uAE=") { seed in
            guard case (var generator, let pack)? = PropertyTests.scenario(seed) else { return }
            var patient = generator.patient()
            for field in ScenarioGenerator.fields where generator.chance(0.3) { patient.record.fields[field] = nil }
            var writer = Self.lineWriter(pack)
            let expected = JSONReporter(pretty: false).render(Evaluator(pack: pack).evaluate(patient), context: ReportContext(pack: pack))
            #expect(Self.line(patient, asOf: nil, &writer) == expected, "seed \(seed)")
        }
    }

    static func lineWriter(_ pack: CompiledPack) -> FullReportLineWriter {
        FullReportLineWriter(
            evaluator: Evaluator(pack: pack, detail: .full, plansChanges: true),
            reporter: JSONReporter(pretty: false, fragments: ReportFragments(pack: pack)), context: ReportContext(pack: pack),
            therapies: nil)
    }

    static func line(_ patient: Patient, asOf date: CivilDate?, _ writer: inout FullReportLineWriter) -> String {
        var json = JSONWriter(pretty: false)
        var counts = [Int](repeating: 0, count: writer.evaluator.pack.therapies.count * Tier.allCases.count)
        writer.write(patient, asOf: date, slots: nil, into: &json, tierCounts: &counts)
        return String(decoding: json.takeBytes(), as: UTF8.self)
    }

    /// 1,000 generated packs and partial patients: the same evaluation and report with the
    /// batch's plans and parts as without.
    @Test func generatedCasesGiveTheSameWithPlans() {
        PropertyTests.check(seed: "oZYhwgp1bri097l95LLi/HouQIxutlHZQL1Iz8yzcYs=") { seed in
            guard case (var generator, let pack)? = PropertyTests.scenario(seed) else { return }
            var patient = generator.patient()
            for field in ScenarioGenerator.fields where generator.chance(0.3) { patient.record.fields[field] = nil }
            let evaluation = Evaluator(pack: pack, detail: .full, plansChanges: true).evaluate(patient)
            #expect(evaluation == Evaluator(pack: pack).evaluate(patient), "seed \(seed)")
            let context = ReportContext(pack: pack)
            let plain = JSONReporter(pretty: false).render(evaluation, context: context)
            #expect(JSONReporter(pretty: false, fragments: ReportFragments(pack: pack)).render(evaluation, context: context) == plain,
                    "seed \(seed)")
        }
    }
}
