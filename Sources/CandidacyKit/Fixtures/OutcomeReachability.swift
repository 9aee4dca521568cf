/// Which outcomes a condition can take at all, by a sound static approximation: an outcome
/// left out is proven impossible; one kept may still be impossible in ways the analysis does
/// not see.
///
/// - An expression that reads no patient field (only literals and `params`), tests no presence
///   and calls no date function has one outcome: the one it evaluates to (`unknown` if it cannot be evaluated).
/// - An expression without `has()` that comes out `true` or `false` with every patient field
///   absent always comes out that way: by CEL's unknown semantics, data cannot change a result
///   that did not depend on it (`params.flag && …` with the flag `false`).
/// - Otherwise `true` and `false` are reachable, and `unknown` too when the expression reads a
///   patient field outside `has()` (`has()` is never unknown) or calls a date function.
/// - `all:`, `any:` and `not:` combine their items' outcome sets by Kleene logic, treating the
///   items as independent (which can only keep outcomes, never drop a reachable one).
enum OutcomeReachability {
    /// The outcomes `condition` can take, in the order true, false, unknown.
    static func outcomes(of condition: CompiledCondition, parameters: Record) -> [TruthValue] {
        let set = reachable(condition, parameters: parameters)
        return TruthValue.allCases.filter { set.contains($0) }
    }

    private static func reachable(_ condition: CompiledCondition, parameters: Record) -> Set<TruthValue> {
        switch condition {
        case .expression(_, let expression):
            return reachable(expression, parameters: parameters)
        case .all(let items, _):
            let sets = items.map { reachable($0, parameters: parameters) }
            var result: Set<TruthValue> = []
            if sets.allSatisfy({ $0.contains(.true) }) { result.insert(.true) }
            if sets.contains(where: { $0.contains(.false) }) { result.insert(.false) }
            if sets.contains(where: { $0.contains(.unknown) }), sets.allSatisfy({ $0 != [.false] }) {
                result.insert(.unknown)
            }
            return result
        case .any(let items, _):
            let sets = items.map { reachable($0, parameters: parameters) }
            var result: Set<TruthValue> = []
            if sets.allSatisfy({ $0.contains(.false) }) { result.insert(.false) }
            if sets.contains(where: { $0.contains(.true) }) { result.insert(.true) }
            if sets.contains(where: { $0.contains(.unknown) }), sets.allSatisfy({ $0 != [.true] }) {
                result.insert(.unknown)
            }
            return result
        case .not(let item, _):
            return Set(reachable(item, parameters: parameters).map(\.negated))
        }
    }

    private static func reachable(_ expression: CompiledExpression, parameters: Record) -> Set<TruthValue> {
        let reads = Reads(expression.root)
        let activation = Activation(variables: ["params": .record(parameters)], asOf: nil)
        let constant = expression.evaluate(activation)
        if !reads.patientField, !reads.presenceTest, !reads.dateFunction {
            return [constant.boolValue.map { $0 ? TruthValue.true : .false } ?? .unknown]
        }
        if !reads.presenceTest, !reads.dateFunction, let value = constant.boolValue {
            return [value ? .true : .false]
        }
        var result: Set<TruthValue> = [.true, .false]
        if reads.patientField || reads.dateFunction { result.insert(.unknown) }
        return result
    }

    /// What an expression reads, found by one walk of its syntax tree.
    private struct Reads {
        /// A patient field outside `has()`.
        var patientField = false
        /// A `has()` test.
        var presenceTest = false
        /// `days_since`, `weeks_since` or `days_between`, which depend on the as-of date.
        var dateFunction = false

        init(_ root: ExpressionNode) {
            var bound: [String] = []
            visit(root, bound: &bound)
        }

        private mutating func visit(_ node: ExpressionNode, bound: inout [String]) {
            switch node.kind {
            case .identifier(let name):
                if name != "params", !bound.contains(name) { patientField = true }
            case .presenceTest(let operand, _):
                presenceTest = true
                if let operand, !Self.isPath(operand) { visit(operand, bound: &bound) }
            case .call(let function, let target, let arguments):
                if [.daysSince, .weeksSince, .daysBetween].contains(function) { dateFunction = true }
                if let target { visit(target, bound: &bound) }
                for argument in arguments { visit(argument, bound: &bound) }
            case .comprehension(let comprehension):
                visit(comprehension.range, bound: &bound)
                bound.append(comprehension.variable)
                if let second = comprehension.secondVariable { bound.append(second) }
                if let predicate = comprehension.predicate { visit(predicate, bound: &bound) }
                if let transform = comprehension.transform { visit(transform, bound: &bound) }
                bound.removeLast(comprehension.secondVariable == nil ? 1 : 2)
            default:
                for child in node.children { visit(child, bound: &bound) }
            }
        }

        /// Whether a node is a chain of field selections on a variable (read only for presence).
        private static func isPath(_ node: ExpressionNode) -> Bool {
            switch node.kind {
            case .identifier: true
            case .select(let operand, _): isPath(operand)
            default: false
            }
        }
    }
}
