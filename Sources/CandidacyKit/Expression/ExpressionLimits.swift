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

    /// How many syntax-tree visits and comprehension iterations one evaluation may take.
    public static let maximumEvaluationSteps = 1_000_000

    private init() {}
}
