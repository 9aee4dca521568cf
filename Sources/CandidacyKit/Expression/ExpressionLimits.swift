/// The hard limits that keep a hostile or mistaken expression from exhausting memory,
/// the stack or time: past any of them, compiling or evaluating gives an error, never a crash.
public struct ExpressionLimits: Sendable {
    /// The longest expression accepted, in Unicode scalars.
    public static let maximumLength = 16_384

    /// How deeply parentheses, calls, list and map literals, unary operators and
    /// conditional (`?:`) branches may nest while parsing.
    public static let maximumNestingDepth = 128

    /// How deep the parsed syntax tree may be, counting chains of binary operators and
    /// field selections (`&&` and `||` chains are balanced, so they count logarithmically).
    public static let maximumTreeDepth = 384

    /// How many steps one evaluation may take: syntax-tree visits, comprehension iterations,
    /// and work proportional to the size of the lists, maps and long strings an operator or
    /// function reads (so that values grown by sharing, such as `[a, a]`, cannot hide work),
    /// including a regular expression's size times the length of the text it searches.
    public static let maximumEvaluationSteps = 1_000_000

    /// The most instructions the regular expression of one `matches()` may compile to
    /// (counted repetitions like `{100}` multiply it).
    public static let maximumPatternSize = 10_000

    private init() {}
}
