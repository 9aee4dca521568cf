@testable import CandidacyKit

/// A deliberately plain evaluator of the CEL subset the differential test generates, kept in
/// the tests as the semantics every engine path must give (issue 22): one recursive walk of the
/// parsed syntax tree, three-valued `&&`/`||` as CEL defines them (an absorbing value wins, then
/// any unknown with all its fields, then the first error), unknown fields named by their path,
/// and its own arithmetic, comparisons and functions: nothing of the engine's evaluators is used.
///
/// It covers what ``DifferentialTests`` generates (ints, doubles, strings, bools and dates,
/// records and lists of records, `params`, `has()`, the macros, the date and list functions):
/// it is a reference for that grammar, not a second engine.
struct ReferenceEvaluator {
    /// An outcome: a value, unknown with the paths of the fields that would settle it, or an
    /// error (any error: messages are the engine's business).
    enum Outcome: Equatable, CustomStringConvertible {
        case value(Value)
        case unknown(Set<String>)
        case error

        var description: String {
            switch self {
            case .value(let value): "value(\(value))"
            case .unknown(let paths): "unknown(\(paths.sorted()))"
            case .error: "error"
            }
        }
    }

    let record: Record
    let params: Record
    let asOf: CivilDate?
    /// The macro variables in scope, innermost last, each with its element's path.
    private var scopes: [(name: String, value: Value, path: String?)] = []

    init(record: Record, params: Record, asOf: CivilDate?) {
        self.record = record
        self.params = params
        self.asOf = asOf
    }

    /// Unknowns win over errors; among errors, any one.
    static func combine(_ outcomes: [Outcome]) -> Outcome? {
        var unknown: Set<String>?
        var failed = false
        for outcome in outcomes {
            switch outcome {
            case .unknown(let paths): unknown = (unknown ?? []).union(paths)
            case .error: failed = true
            case .value: break
            }
        }
        if let unknown { return .unknown(unknown) }
        return failed ? .error : nil
    }

    /// The path a field read through `node` is reported by, as the engine names it.
    func path(_ node: ExpressionNode) -> String? {
        switch node.kind {
        case .identifier(let name):
            if let scope = scopes.last(where: { $0.name == name }) { return scope.path }
            return name
        case .select(let operand, let field):
            return path(operand).map { "\($0).\(field)" }
        default:
            return nil
        }
    }

    mutating func evaluate(_ node: ExpressionNode) -> Outcome {
        switch node.kind {
        case .literal(let value):
            return .value(value)
        case .identifier(let name):
            if let scope = scopes.last(where: { $0.name == name }) { return .value(scope.value) }
            if name == "params" { return .value(.record(params)) }
            if let value = record.field(name) { return .value(value) }
            return .unknown([name])
        case .select(let operand, let field):
            let base = evaluate(operand)
            guard case .value(let value) = base else { return base }
            guard case .record(let fields) = value else { return .error }
            if let found = fields.field(field) { return .value(found) }
            return .unknown([path(operand).map { "\($0).\(field)" } ?? field])
        case .presenceTest(let operand, let field):
            guard let operand else {
                return .value(.bool(scopes.contains { $0.name == field } || record.field(field) != nil))
            }
            switch evaluate(operand) {
            case .unknown: return .value(.bool(false))
            case .error: return .error
            case .value(.record(let fields)): return .value(.bool(fields.field(field) != nil))
            case .value: return .error
            }
        case .unary(let op, let operand):
            let result = evaluate(operand)
            guard case .value(let value) = result else { return result }
            switch (op, value) {
            case (.not, .bool(let bool)): return .value(.bool(!bool))
            case (.negate, .int(let int)): return int == .min ? .error : .value(.int(-int))
            case (.negate, .double(let double)): return .value(.double(-double))
            default: return .error
            }
        case .and(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: false)
        case .or(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: true)
        case .conditional(let condition, let then, let otherwise):
            switch evaluate(condition) {
            case .value(.bool(true)): return evaluate(then)
            case .value(.bool(false)): return evaluate(otherwise)
            case .value: return .error
            case let other: return other
            }
        case .binary(let op, let lhs, let rhs):
            let left = evaluate(lhs)
            let right = evaluate(rhs)
            guard case .value(let a) = left, case .value(let b) = right else { return Self.combine([left, right]) ?? .error }
            return Self.binary(op, a, b)
        case .list(let elements):
            let outcomes = elements.map { evaluate($0) }
            if let problem = Self.combine(outcomes) { return problem }
            return .value(.list(outcomes.compactMap { if case .value(let value) = $0 { value } else { nil } }))
        case .call(let function, let target, let arguments):
            let outcomes = (target.map { [$0] } ?? []).map { evaluate($0) } + arguments.map { evaluate($0) }
            if let problem = Self.combine(outcomes) { return problem }
            let values = outcomes.compactMap { if case .value(let value) = $0 { value } else { nil } }
            return apply(function, values)
        case .comprehension(let comprehension):
            return macro(comprehension)
        case .index, .map:
            return .error  // not generated
        }
    }

    private mutating func logical(_ lhs: ExpressionNode, _ rhs: ExpressionNode, absorbing: Bool) -> Outcome {
        let left = evaluate(lhs)
        if left == .value(.bool(absorbing)) { return left }
        let right = evaluate(rhs)
        if right == .value(.bool(absorbing)) { return right }
        func normal(_ outcome: Outcome) -> Outcome {
            if case .value(let value) = outcome, case .bool = value { return outcome }
            if case .value = outcome { return .error }
            return outcome
        }
        let (a, b) = (normal(left), normal(right))
        return Self.combine([a, b]) ?? a
    }

    /// Two numbers to order, int and double alike (CEL orders them across types).
    static func numbers(_ a: Value, _ b: Value) -> (Double, Double)? {
        switch (a, b) {
        case (.int(let x), .int(let y)): (Double(x), Double(y))
        case (.double(let x), .double(let y)): (x, y)
        case (.int(let x), .double(let y)): (Double(x), y)
        case (.double(let x), .int(let y)): (x, Double(y))
        default: nil
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): Double(x) == y
        case (.string(let x), .string(let y)): Array(x.unicodeScalars) == Array(y.unicodeScalars)
        case (.bool(let x), .bool(let y)): x == y
        case (.date(let x), .date(let y)): x.daysSinceEpoch == y.daysSinceEpoch
        case (.null, .null): true
        default: false
        }
    }

    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Outcome {
        switch op {
        case .equal: return .value(.bool(equal(a, b)))
        case .notEqual: return .value(.bool(!equal(a, b)))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let ordered: (Double, Double)?
            switch (a, b) {
            case (.string(let x), .string(let y)):
                let (l, r) = (Array(x.unicodeScalars.map(\.value)), Array(y.unicodeScalars.map(\.value)))
                let less = l.lexicographicallyPrecedes(r)
                let same = l == r
                ordered = (less ? 0 : same ? 1 : 2, 1)
            case (.date(let x), .date(let y)): ordered = (Double(x.daysSinceEpoch), Double(y.daysSinceEpoch))
            default: ordered = numbers(a, b)
            }
            guard let (x, y) = ordered else { return .error }
            switch op {
            case .less: return .value(.bool(x < y))
            case .lessOrEqual: return .value(.bool(x <= y))
            case .greater: return .value(.bool(x > y))
            default: return .value(.bool(x >= y))
            }
        case .in:
            guard case .list(let items) = b else { return .error }
            return .value(.bool(items.contains { equal($0, a) }))
        case .add, .subtract, .multiply, .divide, .remainder:
            switch (a, b) {
            case (.int(let x), .int(let y)):
                let result: (Int64, Bool)
                switch op {
                case .add: result = x.addingReportingOverflow(y)
                case .subtract: result = x.subtractingReportingOverflow(y)
                case .multiply: result = x.multipliedReportingOverflow(by: y)
                case .divide: if y == 0 { return .error }; result = x.dividedReportingOverflow(by: y)
                default: if y == 0 { return .error }; result = x.remainderReportingOverflow(dividingBy: y)
                }
                return result.1 ? .error : .value(.int(result.0))
            case (.double(let x), .double(let y)):
                switch op {
                case .add: return .value(.double(x + y))
                case .subtract: return .value(.double(x - y))
                case .multiply: return .value(.double(x * y))
                case .divide: return .value(.double(x / y))
                default: return .error
                }
            default:
                return .error
            }
        }
    }

    func apply(_ function: ExpressionFunction, _ values: [Value]) -> Outcome {
        switch (function, values.first, values.count > 1 ? values[1] : nil) {
        case (.size, .list(let items)?, nil): return .value(.int(Int64(items.count)))
        case (.size, .string(let text)?, nil): return .value(.int(Int64(text.unicodeScalars.count)))
        case (.daysSince, .date(let date)?, nil):
            guard let asOf else { return .error }
            return .value(.int(Int64(asOf.daysSinceEpoch - date.daysSinceEpoch)))
        case (.weeksSince, .date(let date)?, nil):
            guard let asOf else { return .error }
            let days = asOf.daysSinceEpoch - date.daysSinceEpoch
            return .value(.int(Int64((Double(days) / 7).rounded(.down))))
        case (.daysBetween, .date(let from)?, .date(let to)?):
            return .value(.int(Int64(to.daysSinceEpoch - from.daysSinceEpoch)))
        case (.sum, .list(let items)?, nil):
            if items.allSatisfy({ if case .int = $0 { true } else { false } }) {
                var total: Int64 = 0
                for case .int(let value) in items {
                    let (next, overflow) = total.addingReportingOverflow(value)
                    if overflow { return .error }
                    total = next
                }
                return .value(.int(total))
            }
            guard let doubles = Self.doubles(items) else { return .error }
            return .value(.double(doubles.reduce(0, +)))
        case (.max, .list(let items)?, nil), (.min, .list(let items)?, nil):
            guard !items.isEmpty, let doubles = Self.doubles(items) else { return .error }
            let best = function == .max ? doubles.max() ?? 0 : doubles.min() ?? 0
            if items.allSatisfy({ if case .int = $0 { true } else { false } }) { return .value(.int(Int64(best))) }
            return .value(.double(best))
        default:
            return .error
        }
    }

    static func doubles(_ items: [Value]) -> [Double]? {
        var out: [Double] = []
        for item in items {
            switch item {
            case .int(let value): out.append(Double(value))
            case .double(let value): out.append(value)
            default: return nil
            }
        }
        return out
    }

    private mutating func macro(_ comprehension: Comprehension) -> Outcome {
        let range = evaluate(comprehension.range)
        guard case .value(let value) = range else { return range }
        guard case .list(let items) = value, comprehension.secondVariable == nil else { return .error }
        let base = path(comprehension.range)
        var problems: [Outcome] = []
        var count = 0
        var collected: [Value] = []
        for (index, item) in items.enumerated() {
            scopes.append((comprehension.variable, item, base.map { "\($0)[\(index)]" }))
            defer { scopes.removeLast() }
            var keep = true
            if let predicate = comprehension.predicate {
                let result = evaluate(predicate)
                switch (comprehension.kind, result) {
                case (.exists, .value(.bool(true))): return .value(.bool(true))
                case (.all, .value(.bool(false))): return .value(.bool(false))
                case (_, .value(.bool(let bool))): keep = bool
                case (_, .value): problems.append(.error); continue
                default: problems.append(result); continue
                }
            }
            switch comprehension.kind {
            case .existsOne: if keep { count += 1 }
            case .filter: if keep { collected.append(item) }
            case .map, .transformList:
                guard keep, let transform = comprehension.transform else { continue }
                let result = evaluate(transform)
                if case .value(let mapped) = result { collected.append(mapped) } else { problems.append(result) }
            default: break
            }
        }
        if let problem = Self.combine(problems) { return problem }
        switch comprehension.kind {
        case .all: return .value(.bool(true))
        case .exists: return .value(.bool(false))
        case .existsOne: return .value(.bool(count == 1))
        default: return .value(.list(collected))
        }
    }
}
