/// Checks fixtures against a compiled pack: evaluates each fixture's patient at the fixture's
/// own `as_of` and compares every expectation with the therapy's decision.
///
/// A value type with value results, the core of `candidacy test`; use one from any number of
/// threads.
public struct FixtureRunner: Sendable {
    /// The pack the fixtures run against.
    public let pack: CompiledPack

    /// Creates a runner for a compiled pack.
    public init(pack: CompiledPack) {
        self.pack = pack
    }

    /// Runs one fixture: evaluates its patient, as of the patient's `as_of`, for every therapy
    /// of the pack, and checks each expectation in file order.
    public func run(_ fixture: Fixture) -> FixtureResult {
        let evaluation = Evaluator(pack: pack).evaluate(fixture.patient, asOf: fixture.asOf)
        let results = fixture.expectations.map { expectation in
            Self.check(expectation, against: evaluation.decisions.first { $0.therapy == expectation.therapy })
        }
        return FixtureResult(fixture: fixture, evaluation: evaluation, expectations: results)
    }

    /// Compares one expectation with the decision for its therapy (`nil` when the pack has
    /// no such therapy): the tier, the score, then each rule of `because` in order.
    public static func check(_ expectation: Fixture.Expectation, against decision: TherapyDecision?) -> ExpectationResult {
        guard let decision else {
            return ExpectationResult(expectation: expectation, decision: nil, mismatches: [.therapyNotEvaluated])
        }
        var mismatches: [ExpectationResult.Mismatch] = []
        if let tier = expectation.tier, tier != decision.tier {
            mismatches.append(.tier(expected: tier, actual: decision.tier))
        }
        if let score = expectation.score, score != decision.score {
            mismatches.append(.score(expected: score, actual: decision.score))
        }
        for rule in expectation.because where !decision.deciding.contains(rule) {
            let outcome = decision.steps.first { $0.rule == rule }?.outcome
            mismatches.append(.notDeciding(rule: rule, outcome: outcome))
        }
        return ExpectationResult(expectation: expectation, decision: decision, mismatches: mismatches)
    }
}

extension FixtureRunner {
    /// Runs every fixture of a suite, in order.
    public func run(_ suite: FixtureSuite) -> SuiteResult {
        SuiteResult(fixtures: suite.fixtures.map { run($0) })
    }
}
