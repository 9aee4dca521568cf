/// A checked expression compiled once into nested closures that evaluate the common cases fast:
/// values, and unknowns whose attribute paths are known when compiling.
///
/// Its evaluation gives a value or an unknown only where the tree walker
/// (``ExpressionEvaluator``) would give exactly the same result; on anything else (an error, a
/// type mismatch, the step limit, a field absent from a macro variable's element, whose path
/// names an index) it *bails*, and the caller evaluates with the tree walker, which reports
/// errors and every unknown path exactly. A bail is never undone, not even by `||` or `&&`
/// absorbing the other side: the tree walker may have counted steps a bailed node skipped.
///
/// An unknown is a `nil` result with the frame not bailed: its paths are then the frame's
/// ``Frame/missing`` entries appended since the node began (``Frame/mark``), and a node that
/// absorbs an unknown (`true || x`, `has(a.b)`, an `exists` that finds its element) drops them.
/// Every node evaluates the children the tree walker evaluates, so the step counts agree.
/// Macro variables are resolved to slots when compiling, so evaluating never looks a bound
/// variable up by name. Nodes it does not cover (map literals, the two-variable
/// `transformList` and `transformMap`, `matches`) make the whole expression use the tree walker.
struct FastPath: Sendable {
    /// What evaluating one node reads and updates.
    struct Frame {
        /// The values of the macro variables in scope, by slot.
        var bound: [Value] = []
        /// Nodes evaluated so far, counted as the tree walker counts them.
        var steps = 0
        /// The attribute paths of the unknowns gathered so far (with repeats).
        var missing: [String] = []
        /// Whether a node gave up for the tree walker; once set, the result is `nil`.
        var bailed = false

        /// Where a node's unknown paths begin.
        var mark: Int { missing.count }

        /// Counts one node's step, as the tree walker counts it (every node's code begins
        /// with it): `true` once past the budget, and the node bails.
        @inline(__always)
        mutating func step() -> Bool {
            charge(1)
        }

        /// Adds `cost` steps (capped, so a huge cost cannot overflow): `true` once past the
        /// budget, and the node bails.
        @inline(__always)
        mutating func charge(_ cost: Int) -> Bool {
            steps += Swift.min(cost, ExpressionLimits.maximumEvaluationSteps + 1)
            return steps > ExpressionLimits.maximumEvaluationSteps
        }

        /// Gives up for the tree walker.
        mutating func bail() -> Value? {
            bailed = true
            return nil
        }

        /// Empties the frame for another evaluation, keeping its arrays' storage.
        @inline(__always)
        mutating func reset() {
            if !bound.isEmpty { bound.removeAll(keepingCapacity: true) }
            steps = 0
            if !missing.isEmpty { missing.removeAll(keepingCapacity: true) }
            bailed = false
        }

        /// Drops the unknown paths appended since `mark`, for a node that absorbed them.
        mutating func drop(from mark: Int) {
            if missing.count > mark { missing.removeLast(missing.count - mark) }
        }

        /// An unknown at `path`.
        mutating func unknown(_ path: String) -> Value? {
            missing.append(path)
            return nil
        }
    }

    typealias Code = @Sendable (Activation, inout Frame) -> Value?

    private let code: Code

    /// What compiling needs besides the node.
    private struct Context {
        /// The macro variables in scope, innermost last.
        var scope: [String] = []
        /// The pack's field layout, if any.
        let slots: FieldSlots?
        /// The therapy's parameters, folded into `params.NAME`, if any.
        let parameters: ParameterSource?
        /// Whether an absent variable is unknown (a checked expression) rather than an error.
        let absentIsUnknown: Bool
    }

    /// Compiles `root`, or returns `nil` when it holds a node this path does not cover.
    ///
    /// - Parameters:
    ///   - slots: The pack's field layout: top-level fields are then read by slot from an
    ///     activation whose slots were filled for this layout (by name from any other).
    ///   - absentIsUnknown: Whether an absent variable is unknown, as in a checked expression;
    ///     otherwise it is an error, left to the tree walker.
    ///   - parameters: The therapy's parameters: `params.NAME` is then its value, read so from an
    ///     activation that carries them (``Activation/parameterSource``), by name from any other.
    init?(_ root: ExpressionNode, slots: FieldSlots? = nil, parameters: ParameterSource? = nil, absentIsUnknown: Bool = true) {
        let context = Context(slots: slots, parameters: parameters, absentIsUnknown: absentIsUnknown)
        guard let code = FastPath.compile(root, context) else { return nil }
        self.code = code
    }

    /// The expression's value or unknown, or `nil` when the tree walker must decide.
    func evaluate(_ activation: Activation) -> EvaluationResult? {
        var frame = Frame()
        if let value = code(activation, &frame) { return .value(value) }
        if frame.bailed || frame.missing.isEmpty { return nil }
        return .unknown(Set(frame.missing))
    }

    /// ``evaluate(_:)`` with an unknown's paths sorted and without repeats, as a rule's step
    /// lists them, gathered without building a set; in `frame`, emptied first, so that one
    /// frame's storage serves many evaluations.
    func evaluateSorted(_ activation: Activation, frame: inout Frame) -> CompiledExpression.Outcome? {
        frame.reset()
        if let value = code(activation, &frame) { return .value(value) }
        if frame.bailed || frame.missing.isEmpty { return nil }
        return .unknown(Self.sortedUnique(frame.missing))
    }

    /// `paths` sorted, each once: the same as `Set(paths).sorted()`.
    /// Sorts `paths` and drops repeats, in place (``sortedUnique(_:)`` without a new array).
    static func sortUnique(_ paths: inout [String]) {
        if paths.count < 2 { return }
        paths.sort()
        var kept = 1
        for index in 1..<paths.count where paths[index] != paths[kept - 1] {
            paths.swapAt(kept, index)
            kept += 1
        }
        while paths.count > kept { paths.removeLast() }
    }

    /// Appends to `missing` each of `paths` it does not hold yet, in order. Lengths are compared
    /// first: paths are ASCII (profile field names, dotted), so equal paths have equal lengths,
    /// and comparing two long strings that differ is a call into the standard library.
    @inline(__always)
    static func appendNew(_ paths: [String], to missing: inout [String]) {
        // A few paths (the common case) are compared in place; many (a list-heavy patient's
        // elements) go through a set, so that gathering stays linear in the paths.
        if paths.count > 8 || missing.count * paths.count > 64 {
            var seen = Set(missing)
            for path in paths where seen.insert(path).inserted { missing.append(path) }
            return
        }
        for path in paths {
            let length = path.utf8.count
            if !missing.contains(where: { $0.utf8.count == length && $0 == path }) { missing.append(path) }
        }
    }

    /// Empties `paths`, its storage kept: one element at a time, since `removeAll(keepingCapacity:)`
    /// and `removeLast(_:)` are a generic range replacement, dearer for the one or two paths
    /// a condition misses.
    @inline(__always)
    static func empty(_ paths: inout [String]) {
        while !paths.isEmpty { paths.removeLast() }
    }

    static func sortedUnique(_ paths: [String]) -> [String] {
        var paths = paths
        if paths.count < 2 { return paths }
        paths.sort()
        var kept = 1
        for index in 1..<paths.count where paths[index] != paths[kept - 1] {
            paths.swapAt(kept, index)
            kept += 1
        }
        paths.removeLast(paths.count - kept)
        return paths
    }

    // MARK: Compiling

    /// Charges the work an operation does on a list, map, record or long string, as the tree
    /// walker does (values can share structure, so their size can grow exponentially in the
    /// steps that built them); `true` once past the step budget, so the tree walker decides.
    private static func chargeOperand(_ value: Value, _ frame: inout Frame) -> Bool {
        switch value {
        case .null, .bool, .int, .double, .date:
            return false
        default:
            let cost = value.weight(upTo: ExpressionLimits.maximumEvaluationSteps + 2 - frame.steps) - 1
            return frame.charge(Swift.max(cost, 0))
        }
    }

    private static func compile(_ node: ExpressionNode, _ context: Context) -> Code? {
        let scope = context.scope
        switch node.kind {
        case .literal(let value):
            return { _, frame in
                if frame.step() { return frame.bail() }
                return value
            }
        case .identifier(let name):
            if let slot = scope.lastIndex(of: name) {
                return { activation, frame in
                    if frame.step() { return frame.bail() }
                    return frame.bound[slot]
                }
            }
            // An absent variable: unknown in a checked expression, an error otherwise.
            let absentIsUnknown = context.absentIsUnknown
            if let slots = context.slots, let slot = slots.index[name] {
                return { activation, frame in
                    if frame.step() { return frame.bail() }
                    if let value = activation.variable(name, slot: slot, of: slots) { return value }
                    return absentIsUnknown ? frame.unknown(name) : frame.bail()
                }
            }
            return { activation, frame in
                if frame.step() { return frame.bail() }
                if let value = activation.variable(name) { return value }
                return absentIsUnknown ? frame.unknown(name) : frame.bail()
            }
        case .select(let operand, let field):
            guard let base = compile(operand, context) else { return nil }
            // The path of an absent field, as the tree walker names it, when the operand's path is
            // known when compiling (a chain of selections rooted at a variable no macro binds).
            let absentPath = operand.selectionPath(bound: scope).map { "\($0).\(field)" }
            let general = select(base, field, absentPath: absentPath, shapes: context.slots?.positions(of: field) ?? [])
            guard case .identifier("params") = operand.kind, !scope.contains("params"), let source = context.parameters,
                let value = source.values.field(field)
            else { return general }
            // A parameter of the therapy compiled for: its value, when the activation carries it.
            return { activation, frame in
                // The selection's step and its operand's, as the tree walker counts them.
                if activation.parameterSource === source { return frame.charge(2) ? frame.bail() : value }
                return general(activation, &frame)
            }
        case .presenceTest(let operand, let field):
            guard let operand else {
                if scope.contains(field) {
                    return { _, frame in
                        if frame.step() { return frame.bail() }
                        return .bool(true)
                    }
                }
                if let slots = context.slots, let slot = slots.index[field] {
                    return { activation, frame in
                        if frame.step() { return frame.bail() }
                        return .bool(activation.variable(field, slot: slot, of: slots) != nil)
                    }
                }
                return { activation, frame in
                    if frame.step() { return frame.bail() }
                    return .bool(activation.variable(field) != nil)
                }
            }
            guard let base = compile(operand, context) else { return nil }
            let shapes = context.slots?.positions(of: field) ?? []
            return { activation, frame in
                if frame.step() { return frame.bail() }
                let mark = frame.mark
                switch base(activation, &frame) {
                case .record(let record)?: return .bool(record.field(field, in: shapes) != nil)
                case .map(let entries)?: return .bool(Value.lookup(.string(field), in: entries) != nil)
                case nil:
                    // `has()` of an unknown is false, as the tree walker gives it.
                    if frame.bailed { return nil }
                    frame.drop(from: mark)
                    return .bool(false)
                default: return frame.bail()
                }
            }
        case .index(let operand, let index):
            guard let base = compile(operand, context), let key = compile(index, context) else { return nil }
            return { activation, frame in
                if frame.step() { return frame.bail() }
                let container = base(activation, &frame)
                let keyValue = key(activation, &frame)
                guard let container, let keyValue else { return nil }
                switch (container, keyValue) {
                case (.list(let items), .int(let position)):
                    return position >= 0 && position < items.count ? items[Int(position)] : frame.bail()
                case (.map(let entries), _):
                    return Value.lookup(keyValue, in: entries) ?? frame.bail()
                case (.record(let record), .string(let field)):
                    // An absent field's path depends on the index: the tree walker names it.
                    return record.field(field) ?? frame.bail()
                default:
                    return frame.bail()
                }
            }
        case .call(let function, let target, let arguments):
            if case .unknown = function { return nil }
            if case .matches = function { return nil }
            var parts: [Code] = []
            if let target {
                guard let code = compile(target, context) else { return nil }
                parts.append(code)
            }
            for argument in arguments {
                guard let code = compile(argument, context) else { return nil }
                parts.append(code)
            }
            let operands = parts
            if parts.count == 1, function == .daysSince || function == .weeksSince, let operand = parts.first {
                // One date: the days or weeks to the as-of date, without an argument list (the
                // general case below gives the same; a date charges no steps).
                let weeks = function == .weeksSince
                return { activation, frame in
                    if frame.step() { return frame.bail() }
                    guard let value = operand(activation, &frame) else { return nil }
                    guard case .date(let date) = value, let asOf = activation.asOf else {
                        if chargeOperand(value, &frame) { return frame.bail() }
                        if case .value(let result) = ExpressionEvaluator.apply(function, [value], asOf: activation.asOf, node: node) {
                            return result
                        }
                        return frame.bail()
                    }
                    let days = asOf.daysSinceEpoch - date.daysSinceEpoch
                    return .int(Int64(weeks ? FunctionTable.wholeWeeks(days) : days))
                }
            }
            return { activation, frame in
                if frame.step() { return frame.bail() }
                // Every operand is evaluated, as the tree walker does, even after an unknown.
                var values: [Value] = []
                values.reserveCapacity(operands.count)
                var complete = true
                for operand in operands {
                    if let value = operand(activation, &frame) { values.append(value) } else { complete = false }
                }
                guard complete else { return nil }
                for value in values where chargeOperand(value, &frame) { return frame.bail() }
                if case .value(let value) = ExpressionEvaluator.apply(function, values, asOf: activation.asOf, node: node) {
                    return value
                }
                return frame.bail()
            }
        case .unary(let op, let operand):
            guard let inner = compile(operand, context) else { return nil }
            return { activation, frame in
                if frame.step() { return frame.bail() }
                switch (op, inner(activation, &frame)) {
                case (_, nil): return nil
                case (.not, .bool(let bool)?): return .bool(!bool)
                case (.negate, .int(let int)?):
                    let (negated, overflow) = Int64(0).subtractingReportingOverflow(int)
                    return overflow ? frame.bail() : .int(negated)
                case (.negate, .double(let double)?): return .double(-double)
                default: return frame.bail()
                }
            }
        case .binary(let op, let lhs, let rhs):
            if let constant = constantOperand(rhs) {
                guard let left = compile(lhs, context) else { return nil }
                let compare = comparison(op, constant.value)
                return { activation, frame in
                    if frame.step() { return frame.bail() }
                    let a = left(activation, &frame)
                    // The constant's own steps, as its node would count them.
                    if frame.charge(constant.steps) { return frame.bail() }
                    guard let a else { return nil }
                    // Operating on the operands charges what the tree walker charges (in any
                    // order: only the total decides whether the budget is exceeded).
                    if frame.charge(constant.charge) || chargeOperand(a, &frame) { return frame.bail() }
                    if let holds = compare(a) { return .bool(holds) }
                    if case .value(let value) = ExpressionEvaluator.binary(op, a, constant.value, node: node) { return value }
                    return frame.bail()
                }
            }
            guard let left = compile(lhs, context), let right = compile(rhs, context) else { return nil }
            return { activation, frame in
                if frame.step() { return frame.bail() }
                // Both sides are evaluated, as the tree walker does, so the step counts agree
                // and the unknowns of both are gathered.
                let a = left(activation, &frame)
                let b = right(activation, &frame)
                guard let a, let b else { return nil }
                if chargeOperand(a, &frame) || chargeOperand(b, &frame) { return frame.bail() }
                if case .value(let value) = ExpressionEvaluator.binary(op, a, b, node: node) { return value }
                return frame.bail()
            }
        case .and(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: false, context)
        case .or(let lhs, let rhs):
            return logical(lhs, rhs, absorbing: true, context)
        case .conditional(let condition, let then, let otherwise):
            guard let test = compile(condition, context), let yes = compile(then, context), let no = compile(otherwise, context)
            else { return nil }
            return { activation, frame in
                if frame.step() { return frame.bail() }
                return switch test(activation, &frame) {
                case .bool(true)?: yes(activation, &frame)
                case .bool(false)?: no(activation, &frame)
                case nil: nil
                default: frame.bail()
                }
            }
        case .list(let elements):
            // A list of literals is built once; the steps of its node and its elements still count.
            if let constant = constantOperand(node) {
                return { activation, frame in
                    frame.charge(constant.steps) ? frame.bail() : constant.value
                }
            }
            var parts: [Code] = []
            for element in elements {
                guard let code = compile(element, context) else { return nil }
                parts.append(code)
            }
            let items = parts
            return { activation, frame in
                if frame.step() { return frame.bail() }
                var values: [Value] = []
                values.reserveCapacity(items.count)
                var complete = true
                for item in items {
                    if let value = item(activation, &frame) { values.append(value) } else { complete = false }
                }
                return complete ? .list(values) : nil
            }
        case .map:
            return nil
        case .comprehension(let comprehension):
            return compile(comprehension, context)
        }
    }

    /// Selecting `field` of what `base` gives: a record's field (an absent one is unknown at
    /// `absentPath` when that is known, else left to the tree walker) or a map's entry.
    private static func select(
        _ base: @escaping Code, _ field: String, absentPath: String?, shapes: [(shape: RecordShape, position: Int)]
    ) -> Code {
        { activation, frame in
            if frame.step() { return frame.bail() }
            switch base(activation, &frame) {
            case .record(let record)?:
                if let value = record.field(field, in: shapes) { return value }
                guard let absentPath else { return frame.bail() }
                return frame.unknown(absentPath)
            case .map(let entries)?:
                if let value = Value.lookup(.string(field), in: entries) { return value }
                return frame.bail()
            case nil: return nil
            default: return frame.bail()
            }
        }
    }

    /// A constant node: a literal, or a list of literals (the right operand of a binary
    /// operator, or a list built once); with the steps its nodes count and the extra steps
    /// operating on it charges.
    private static func constantOperand(_ node: ExpressionNode) -> (value: Value, steps: Int, charge: Int)? {
        let value: Value
        let steps: Int
        switch node.kind {
        case .literal(let literal):
            (value, steps) = (literal, 1)
        case .list(let elements):
            var items: [Value] = []
            for element in elements {
                guard case .literal(let literal) = element.kind else { return nil }
                items.append(literal)
            }
            (value, steps) = (.list(items), 1 + items.count)
        default:
            return nil
        }
        let limit = ExpressionLimits.maximumEvaluationSteps
        let charge: Int
        switch value {
        case .null, .bool, .int, .double, .date: charge = 0
        default: charge = value.weight(upTo: limit + 2) - 1
        }
        return (value, steps, charge)
    }

    /// ``quickComparison(_:_:_:)`` with a constant right operand, made for the constant when
    /// compiling: a string's equality and membership in a list of strings compare the left
    /// string's bytes directly (the common `diagnosis == "…"` and `agent in [...]`); any other
    /// comparison, or a left operand of another type, is the general one.
    private static func comparison(_ op: BinaryOperator, _ constant: Value) -> @Sendable (Value) -> Bool? {
        switch (op, constant) {
        case (.equal, .string(let b)), (.notEqual, .string(let b)):
            let equal = op == .equal
            return { a in
                if case .string(let x) = a { return Value.sameScalars(x, b) == equal }
                return quickComparison(op, a, constant)
            }
        case (.in, .list(let items)):
            var strings: [String] = []
            for item in items {
                guard case .string(let y) = item else { return { quickComparison(op, $0, constant) } }
                strings.append(y)
            }
            let listed = strings
            return { a in
                guard case .string(let x) = a else { return quickComparison(op, a, constant) }
                for y in listed where Value.sameScalars(x, y) { return true }
                return false
            }
        default:
            return { quickComparison(op, $0, constant) }
        }
    }

    /// A comparison of two numbers, two strings, or a string and a list of strings, answered
    /// without the general operator code (the caller has charged the operands' steps); `nil` for
    /// anything else. The same result as ``ExpressionEvaluator/binary(_:_:_:node:)``; a
    /// ``ConditionKernel`` compares with it too.
    static func quickComparison(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Bool? {
        let ordering: Value.Ordering?
        switch (a, b) {
        case (.int(let x), .int(let y)): ordering = x < y ? .less : (x == y ? .equal : .greater)
        case (.double, .double), (.int, .double), (.double, .int): ordering = a.celCompare(b)
        case (.string(let x), .string(let y)):
            switch op {
            case .equal: return Value.sameScalars(x, y)
            case .notEqual: return !Value.sameScalars(x, y)
            default: return nil
            }
        case (.string(let x), .list(let items)):
            guard op == .in else { return nil }
            for item in items {
                guard case .string(let y) = item else { return nil }
                if Value.sameScalars(x, y) { return true }
            }
            return false
        default: return nil
        }
        guard let ordering else { return nil }
        switch op {
        case .equal: return ordering == .equal
        case .notEqual: return ordering != .equal
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return ExpressionEvaluator.holds(op, ordering)
        default: return nil
        }
    }

    /// `&&` (absorbing false) and `||` (absorbing true), commutative as CEL defines them: the
    /// absorbing value of either side (dropping the other side's unknowns), else both sides'
    /// bools, else the unknowns of both; a side that bailed or is not a bool bails.
    private static func logical(_ lhs: ExpressionNode, _ rhs: ExpressionNode, absorbing: Bool, _ context: Context) -> Code? {
        guard let left = compile(lhs, context), let right = compile(rhs, context) else { return nil }
        return { activation, frame in
            if frame.step() { return frame.bail() }
            let mark = frame.mark
            let a = left(activation, &frame)
            if case .bool(absorbing)? = a { return a }
            let b = right(activation, &frame)
            if frame.bailed { return nil }
            if case .bool(absorbing)? = b {
                frame.drop(from: mark)
                return b
            }
            switch (a, b) {
            case (.bool?, .bool?): return .bool(!absorbing)
            case (.bool?, nil), (nil, .bool?), (nil, nil): return nil
            default: return frame.bail()
            }
        }
    }

    private static func compile(_ comprehension: Comprehension, _ context: Context) -> Code? {
        let kind = comprehension.kind
        if kind == .transformList || kind == .transformMap { return nil }
        guard let range = compile(comprehension.range, context) else { return nil }
        var inner = context
        inner.scope.append(comprehension.variable)
        let twoVariables = comprehension.secondVariable != nil
        if let second = comprehension.secondVariable { inner.scope.append(second) }
        var predicate: Code?
        if let node = comprehension.predicate {
            guard let code = compile(node, inner) else { return nil }
            predicate = code
        }
        var transform: Code?
        if let node = comprehension.transform {
            guard let code = compile(node, inner) else { return nil }
            transform = code
        }
        let firstSlot = context.scope.count
        return { [predicate, transform] activation, frame in
            if frame.step() { return frame.bail() }
            let items: [Value]
            let entries: [MapEntry]
            switch range(activation, &frame) {
            case .list(let list)?: (items, entries) = (list, [])
            case .map(let map)?: (items, entries) = ([], map)
            case nil: return nil
            default: return frame.bail()
            }
            let mark = frame.mark
            let isList = entries.isEmpty
            let iterations = isList ? items.count : entries.count
            let saved = frame.bound.count
            frame.bound.append(.null)
            if twoVariables { frame.bound.append(.null) }
            // One or two at a time: `removeLast(_:)` costs more than a simple predicate.
            defer { while frame.bound.count > saved { frame.bound.removeLast() } }
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
                if frame.step() { return frame.bail() }
                switch kind {
                case .all, .exists:
                    // An element that settles it drops the unknowns of the others; an unknown
                    // element's paths stay (the tree walker unites them); anything else bails.
                    guard let predicate else { continue }
                    let absorbing = kind == .exists
                    switch predicate(activation, &frame) {
                    case .bool(absorbing)?:
                        frame.drop(from: mark)
                        return .bool(absorbing)
                    case .bool?: continue
                    case nil: if frame.bailed { return nil }
                    default: return frame.bail()
                    }
                default:
                    var keep = true
                    if let predicate {
                        guard case .bool(let bool)? = predicate(activation, &frame) else { return frame.bail() }
                        keep = bool
                    }
                    guard keep else { continue }
                    switch kind {
                    case .existsOne: count += 1
                    case .filter: collected.append(first)
                    default:
                        guard let transform, let value = transform(activation, &frame) else { return frame.bail() }
                        collected.append(value)
                    }
                }
            }
            if frame.missing.count > mark { return nil }
            switch kind {
            case .all, .exists: return .bool(kind == .all)
            case .existsOne: return .bool(count == 1)
            default: return .list(collected)
            }
        }
    }
}
