/// What a lint check may need besides the pack.
public struct LintContext: Sendable {
    /// The date the pack is linted at: `--as-of`, else today.
    public var asOf: CivilDate

    /// Creates a context.
    public init(asOf: CivilDate) {
        self.asOf = asOf
    }
}
