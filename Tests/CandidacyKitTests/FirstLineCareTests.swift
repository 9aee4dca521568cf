import Foundation
import Testing
@testable import CandidacyKit

/// Issue 6's promise on the shipped pack: a runner with no care tried gets exercise therapy first,
/// with its program, and the regenerative options say what care would open them; after an
/// adequate course exercise therapy no longer comes first.
@Suite struct FirstLineCareTests {
    static func evaluate(_ fixture: String) throws -> (PatientEvaluation, CompiledPack) {
        let root = CommandLineTests.root
        let pack = try CompiledPack(RulePackLoader.load(directory: root.appendingPathComponent("Rules").path))
        let loaded = try FixtureLoader.load(file: root.appendingPathComponent("Fixtures/\(fixture)").path, pack: pack)
        return (Evaluator(pack: pack).evaluate(loaded.patient), pack)
    }

    @Test func noCareTriedRecommendsExerciseTherapyWithItsProgram() throws {
        let (evaluation, pack) = try Self.evaluate("pfp-runner-no-exercise-therapy-yet.yaml")
        let first = try #require(evaluation.decisions.first)
        #expect(first.therapy == "exercise-therapy")
        #expect(first.tier == .recommended)
        #expect(first.program.map(\.name).prefix(5) == ["Clamshells", "Straight-leg raises", "Wall sits", "Side-lying leg lifts", "Foam rolling of the outer and front thigh"])
        #expect(!first.program.contains { $0.name.hasPrefix("Progressive tendon loading") })
        for therapy in ["prp", "stem-cell", "eswt"] {
            let decision = try #require(evaluation.decisions.first { $0.therapy == therapy })
            #expect(decision.tier == .ineligible)
        }
        for therapy in ["prp", "eswt"] {
            let decision = try #require(evaluation.decisions.first { $0.therapy == therapy })
            let link = try #require(decision.whatWouldChange.first)
            #expect(link.firstLine == "exercise-therapy")
            #expect(link.change?.hasPrefix("12 more weeks of conservative care") == true)
        }
        let text = TextReporter().render(evaluation, context: ReportContext(pack: pack))
        #expect(text.contains("   Program:\n     1. Clamshells: sets 2–3 · repetitions 12–15 per side\n"))
        #expect(text.contains("would meet eswt-failed-conservative-care (now none recorded); first-line option: exercise-therapy"))
    }

    /// First-line care stays first (CLINICAL.md, Revision 2): after an adequate course without
    /// benefit, exercise therapy is still recommended and listed above the second-line options.
    @Test func afterAnAdequateCourseExerciseTherapyStaysRecommendedAndFirst() throws {
        let (evaluation, _) = try Self.evaluate("pfp-runner-after-12-weeks-failed-exercise-therapy.yaml")
        #expect(evaluation.decisions.first?.therapy == "exercise-therapy")
        let exercise = try #require(evaluation.decisions.first { $0.therapy == "exercise-therapy" })
        #expect(exercise.tier == .recommended)
        #expect(!exercise.program.isEmpty)
        for therapy in ["prp", "eswt"] {
            #expect(evaluation.decisions.first { $0.therapy == therapy }?.tier == .consider)
        }
    }
}
