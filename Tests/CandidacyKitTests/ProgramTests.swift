import Foundation
import Testing
@testable import CandidacyKit

/// The `program:` block of a therapy file: loading, its errors (also as lint findings), and how
/// evaluate and the rule book show it.
@Suite struct ProgramTests {
    static func therapy(program: String) -> String {
        LoadingSupport.therapy + "\n" + program
    }

    static let good = """
        program:
          - name: Clamshells
            purpose: Strengthen the gluteus medius.
            dose: { sets: "2–3", repetitions: "12–15 per side" }
            diagnoses: [patellofemoral_pain]
            refs: [pmr-2022]
          - name: Education
            purpose: Explain the condition.
            dose: { note: once }
        """

    @Test func loadsItemsInOrderWithTheirDoses() throws {
        let pack = try LoadingSupport.pack([("profile.yaml", LoadingSupport.profile), ("t.yaml", Self.therapy(program: Self.good))])
        let program = try #require(pack.therapies.first?.program)
        #expect(program.map(\.name) == ["Clamshells", "Education"])
        #expect(program[0].dose.description == "sets 2–3 · repetitions 12–15 per side")
        #expect(program[0].diagnoses == ["patellofemoral_pain"])
        #expect(program[0].refs == ["pmr-2022"])
        #expect(program[0].applies(to: "patellofemoral_pain"))
        #expect(!program[0].applies(to: "knee_osteoarthritis"))
        #expect(!program[0].applies(to: nil))
        #expect(program[1].applies(to: nil))
        #expect(program[0].location == SourceLocation(file: "Rules/t.yaml", line: 14, column: 5))
    }

    static let errors: [(String, String, String)] = [
        ("unknown key", "program:\n  - { name: A, purpose: B., dose: { sets: '3' }, dosage: x }",
         "Rules/t.yaml:14:50: error: unknown key 'dosage' in program item; did you mean 'dose'?"),
        ("missing dose", "program:\n  - { name: A, purpose: B. }",
         "Rules/t.yaml:14:5: error: program item is missing required key 'dose'"),
        ("empty dose", "program:\n  - { name: A, purpose: B., dose: {} }",
         "Rules/t.yaml:14:35: error: dose is empty: expected at least one of sets, repetitions, hold, duration, frequency, note"),
        ("unknown dose key", "program:\n  - { name: A, purpose: B., dose: { reps: '3' } }",
         "Rules/t.yaml:14:37: error: unknown key 'reps' in dose; expected one of sets, repetitions, hold, duration, frequency, note"),
        ("empty program", "program: []",
         "Rules/t.yaml:13:10: error: program is empty: list at least one item, or leave program out"),
        ("not a list", "program: { name: A }",
         "Rules/t.yaml:13:10: error: expected a list of program items, found a mapping"),
        ("diagnosis not in the enum", "program:\n  - { name: A, purpose: B., dose: { sets: '3' }, diagnoses: [patelofemoral_pain] }",
         "Rules/t.yaml:14:62: error: unknown diagnosis 'patelofemoral_pain'"),
        ("unknown reference", "program:\n  - { name: A, purpose: B., dose: { sets: '3' }, refs: [pmr-2021] }",
         "Rules/t.yaml:14:57: error: unknown reference 'pmr-2021'"),
    ]

    @Test(arguments: errors)
    func reportsEachErrorAtItsLocation(_ label: String, _ program: String, _ expected: String) {
        let found = LoadingSupport.therapyErrors(Self.therapy(program: program))
        #expect(found.contains { $0.hasPrefix(expected) }, "\(label): got \(found)")
    }

    @Test(arguments: errors)
    func lintReportsEachErrorAsALoadError(_ label: String, _ program: String, _ expected: String) throws {
        let files = [("profile.yaml", LoadingSupport.profile), ("t.yaml", Self.therapy(program: program))]
            .map { PackFile(path: $0.0, contents: Array($0.1.utf8)) }
        let report = try Linter().lint(files: files, path: "Rules", asOf: #require(CivilDate(parsing: "2026-10-02")))
        #expect(report.fails(strict: false))
        #expect(report.findings.contains { $0.description.hasPrefix(expected) && ["load-error", "unknown-diagnosis"].contains($0.code) }, "\(label): got \(report.findings)")
    }

    @Test func evaluateShowsTheProgramForTheDiagnosisWhenRecommendedOrConsidered() throws {
        let therapy = """
            therapy: t
            title: Exercise
            version: 1.0.0
            references:
              r: { citation: "Source." }
            rules:
              - { id: t-yes, kind: score, points: 5, title: Always, when: 'has(diagnosis)' }
            tiers: { recommended: 5, consider: 2 }
            program:
              - { name: Clamshells, purpose: Hips., dose: { sets: "2–3" }, diagnoses: [patellofemoral_pain], refs: [r] }
              - { name: Loading, purpose: Tendon., dose: { note: progressive }, diagnoses: [patellar_tendinopathy], refs: [r] }
              - { name: Education, purpose: Everyone., dose: { note: once }, refs: [r] }
            """
        let pack = try TestPack.compile(therapy)
        let recommended = try TestPack.decide("diagnosis: patellofemoral_pain", pack)
        #expect(recommended.tier == .recommended)
        #expect(recommended.program.map(\.name) == ["Clamshells", "Education"])
        let notRecorded = try TestPack.decide("age: 40", pack)
        #expect(notRecorded.tier == .notRecommended)
        #expect(notRecorded.program.isEmpty)

        let patient = try TestPack.patient("diagnosis: patellar_tendinopathy", pack: pack)
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        let context = ReportContext(pack: pack)
        let text = TextReporter().render(evaluation, context: context)
        #expect(text.contains("   Program:\n     1. Loading: note progressive\n"))
        #expect(text.contains("     2. Education: note once\n"))
        let markdown = MarkdownReporter().render(evaluation, context: context)
        #expect(markdown.contains("**Program:**\n\n1. **Loading** (note progressive): Tendon."))
        let json = JSONReporter(pretty: false).render(evaluation, context: context)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let program = try #require((object["therapies"] as? [[String: Any]])?.first?["program"] as? [[String: Any]])
        #expect(program.map { $0["name"] as? String } == ["Loading", "Education"])
        #expect((program.first?["dose"] as? [String: String]) == ["note": "progressive"])
        let book = RuleBookRenderer().render(pack)
        #expect(book.contains("### Program"))
        #expect(book.contains("| 1 | Clamshells | Hips. | sets 2–3 |"))
    }

    @Test func theShippedRuleBookShowsTheExerciseProgram() throws {
        let book = try String(contentsOf: CommandLineTests.root.appendingPathComponent("docs/RULEBOOK.md"), encoding: .utf8)
        for item in ["Clamshells", "Straight-leg raises", "Wall sits", "Side-lying leg lifts", "Foam rolling", "Progressive tendon loading"] {
            #expect(book.contains(item))
        }
        #expect(book.contains("sets 2–3 · repetitions 12–15 per side"))
    }
}
