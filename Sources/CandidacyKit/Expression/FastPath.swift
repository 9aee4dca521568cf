/// A checked expression compiled once into nested closures that evaluate the common case fast:
/// every operand a value, no unknown and no error.
///
/// Its evaluation gives a value only where the tree walker (``ExpressionEvaluator``) would give
/// the same value; on anything else (an absent field, an error, a type mismatch, the step limit)
/// it gives `nil`, and the caller evaluates with the tree walker, which reports unknown attribute
/// paths and errors exactly. Macro variables are resolved to slots when compiling, so evaluating
/// never looks a bound variable up by name. Nodes it does not cover (map literals, the
/// two-variable `transformList` and `transformMap`) make the whole expression use the tree walker.
struct FastPath: Sendable {
    /// What evaluating one node reads and updates.
    struct Frame {
        /// The values of the macro variables in scope, by slot.
        var bound: [Value] = []
        /// Nodes evaluated so far, counted as the tree walker counts them.
        var steps = 0
    }

    typealias Code = @Sendable (Activation, inout Frame) -> Value?

    private let code: Code

    /// Compiles `root`, or returns `nil` when it holds a node this path does not cover.
    ///
    /// - Parameter slots: The pack's field layout: top-level fields are then read by slot from
    ///   an activation whose slots were filled for this layout (by name from any other).
    init?(_ root: ExpressionNode, slots: FieldSlots? = nil) {
        guard let code = FastPath.compile(root, scope: [], slots: slots) else { return nil }
        self.code = code
    }

    /// The expression's value, or `nil` when the tree walker must decide.
    func evaluate(_ activation: Activation) -> Value? {
        var frame = Frame()
        return code(activation, &frame)
    }

    // MARK: Compiling

    /// Wraps a node's code with the tree walker's step count, so the limit bites where it would.
    private static func counted(_ body: @escaping Code) -> Code {
        { activation, frame in
            frame.steps += 1
            if frame.steps > ExpressionLimits.maximumEvaluationSteps { return nil }
            return body(activation, &frame)
        }
    }

    /// Charges the work an operation does on a list, map, record or long string, as the tree
    /// walker does (values can share structure, so their size can grow exponentially in the
    /// steps that built them); `true` once past the step budget, so the tree walker decides.
    private static func chargeOperand(_ value: Value, _ frame: inout Frame) -> Bool {
        switch value {
        case .null, .bool, .int, .double, .date:
            return false
        default:
            let limit = ExpressionLimits.maximumEvaluationSteps
            let cost = value.weight(upTo: limit + 2 - frame.steps) - 1
            if cost > 0 { frame.steps += Swift.min(cost, limit + 1) }
            return frame.steps > limit
        }
    }

    /// The value of a variable that no macro binds, as ``ExpressionEvaluator`` looks it up.
    private static func variable(_ name: String, in activation: Activation) -> Value? {
        activation.variable(name)
    }

    private static func compile(_ node: ExpressionNode, scope: [String], slots: FieldSlots?) -> Code? {
        switch node.kind {
        case .literal(let value):
            return counted { _, _ in value }
        case .identifier(let name):
            if let slot = scope.lastIndex(of: name) {
                return counted { activation, frame in frame.bound[slot] }
            }
            if let slots, let slot = slots.index[name] {
                return counted { activation, frame in
                    if let filled = activation.slots, filled.layout === slots { return filled.values[slot] }
                    return variable(name, in: activation)
                }
            }
            return counted { activation, frame in variable(name, in: activation) }
        case .select(let operand, let field):
            guard let base = compile(operand, scope: scope, slots: slots) else { return nil }
            return counted { activation, frame in
                switch base(activation, &frame) {
                case .record(let record)?: record.fields[field]
                case .map(let entries)?: Value.lookup(.string(field), in: entries)
                default: nil
                }
            }
        case .presenceTest(let operand, let field):
            guard let operand else {
                if scope.contains(field) { return counted { _, _ in .bool(true) } }
                if let slots, let slot = slots.index[field] {
                    return counted { activation, frame in
                        if let filled = activation.slots, filled.layout === slots { return .bool(filled.values[slot] != nil) }
                        return .bool(variable(field, in: activation) != nil)
                    }
                }
                return counted { activation, frame in .bool(variable(field, in: activation) != nil) }
            }
            guard let base = compile(operand, scope: scope, slots: slots) else { return nil }
            return counted { activation, frame in
                switch base(activation, &frame) {
                case .record(let record)?: .bool(record.fields[field] != nil)
                case .map(let entries)?: .bool(Value.lookup(.string(field), in: entries) != nil)
                default: nil
                }
            }
        case .index(let operand, let index):
            guard let base = compile(operand, scope: scope, slots: slots), let key = compile(index, scope: scope, slots: slots) else { return nil }
            return counted { activation, frame in
                guard let container = base(activation, &frame), let keyValue = key(activation, &frame) else { return nil }
                switch (container, keyValue) {
                case (.list(let items), .int(let position)):
                    return position >= 0 && position < items.count ? items[Int(position)] : nil
                case (.map(let entries), _):
                    return Value.lookup(keyValue, in: entries)
                case (.record(let record), .string(let field)):
                    return record.fields[field]
                default:
                    return nil
                }
            }
        case .call(let function, let target, let arguments):
            if case .unknown = function { return nil }
            var parts: [Code] = []
            if let target {
                guard let code = compile(target, scope: scope, slots: slots) else { return nil }
                parts.append(code)
            }
            for argument in arguments {
                guard let code = compile(argument, scope: scope, slots: slots) else { return nil }
                parts.append(code)
            }
            if case .matches = function { return nil }
            let operands = parts
            return counted { activation, frame in
                var values: [Value] = []
                values.reserveCapacity(operands.count)
                for operand in operands {
                    guard let value = operand(activation, &frame) else { return nil }
                    values.append(value)
                }
                for value in values where chargeOperand(value, &frame) { return nil }
                if case .value(let value) = ExpressionEvaluator.apply(function, values, asOf: activation.asOf, node: node) {
                    return value
                }
                return nil
            }
        case .unary(let op, let operand):
            guard let inner = compile(operand, scope: scope, slots: slots) else { return nil }
            return counted { activation, frame in
                switch (op, inner(activation, &frame)) {
                case (.not, .bool(let bool)?): return .bool(!bool)
                case (.negate, .int(let int)?):
                    let (negated, overflow) = Int64(0).subtractingReportingOverflow(int)
                    return overflow ? nil : .int(negated)
                case (.negate, .double(let double)?): return .double(-double)
                default: return nil
                }
            }
        case .binary(let op, let lhs, let rhs):
            guard let left = compile(lhs, scope: scope, slots: slots), let right = compile(rhs, scope: scope, slots: slots) else { return nil }
            return counted { activation, frame in
                // Both sides are evaluated, as the tree walker does, so the step counts agree.
                let a = left(activation, &frame)
                let b = right(activation, &frame)
                guard let a, let b, !chargeOperand(a, &frame), !chargeOperand(b, &frame) else { return nil }
                if case .value(let value) = ExpressionEvaluator.binary(op, a, b, node: node) { return value }
                return nil
            }
        case .and(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: false, scope: scope, slots: slots)
        case .or(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: true, scope: scope, slots: slots)
        case .conditional(let condition, let then, let otherwise):
            guard let test = compile(condition, scope: scope, slots: slots), let yes = compile(then, scope: scope, slots: slots),
                  let no = compile(otherwise, scope: scope, slots: slots)
            else { return nil }
            return counted { activation, frame in
                switch test(activation, &frame) {
                case .bool(true)?: yes(activation, &frame)
                case .bool(false)?: no(activation, &frame)
                default: nil
                }
            }
        case .list(let elements):
            // A list of literals is built once; the steps its elements would take still count.
            let literals = elements.compactMap { element -> Value? in
                if case .literal(let value) = element.kind { value } else { nil }
            }
            if literals.count == elements.count {
                let constant = Value.list(literals)
                let elementSteps = literals.count
                return counted { activation, frame in
                    frame.steps += elementSteps
                    return frame.steps > ExpressionLimits.maximumEvaluationSteps ? nil : constant
                }
            }
            var parts: [Code] = []
            for element in elements {
                guard let code = compile(element, scope: scope, slots: slots) else { return nil }
                parts.append(code)
            }
            let items = parts
            return counted { activation, frame in
                var values: [Value] = []
                values.reserveCapacity(items.count)
                for item in items {
                    guard let value = item(activation, &frame) else { return nil }
                    values.append(value)
                }
                return .list(values)
            }
        case .map:
            return nil
        case .comprehension(let comprehension):
            return compile(comprehension, scope: scope, slots: slots)
        }
    }

    /// `&&` (absorbing false) and `||` (absorbing true): a value only when both sides are bools
    /// or one side is the absorbing value, as CEL's commutative logic gives.
    private static func logical(
        _ lhs: ExpressionNode, _ rhs: ExpressionNode, absorbing: Bool, scope: [String], slots: FieldSlots?
    ) -> Code? {
        guard let left = compile(lhs, scope: scope, slots: slots), let right = compile(rhs, scope: scope, slots: slots) else { return nil }
        return counted { activation, frame in
            let a = left(activation, &frame)
            if case .bool(absorbing)? = a { return a }
            let b = right(activation, &frame)
            if case .bool(absorbing)? = b { return b }
            if case .bool? = a, case .bool? = b { return .bool(!absorbing) }
            return nil
        }
    }

    private static func compile(_ comprehension: Comprehension, scope: [String], slots: FieldSlots?) -> Code? {
        let kind = comprehension.kind
        if kind == .transformList || kind == .transformMap { return nil }
        guard let range = compile(comprehension.range, scope: scope, slots: slots) else { return nil }
        var inner = scope
        inner.append(comprehension.variable)
        let twoVariables = comprehension.secondVariable != nil
        if let second = comprehension.secondVariable { inner.append(second) }
        var predicate: Code?
        if let node = comprehension.predicate {
            guard let code = compile(node, scope: inner, slots: slots) else { return nil }
            predicate = code
        }
        var transform: Code?
        if let node = comprehension.transform {
            guard let code = compile(node, scope: inner, slots: slots) else { return nil }
            transform = code
        }
        let firstSlot = scope.count
        return counted { [predicate, transform] activation, frame in
            let items: [Value]
            let entries: [MapEntry]
            switch range(activation, &frame) {
            case .list(let list)?: (items, entries) = (list, [])
            case .map(let map)?: (items, entries) = ([], map)
            default: return nil
            }
            let isList = entries.isEmpty
            let iterations = isList ? items.count : entries.count
            let saved = frame.bound.count
            frame.bound.append(.null)
            if twoVariables { frame.bound.append(.null) }
            defer { frame.bound.removeLast(frame.bound.count - saved) }
            var sawProblem = false
            var count = 0
            var collected: [Value] = []
            for index in 0..<iterations {
                let first: Value
                if isList {
                    first = twoVariables ? .int(Int64(index)) : items[index]
                    if twoVariables { frame.bound[firstSlot + 1] = items[index] }
                } else {
                    first = entries[index].key
                    if twoVariables { frame.bound[firstSlot + 1] = entries[index].value }
                }
                frame.bound[firstSlot] = first
                frame.steps += 1
                if frame.steps > ExpressionLimits.maximumEvaluationSteps { return nil }
                switch kind {
                case .all, .exists:
                    guard let predicate else { continue }
                    let absorbing = kind == .exists
                    switch predicate(activation, &frame) {
                    case .bool(absorbing)?: return .bool(absorbing)
                    case .bool?: continue
                    default: sawProblem = true
                    }
                default:
                    var keep = true
                    if let predicate {
                        guard case .bool(let bool)? = predicate(activation, &frame) else { return nil }
                        keep = bool
                    }
                    guard keep else { continue }
                    switch kind {
                    case .existsOne: count += 1
                    case .filter: collected.append(first)
                    default:
                        guard let transform, let value = transform(activation, &frame) else { return nil }
                        collected.append(value)
                    }
                }
            }
            if sawProblem { return nil }
            switch kind {
            case .all, .exists: return .bool(kind == .all)
            case .existsOne: return .bool(count == 1)
            default: return .list(collected)
            }
        }
    }
}
