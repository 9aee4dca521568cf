/// Whether one expectation of a fixture holds, and if not, every way it does not.
///
/// Its ``description`` is the line `candidacy test` prints for a failure, in the form editors
/// and CI annotate:
///
/// ```
/// Fixtures/x.yaml:12:3: eswt: expected tier recommended, got consider (score 4; deciding: eswt-a, eswt-b)
/// ```
public struct ExpectationResult: Sendable, Hashable, CustomStringConvertible {
    /// One way the decision differs from the expectation.
    public enum Mismatch: Sendable, Hashable, CustomStringConvertible {
        /// The therapy reached another tier.
        case tier(expected: Tier, actual: Tier)
        /// The therapy has another score.
        case score(expected: Int, actual: Int)
        /// A rule of `because` is not among the deciding rules; `outcome` is how its
        /// condition came out, `nil` when the therapy has no such rule.
        case notDeciding(rule: String, outcome: TruthValue?)
        /// The pack has no therapy with the expectation's id, so nothing was decided.
        case therapyNotEvaluated

        /// What was expected and what was found, such as `expected tier recommended, got consider`.
        public var description: String {
            switch self {
            case .tier(let expected, let actual):
                "expected tier \(expected.rawValue), got \(actual.rawValue)"
            case .score(let expected, let actual):
                "expected score \(expected), got \(actual)"
            case .notDeciding(let rule, .true?):
                "expected \(rule) among the deciding rules, but it was true and did not decide the tier"
            case .notDeciding(let rule, let outcome?):
                "expected \(rule) among the deciding rules, but it was \(outcome.rawValue)"
            case .notDeciding(let rule, nil):
                "expected \(rule) among the deciding rules, but the therapy has no such rule"
            case .therapyNotEvaluated:
                "expected a decision, but the pack has no such therapy"
            }
        }
    }

    /// The expectation checked.
    public var expectation: Fixture.Expectation
    /// The therapy's decision, or `nil` when the pack has no such therapy.
    public var decision: TherapyDecision?
    /// Every mismatch, in the order tier, score, `because` rules; empty when the expectation holds.
    public var mismatches: [Mismatch]

    /// Creates a result.
    public init(expectation: Fixture.Expectation, decision: TherapyDecision?, mismatches: [Mismatch]) {
        self.expectation = expectation
        self.decision = decision
        self.mismatches = mismatches
    }

    /// Whether the expectation holds.
    public var passed: Bool { mismatches.isEmpty }

    /// Where the expectation is written: its therapy id.
    public var location: SourceLocation { expectation.location }

    /// The therapy id, the mismatches and the actual decision, without the location:
    /// `eswt: expected tier recommended, got consider (score 4; deciding: eswt-a, eswt-b)`.
    /// For a result that passed: `eswt: as expected (tier consider; score 4; deciding: …)`.
    ///
    /// The part in parentheses gives what the mismatches do not already say: the actual tier
    /// and score, then the rules that decided the tier (`none` when no rule did).
    public var message: String {
        let subject = "\(expectation.therapy): "
        let found = mismatches.isEmpty ? "as expected" : mismatches.map(\.description).joined(separator: "; ")
        guard let decision else { return subject + found }
        var context: [String] = []
        if !mismatches.contains(where: { if case .tier = $0 { true } else { false } }) {
            context.append("tier \(decision.tier.rawValue)")
        }
        if !mismatches.contains(where: { if case .score = $0 { true } else { false } }) {
            context.append("score \(decision.score)")
        }
        let deciding = decision.deciding.isEmpty ? "none" : decision.deciding.joined(separator: ", ")
        context.append("deciding: \(deciding)")
        return "\(subject)\(found) (\(context.joined(separator: "; ")))"
    }

    /// `file:line:column: ` and the ``message``.
    public var description: String { "\(location): \(message)" }
}
