/// One small change to a rule pack, made to see whether any fixture notices it
/// (threshold mutation testing, `candidacy test --mutate`).
public struct Mutant: Sendable, Hashable, CustomStringConvertible {
    /// What the mutant changes.
    public enum Change: Sendable, Hashable {
        /// A condition of a rule rewritten: `path` picks the item of an `all:`/`any:`/`not:`
        /// condition (empty for a plain expression), `text` is the new expression.
        case condition(rule: String, path: [Int], text: String)
        /// A parameter's value replaced.
        case parameter(name: String, value: Value)
        /// A score or caution rule's points replaced.
        case points(rule: String, points: Int)
        /// An `exclude` rule turned into a `caution` worth 0 points.
        case excludeToCaution(rule: String)
    }

    /// The id of the therapy the change is in.
    public var therapy: String
    /// The change.
    public var change: Change
    /// Where the changed text is: the token of a condition, the parameter or the rule.
    public var location: SourceLocation
    /// What changed, such as `labs.platelet_count < params.min_platelet_count: '<' → '<='`.
    public var summary: String

    /// Creates a mutant.
    public init(therapy: String, change: Change, location: SourceLocation, summary: String) {
        self.therapy = therapy
        self.change = change
        self.location = location
        self.summary = summary
    }

    /// `file:line:column: summary`.
    public var description: String { "\(location): \(summary)" }
}
