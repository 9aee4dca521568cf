/// Evaluates a parsed expression with CEL semantics, including errors and unknowns.
///
/// One evaluator serves one evaluation; ``CompiledExpression/evaluate(_:)`` creates it.
struct ExpressionEvaluator {
    /// A variable bound by a macro, with what is needed to name its attribute path lazily.
    private struct Binding {
        var name: String
        var value: Value
        /// The list iterated over, when the variable is one of its elements.
        var range: ExpressionNode?
        var index: Int
        /// How many bindings were in scope where `range` was evaluated.
        var scopeCount: Int
        /// The element's path (`conservative_care[3]`), made once per element when a field it
        /// lacks is first reported, then reused by the other fields.
        var path: String?
    }

    private let activation: Activation
    /// Whether an absent variable is unknown (checked expressions) rather than an error.
    private let absentIsUnknown: Bool
    private var steps = 0
    private var bindings: [Binding] = []

    init(activation: Activation, absentIsUnknown: Bool) {
        self.activation = activation
        self.absentIsUnknown = absentIsUnknown
    }

    // MARK: Helpers

    private static func error(_ message: String, _ node: ExpressionNode) -> EvaluationResult {
        .error(EvaluationError(message: message, offset: node.offset))
    }

    private static func noOverload(_ name: String, _ values: [Value], _ node: ExpressionNode) -> EvaluationResult {
        error("no matching overload for '\(name)' applied to (\(values.map(\.typeName).joined(separator: ", ")))", node)
    }

    /// Combines operands that are not all values: unknowns (merged) win over errors; else the first error.
    private static func absorb(_ results: EvaluationResult...) -> EvaluationResult? {
        var unknowns: Set<String>?
        var firstError: EvaluationResult?
        for result in results {
            switch result {
            case .unknown(let paths):
                // The first set is taken as it is; later ones are added to it in place.
                if unknowns == nil { unknowns = paths } else { unknowns?.formUnion(paths) }
            case .error: if firstError == nil { firstError = result }
            case .value: break
            }
        }
        if let unknowns { return .unknown(unknowns) }
        return firstError
    }

    private func lookupBinding(_ name: String, below limit: Int) -> Int? {
        var index = Swift.min(limit, bindings.count) - 1
        let length = name.utf8.count
        while index >= 0 {
            // Comparing lengths first skips String's slower comparison for most mismatches.
            if bindings[index].name.utf8.count == length, bindings[index].name == name { return index }
            index -= 1
        }
        return nil
    }

    private func variable(_ name: String) -> Value? {
        activation.variable(name)
    }

    /// Adds `cost` to the steps taken: the error to return once past the budget, else `nil`.
    private mutating func charge(_ cost: Int, _ node: ExpressionNode) -> EvaluationResult? {
        steps += Swift.min(cost, ExpressionLimits.maximumEvaluationSteps + 1)
        guard steps > ExpressionLimits.maximumEvaluationSteps else { return nil }
        return ExpressionEvaluator.error("evaluation exceeded \(ExpressionLimits.maximumEvaluationSteps) steps", node)
    }

    /// Charges the work an operation does on its operands beyond one step each: equality,
    /// `in`, `+`, ordering and functions take time proportional to the size of lists, maps and
    /// long strings, and values can share structure (`[a, a]`), so their size can grow
    /// exponentially in the steps that built them.
    private mutating func chargeOperands(_ values: [Value], _ node: ExpressionNode) -> EvaluationResult? {
        for value in values {
            if let exceeded = chargeOperand(value, node) { return exceeded }
        }
        return nil
    }

    private mutating func chargeOperands(_ a: Value, _ b: Value, _ node: ExpressionNode) -> EvaluationResult? {
        chargeOperand(a, node) ?? chargeOperand(b, node)
    }

    private mutating func chargeOperand(_ value: Value, _ node: ExpressionNode) -> EvaluationResult? {
        switch value {
        case .null, .bool, .int, .double, .date: return nil
        default:
            // A capped weight still takes the steps past the budget.
            let cost = value.weight(upTo: ExpressionLimits.maximumEvaluationSteps + 2 - steps) - 1
            return cost > 0 ? charge(cost, node) : nil
        }
    }

    // MARK: Evaluation

    mutating func evaluate(_ node: ExpressionNode) -> EvaluationResult {
        steps += 1
        if steps > ExpressionLimits.maximumEvaluationSteps {
            return ExpressionEvaluator.error("evaluation exceeded \(ExpressionLimits.maximumEvaluationSteps) steps", node)
        }
        switch node.kind {
        case .literal(let value):
            return .value(value)
        case .identifier(let name):
            if let index = lookupBinding(name, below: bindings.count) { return .value(bindings[index].value) }
            if let value = variable(name) { return .value(value) }
            if absentIsUnknown { return .unknown([name]) }
            return ExpressionEvaluator.error("undeclared reference to '\(name)'", node)
        case .select(let operand, let field):
            let base = evaluate(operand)
            guard case .value(let value) = base else { return base }
            return select(field, from: value, operand: operand, node: node)
        case .presenceTest(let operand, let field):
            guard let operand else {
                if lookupBinding(field, below: bindings.count) != nil { return .value(.bool(true)) }
                return .value(.bool(variable(field) != nil))
            }
            switch evaluate(operand) {
            case .unknown: return .value(.bool(false))
            case .error(let error): return .error(error)
            case .value(.record(let record)): return .value(.bool(record.field(field) != nil))
            case .value(.map(let entries)): return .value(.bool(Value.lookup(.string(field), in: entries) != nil))
            case .value(let other): return ExpressionEvaluator.error("has() needs an object or map, not \(other.typeName)", node)
            }
        case .index(let operand, let index):
            let base = evaluate(operand)
            let key = evaluate(index)
            guard case .value(let container) = base, case .value(let keyValue) = key else {
                return ExpressionEvaluator.absorb(base, key) ?? base
            }
            if let exceeded = chargeOperands(container, keyValue, node) { return exceeded }
            return self.index(container, keyValue, operand: operand, indexNode: index, node: node)
        case .call(let function, let target, let arguments):
            return call(function, target: target, arguments: arguments, node: node)
        case .unary(let op, let operand):
            let result = evaluate(operand)
            guard case .value(let value) = result else { return result }
            switch (op, value) {
            case (.not, .bool(let bool)): return .value(.bool(!bool))
            case (.negate, .int(let int)):
                let (negated, overflow) = Int64(0).subtractingReportingOverflow(int)
                return overflow ? ExpressionEvaluator.error("integer overflow", node) : .value(.int(negated))
            case (.negate, .double(let double)): return .value(.double(-double))
            default: return ExpressionEvaluator.noOverload(op.rawValue, [value], node)
            }
        case .binary(let op, let lhs, let rhs):
            let left = evaluate(lhs)
            let right = evaluate(rhs)
            guard case .value(let a) = left, case .value(let b) = right else {
                return ExpressionEvaluator.absorb(left, right) ?? left
            }
            if let exceeded = chargeOperands(a, b, node) { return exceeded }
            return ExpressionEvaluator.binary(op, a, b, node: node)
        case .and(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: false, node: node)
        case .or(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: true, node: node)
        case .conditional(let condition, let then, let otherwise):
            switch evaluate(condition) {
            case .value(.bool(true)): return evaluate(then)
            case .value(.bool(false)): return evaluate(otherwise)
            case .value(let other): return ExpressionEvaluator.noOverload("?:", [other], node)
            case let result: return result
            }
        case .list(let elements):
            var values: [Value] = []
            values.reserveCapacity(elements.count)
            var pending: EvaluationResult?
            for element in elements {
                let result = evaluate(element)
                if case .value(let value) = result {
                    values.append(value)
                } else {
                    pending = pending.flatMap { ExpressionEvaluator.absorb($0, result) } ?? result
                }
            }
            return pending ?? .value(.list(values))
        case .map(let entries):
            var values: [MapEntry] = []
            values.reserveCapacity(entries.count)
            var pending: EvaluationResult?
            for entry in entries {
                let key = evaluate(entry.key)
                let value = evaluate(entry.value)
                guard case .value(let keyValue) = key, case .value(let valueValue) = value else {
                    let problem = ExpressionEvaluator.absorb(key, value) ?? key
                    pending = pending.flatMap { ExpressionEvaluator.absorb($0, problem) } ?? problem
                    continue
                }
                switch keyValue {
                case .int, .string, .bool: break
                default: return ExpressionEvaluator.error("unsupported map key type \(keyValue.typeName)", entry.key)
                }
                if Value.lookup(keyValue, in: values) != nil {
                    return ExpressionEvaluator.error("repeated map key \(keyValue)", entry.key)
                }
                values.append(MapEntry(key: keyValue, value: valueValue))
            }
            return pending ?? .value(.map(values))
        case .comprehension(let comprehension):
            return evaluateComprehension(comprehension, node: node)
        }
    }

    /// `&&` (absorbing false) and `||` (absorbing true), commutative as CEL defines them.
    private mutating func logical(_ lhs: ExpressionNode, _ rhs: ExpressionNode, absorbing: Bool, node: ExpressionNode) -> EvaluationResult {
        let left = evaluate(lhs)
        if case .value(.bool(absorbing)) = left { return left }
        let right = evaluate(rhs)
        if case .value(.bool(absorbing)) = right { return right }
        if case .value(.bool) = left, case .value(.bool) = right { return .value(.bool(!absorbing)) }
        return ExpressionEvaluator.combineLogical(left, right, name: absorbing ? "||" : "&&", node: node)
    }

    private static func combineLogical(_ left: EvaluationResult, _ right: EvaluationResult, name: String, node: ExpressionNode) -> EvaluationResult {
        func normalised(_ result: EvaluationResult) -> EvaluationResult {
            if case .value(let value) = result, value.typeName != "bool" { return noOverload(name, [value], node) }
            return result
        }
        let a = normalised(left)
        let b = normalised(right)
        return absorb(a, b) ?? a
    }

    // MARK: Selection and indexing

    private mutating func select(_ field: String, from value: Value, operand: ExpressionNode, node: ExpressionNode) -> EvaluationResult {
        switch value {
        case .record(let record):
            if let found = record.field(field) { return .value(found) }
            let parent = describe(operand, scopeCount: bindings.count)
            return .unknown([parent.map { "\($0).\(field)" } ?? field])
        case .map(let entries):
            if let found = Value.lookup(.string(field), in: entries) { return .value(found) }
            return ExpressionEvaluator.error("no such key: '\(field)'", node)
        default:
            return ExpressionEvaluator.error("no such field '\(field)' on \(value.typeName)", node)
        }
    }

    private mutating func index(
        _ container: Value, _ key: Value, operand: ExpressionNode, indexNode: ExpressionNode, node: ExpressionNode
    ) -> EvaluationResult {
        switch (container, key) {
        case (.list(let items), .int(let position)):
            guard position >= 0, position < items.count else {
                return ExpressionEvaluator.error("index out of range: \(position) for a list of \(items.count)", indexNode)
            }
            return .value(items[Int(position)])
        case (.list(let items), .double(let position)):
            guard let exact = Int64(exactly: position) else {
                return ExpressionEvaluator.error("invalid_argument: list index \(position) is not an integer", indexNode)
            }
            return index(.list(items), .int(exact), operand: operand, indexNode: indexNode, node: node)
        case (.map(let entries), _):
            if let found = Value.lookup(key, in: entries) { return .value(found) }
            return ExpressionEvaluator.error("no such key: \(key)", indexNode)
        case (.record, .string(let field)):
            return select(field, from: container, operand: operand, node: node)
        default:
            return ExpressionEvaluator.noOverload("[]", [container, key], node)
        }
    }

    /// The attribute path of an expression, such as `conservative_care[0].weeks`, when it is rooted at a variable.
    private mutating func describe(_ node: ExpressionNode, scopeCount: Int) -> String? {
        switch node.kind {
        case .identifier(let name):
            guard let index = lookupBinding(name, below: scopeCount) else { return name }
            let binding = bindings[index]
            guard let range = binding.range else { return nil }
            if let path = binding.path { return path }
            let path = describe(range, scopeCount: binding.scopeCount).map { "\($0)[\(binding.index)]" }
            bindings[index].path = path
            return path
        case .select(let operand, let field):
            return describe(operand, scopeCount: scopeCount).map { "\($0).\(field)" }
        case .index(let operand, let indexNode):
            guard let base = describe(operand, scopeCount: scopeCount) else { return nil }
            switch evaluate(indexNode) {
            case .value(.int(let position)): return "\(base)[\(position)]"
            case .value(.string(let key)): return "\(base).\(key)"
            default: return nil
            }
        default:
            return nil
        }
    }

    // MARK: Operators

    /// Whether an ordering operator (`<`, `<=`, `>`, `>=`) holds for two values so ordered; never
    /// for unordered values (NaN).
    static func holds(_ op: BinaryOperator, _ ordering: Value.Ordering) -> Bool {
        switch (op, ordering) {
        case (_, .unordered): false
        case (.less, _): ordering == .less
        case (.lessOrEqual, _): ordering != .greater
        case (.greater, _): ordering == .greater
        default: ordering != .less
        }
    }

    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, node: ExpressionNode) -> EvaluationResult {
        switch op {
        case .equal: return .value(.bool(a.celEquals(b)))
        case .notEqual: return .value(.bool(!a.celEquals(b)))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let ordering = a.celCompare(b) else { return noOverload(op.rawValue, [a, b], node) }
            return .value(.bool(holds(op, ordering)))
        case .in:
            switch b {
            case .list(let items): return .value(.bool(items.contains { $0.celEquals(a) }))
            case .map(let entries): return .value(.bool(Value.lookup(a, in: entries) != nil))
            default: return noOverload("in", [a, b], node)
            }
        case .add:
            switch (a, b) {
            case (.int(let x), .int(let y)):
                let (sum, overflow) = x.addingReportingOverflow(y)
                return overflow ? error("integer overflow", node) : .value(.int(sum))
            case (.double(let x), .double(let y)): return .value(.double(x + y))
            case (.string(let x), .string(let y)): return .value(.string(x + y))
            case (.list(let x), .list(let y)): return .value(.list(x + y))
            default: return noOverload("+", [a, b], node)
            }
        case .subtract, .multiply:
            switch (a, b) {
            case (.int(let x), .int(let y)):
                let (result, overflow) = op == .subtract ? x.subtractingReportingOverflow(y) : x.multipliedReportingOverflow(by: y)
                return overflow ? error("integer overflow", node) : .value(.int(result))
            case (.double(let x), .double(let y)): return .value(.double(op == .subtract ? x - y : x * y))
            default: return noOverload(op.rawValue, [a, b], node)
            }
        case .divide, .remainder:
            switch (a, b) {
            case (.int(let x), .int(let y)):
                if y == 0 { return error(op == .divide ? "division by zero" : "modulus by zero", node) }
                let (result, overflow) = op == .divide ? x.dividedReportingOverflow(by: y) : x.remainderReportingOverflow(dividingBy: y)
                return overflow ? error("integer overflow", node) : .value(.int(result))
            case (.double(let x), .double(let y)) where op == .divide: return .value(.double(x / y))
            default: return noOverload(op.rawValue, [a, b], node)
            }
        }
    }

    // MARK: Functions

    private mutating func call(
        _ function: ExpressionFunction, target: ExpressionNode?, arguments: [ExpressionNode], node: ExpressionNode
    ) -> EvaluationResult {
        var values: [Value] = []
        values.reserveCapacity(arguments.count + 1)
        var pending: EvaluationResult?
        if let target {
            let result = evaluate(target)
            if case .value(let value) = result { values.append(value) } else { pending = result }
        }
        for argument in arguments {
            let result = evaluate(argument)
            if case .value(let value) = result {
                values.append(value)
            } else {
                pending = pending.flatMap { ExpressionEvaluator.absorb($0, result) } ?? result
            }
        }
        if let pending { return pending }
        if let exceeded = chargeOperands(values, node) { return exceeded }
        // matches() runs in time proportional to the pattern's size times the text's length.
        if case .matches = function, values.count == 2, case .string(let text) = values[0], case .string(let pattern) = values[1],
           let regex = try? LinearRegex(pattern, maximumSize: ExpressionLimits.maximumPatternSize),
           let exceeded = charge(regex.size * (text.unicodeScalars.count + 1), node) {
            return exceeded
        }
        return ExpressionEvaluator.apply(function, values, asOf: activation.asOf, node: node)
    }

    /// A function applied to evaluated arguments (the receiver first, for a receiver call): its
    /// entry of ``FunctionTable``.
    static func apply(_ function: ExpressionFunction, _ values: [Value], asOf: CivilDate?, node: ExpressionNode) -> EvaluationResult {
        // Only an unknown function has no entry.
        guard let entry = FunctionTable.entry(function) else {
            return ExpressionEvaluator.error("unbound function '\(function)'", node)
        }
        guard values.count == entry.form.operands else { return ExpressionEvaluator.noOverload(function.description, values, node) }
        switch entry.apply(values, asOf) {
        case .value(let value): return .value(value)
        case .error(let message): return ExpressionEvaluator.error(message, node)
        case .noOverload: return ExpressionEvaluator.noOverload(function.description, values, node)
        }
    }

    // MARK: Macros

    private mutating func evaluateComprehension(_ comprehension: Comprehension, node: ExpressionNode) -> EvaluationResult {
        let rangeResult = evaluate(comprehension.range)
        guard case .value(let range) = rangeResult else { return rangeResult }
        let twoVariables = comprehension.secondVariable != nil
        let items: [Value]
        let entries: [MapEntry]
        switch range {
        case .list(let list): (items, entries) = (list, [])
        case .map(let map): (items, entries) = ([], map)
        default:
            return ExpressionEvaluator.error("\(comprehension.kind.rawValue)() cannot iterate over \(range.typeName)", node)
        }
        let isList = entries.isEmpty
        let iterations = isList ? items.count : entries.count
        let scopeCount = bindings.count
        bindings.append(Binding(name: comprehension.variable, value: .null, range: nil, index: 0, scopeCount: scopeCount))
        if let second = comprehension.secondVariable {
            bindings.append(Binding(name: second, value: .null, range: nil, index: 0, scopeCount: scopeCount))
        }
        defer { bindings.removeLast(twoVariables ? 2 : 1) }
        let elementSlot = bindings.count - 1
        let firstSlot = twoVariables ? bindings.count - 2 : bindings.count - 1
        if isList { bindings[elementSlot].range = comprehension.range }

        // Unknowns and errors of the elements, gathered in place: linear in the elements.
        var gathered = GatheredOutcomes()
        var count = 0
        var collected: [Value] = []
        var collectedEntries: [MapEntry] = []
        for index in 0..<iterations {
            let pair: (Value, Value)
            if isList {
                pair = twoVariables ? (.int(Int64(index)), items[index]) : (items[index], .null)
            } else {
                pair = (entries[index].key, entries[index].value)
            }
            steps += 1
            if steps > ExpressionLimits.maximumEvaluationSteps {
                return ExpressionEvaluator.error("evaluation exceeded \(ExpressionLimits.maximumEvaluationSteps) steps", node)
            }
            bindings[firstSlot].value = pair.0
            if twoVariables { bindings[elementSlot].value = pair.1 }
            if isList {
                bindings[elementSlot].index = index
                bindings[elementSlot].path = nil
            }
            switch comprehension.kind {
            case .all, .exists:
                let absorbing = comprehension.kind == .exists
                guard let predicate = comprehension.predicate else { continue }
                let result = evaluate(predicate)
                if case .value(.bool(absorbing)) = result { return result }
                if case .value(.bool) = result { continue }
                if case .value(let value) = result {
                    gathered.add(ExpressionEvaluator.noOverload(absorbing ? "||" : "&&", [value], node))
                } else {
                    gathered.add(result)
                }
            case .existsOne, .filter, .map, .transformList, .transformMap:
                var keep = true
                if let predicate = comprehension.predicate {
                    switch evaluate(predicate) {
                    case .value(.bool(let bool)): keep = bool
                    case .value(let other):
                        gathered.add(ExpressionEvaluator.noOverload("predicate", [other], predicate))
                        continue
                    case let result:
                        gathered.add(result)
                        continue
                    }
                }
                guard keep else { continue }
                switch comprehension.kind {
                case .existsOne: count += 1
                case .filter: collected.append(pair.0)
                default:
                    guard let transform = comprehension.transform else { continue }
                    let result = evaluate(transform)
                    guard case .value(let value) = result else {
                        gathered.add(result)
                        continue
                    }
                    if comprehension.kind == .transformMap {
                        collectedEntries.append(MapEntry(key: pair.0, value: value))
                    } else {
                        collected.append(value)
                    }
                }
            }
        }
        switch comprehension.kind {
        case .all, .exists: return gathered.outcome ?? .value(.bool(comprehension.kind == .all))
        case .existsOne: return gathered.outcome ?? .value(.bool(count == 1))
        case .transformMap: return gathered.outcome ?? .value(.map(collectedEntries))
        default: return gathered.outcome ?? .value(.list(collected))
        }
    }
}

/// The unknowns and errors of a comprehension's elements, gathered in place as `absorb` would
/// combine them (any unknown wins, with every path; else the first error): adding an element's
/// outcome costs that outcome's size, not the size of all gathered so far.
private struct GatheredOutcomes {
    /// The elements' unknown paths as they came (duplicates included): made a set once, at its
    /// final size, rather than rehashed each time a growing set doubles.
    private var unknowns: [String] = []
    private var sawUnknown = false
    private var firstError: EvaluationResult?

    mutating func add(_ result: EvaluationResult) {
        switch result {
        case .unknown(let paths):
            sawUnknown = true
            unknowns.append(contentsOf: paths)
        case .error:
            if firstError == nil { firstError = result }
        case .value:
            break
        }
    }

    /// The combined outcome, or `nil` when every element gave a value.
    var outcome: EvaluationResult? {
        guard sawUnknown else { return firstError }
        var paths = Set<String>(minimumCapacity: unknowns.count)
        for path in unknowns { paths.insert(path) }
        return .unknown(paths)
    }
}

extension Value {
    /// An int or double as a double (0 for other values).
    var numericValue: Double {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: 0
        }
    }
}
