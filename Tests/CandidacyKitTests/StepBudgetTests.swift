import Foundation
import Testing
@testable import CandidacyKit

/// Evaluation is bounded by the step budget whatever a patient's lists hold (issue 21): a
/// pathological condition stops with an error step, and a list-heavy patient is evaluated to
/// the end, every therapy decided.
@Suite struct StepBudgetTests {
    /// A list of `count` empty items, as JSON.
    static func patient(items count: Int) -> String {
        #"{"id":"big","as_of":"2026-10-02","diagnosis":"knee_osteoarthritis","conservative_care":["#
            + Array(repeating: "{}", count: count).joined(separator: ",") + "]}"
    }

    /// Each element against every element: 20,000 items would take 400 million steps.
    @Test func aQuadraticConditionStopsAtTheBudget() throws {
        let pack = try TestPack.compile(TestPack.therapy(rules: """
              - id: t-pairs
                kind: require
                title: Every pair of courses agrees
                when: 'conservative_care.all(a, conservative_care.all(b, a.treatment == b.treatment))'
            """))
        let patient = try PatientLoader.load(
            contents: Array(Self.patient(items: 20_000).utf8), file: "p.json", profile: pack.pack.profile)
        let decision = try #require(Evaluator(pack: pack).evaluate(patient).decisions.first)
        let step = try #require(decision.steps.first)
        #expect(step.error?.contains("evaluation exceeded \(ExpressionLimits.maximumEvaluationSteps) steps") == true)
        #expect(decision.tier == .needsData)
    }

    /// The shipped pack on 100,000 unknown items: every rule over the list either settles or
    /// stops at the budget, and each therapy still gets a tier and its missing fields.
    @Test func aListHeavyPatientIsEvaluatedToTheEnd() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let patient = try PatientLoader.load(
            contents: Array(Self.patient(items: 100_000).utf8), file: "p.json", profile: pack.pack.profile)
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        #expect(evaluation.decisions.count == pack.therapies.count)
        let stopped = evaluation.decisions.flatMap(\.steps).filter { $0.error?.contains("exceeded") == true }
        #expect(!stopped.isEmpty)
        for decision in evaluation.decisions {
            #expect(Tier.allCases.contains(decision.tier))
        }
    }
}
