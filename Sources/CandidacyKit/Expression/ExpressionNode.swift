/// A node of a parsed CEL expression, with the Unicode-scalar offset where it starts.
public struct ExpressionNode: Sendable, Hashable {
    /// Where the node starts, in Unicode scalars from the start of the text (for an operator
    /// call, the offset of the operator).
    public var offset: Int
    /// What the node is.
    public var kind: Kind

    /// Creates a node.
    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The kinds of node.
    public indirect enum Kind: Sendable, Hashable {
        /// A literal: int, double, string, bool or null.
        case literal(Value)
        /// A variable: a patient field, `params`, or a variable bound by a macro.
        case identifier(String)
        /// `operand.field`.
        case select(ExpressionNode, field: String)
        /// `has(operand.field)`, or `has(field)` for a top-level patient field (`operand` nil).
        case presenceTest(ExpressionNode?, field: String)
        /// `operand[index]`.
        case index(ExpressionNode, ExpressionNode)
        /// A function call, `name(args)`, or a receiver call, `target.name(args)`.
        case call(ExpressionFunction, target: ExpressionNode?, arguments: [ExpressionNode])
        /// `-operand` or `!operand`.
        case unary(UnaryOperator, ExpressionNode)
        /// A binary operator other than `&&` and `||`.
        case binary(BinaryOperator, ExpressionNode, ExpressionNode)
        /// `lhs && rhs`.
        case and(ExpressionNode, ExpressionNode)
        /// `lhs || rhs`.
        case or(ExpressionNode, ExpressionNode)
        /// `condition ? then : else`.
        case conditional(ExpressionNode, ExpressionNode, ExpressionNode)
        /// `[a, b, …]`.
        case list([ExpressionNode])
        /// `{k: v, …}`.
        case map([MapLiteralEntry])
        /// A macro: `all`, `exists`, `exists_one`, `map`, `filter` and the two-variable forms.
        case comprehension(Comprehension)
    }
}

/// One `key: value` of a map literal.
public struct MapLiteralEntry: Sendable, Hashable {
    /// The key expression.
    public var key: ExpressionNode
    /// The value expression.
    public var value: ExpressionNode

    /// Creates an entry.
    public init(key: ExpressionNode, value: ExpressionNode) {
        self.key = key
        self.value = value
    }
}

/// `-` and `!`.
public enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-"
    case not = "!"
}

/// The binary operators other than `&&` and `||`, which have their own nodes.
public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case `in` = "in"

    /// Whether the operator orders its operands (`<`, `<=`, `>`, `>=`).
    var isOrdering: Bool {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }
}

/// A function known to the evaluator, resolved when parsing.
public enum ExpressionFunction: Sendable, Hashable, CustomStringConvertible {
    /// `size(x)` and `x.size()`: the length of a string (in code points), list or map;
    /// `x.contains(s)`, `x.startsWith(s)`, `x.endsWith(s)`, `x.matches(re)` on strings.
    case size, contains, startsWith, endsWith, matches
    /// `days_since(d)`, `weeks_since(d)` (to the as-of date) and `days_between(a, b)`, all ints.
    case daysSince, weeksSince, daysBetween
    /// `max(list)`, `min(list)` and `sum(list)` over ints or doubles.
    case max, min, sum
    /// A function this engine does not provide; checking reports it, evaluating gives an error.
    case unknown(String)

    /// The functions by the name written in expressions.
    static let byName: [String: ExpressionFunction] = [
        "size": .size, "contains": .contains, "startsWith": .startsWith, "endsWith": .endsWith,
        "matches": .matches, "days_since": .daysSince, "weeks_since": .weeksSince,
        "days_between": .daysBetween, "max": .max, "min": .min, "sum": .sum,
    ]

    /// The function with the given name.
    init(name: String) {
        self = ExpressionFunction.byName[name] ?? .unknown(name)
    }

    /// The name written in expressions.
    public var description: String {
        switch self {
        case .size: "size"
        case .contains: "contains"
        case .startsWith: "startsWith"
        case .endsWith: "endsWith"
        case .matches: "matches"
        case .daysSince: "days_since"
        case .weeksSince: "weeks_since"
        case .daysBetween: "days_between"
        case .max: "max"
        case .min: "min"
        case .sum: "sum"
        case .unknown(let name): name
        }
    }
}

/// A macro call after expansion: iterate over `range`, binding one or two variables.
public struct Comprehension: Sendable, Hashable {
    /// Which macro.
    public enum Kind: String, Sendable, Hashable {
        case all, exists, existsOne, map, filter, transformList, transformMap
    }

    /// Which macro.
    public var kind: Kind
    /// The list or map iterated over.
    public var range: ExpressionNode
    /// The variable bound to each element (list) or key (map); with two variables, the index or key.
    public var variable: String
    /// The second variable of the two-variable forms: the element (list) or value (map).
    public var secondVariable: String?
    /// The predicate of `all`, `exists`, `exists_one` and `filter`, or the filter of three-argument `map`.
    public var predicate: ExpressionNode?
    /// The transform of `map`, `transformList` and `transformMap`.
    public var transform: ExpressionNode?

    /// Creates a comprehension.
    public init(
        kind: Kind, range: ExpressionNode, variable: String, secondVariable: String?,
        predicate: ExpressionNode?, transform: ExpressionNode?
    ) {
        self.kind = kind
        self.range = range
        self.variable = variable
        self.secondVariable = secondVariable
        self.predicate = predicate
        self.transform = transform
    }
}

extension ExpressionNode {
    /// The attribute path the node names when it is a chain of field selections rooted at a
    /// variable (`labs.platelet_count`): `nil` for any other node, or when the root is one of
    /// `bound` (a macro's variable) or not a variable by `isVariable`.
    func selectionPath(bound: [String], isVariable: (String) -> Bool = { _ in true }) -> String? {
        switch kind {
        case .identifier(let name): (bound.contains(name) || !isVariable(name)) ? nil : name
        case .select(let operand, let field): operand.selectionPath(bound: bound, isVariable: isVariable).map { "\($0).\(field)" }
        default: nil
        }
    }
}
