/// A small condition compiled once more, for the patients a batch reads: its truth worked out
/// straight from the patient's slots, without the fast path's closures, boxed results and step
/// counts.
///
/// It covers the conditions most rules are written as: a bool field (`active_infection`), a
/// field or a field of a record compared with a constant or a therapy parameter
/// (`diagnosis == "knee_osteoarthritis"`, `kl_grade <= 3`, `labs.platelet_count <
/// params.min_platelet_count`, `diagnosis in [...]`), `has(field)`, the literals `true` and
/// `false`, and `!`, `&&`, `||` and `?:` of these. Any other expression has no kernel.
///
/// Its answer is always the fast path's and the tree walker's; where it could differ it
/// *falls back*, and the caller evaluates as before:
/// - an activation whose slots were not filled for the kernel's layout, or (when the
///   condition reads `params`) that does not carry the parameters it was compiled with;
/// - a value of another type than the comparison answers directly (``FastPath`` decides which,
///   with the very function the fast path uses), a map where a record was expected, or a
///   string longer than ``longestString`` bytes;
/// - any part falling back makes the whole condition fall back.
///
/// It counts no steps: it has at most ``maximumNodes`` nodes, each charging at most its
/// constant's weight and a string of ``longestString`` bytes, so the tree walker's step budget
/// (``ExpressionLimits/maximumEvaluationSteps``) cannot be reached by an expression it answers.
final class ConditionKernel: Sendable {
    /// The most syntax nodes a condition with a kernel may have.
    static let maximumNodes = 64
    /// The longest string (in UTF-8 bytes) a comparison reads itself; a longer one falls back.
    static let longestString = 4_096

    /// A value read from the patient: a top-level field by slot, or a field of the record there.
    struct Read: Sendable {
        /// The top-level field's slot.
        let slot: Int
        /// The top-level field's name: the path of its absence.
        let name: String
        /// The field read from the record in the slot (`nil` for the top-level field itself).
        let field: String?
        /// ``field``, or the empty string.
        let fieldName: String
        /// The dotted path of ``field``: the path of its absence.
        let path: String
        /// The positions of ``field`` in the shapes that have it.
        let shapes: [(shape: RecordShape, position: Int)]

        init(slot: Int, name: String, field: String?, shapes: [(shape: RecordShape, position: Int)]) {
            (self.slot, self.name, self.field, self.shapes) = (slot, name, field, shapes)
            fieldName = field ?? ""
            path = field.map { "\(name).\($0)" } ?? name
        }
    }

    /// A comparison with a constant right operand, made for the constant when compiling: a
    /// string's equality or membership in a list of strings, and an int ordered against an int,
    /// are compared directly; anything else as the fast path compares it.
    /// A comparison with a constant right operand, made for the constant when compiling: a
    /// string's equality or membership in a list of strings, and an int ordered against an int,
    /// are compared directly; anything else as the fast path compares it.
    struct Comparison: Sendable {
        let op: BinaryOperator
        let constant: Value
        private let kind: Kind

        private enum Kind: Sendable {
            case strings([String], equal: Bool)
            case int(Int64)
            case general
        }

        init(_ op: BinaryOperator, _ constant: Value) {
            (self.op, self.constant) = (op, constant)
            switch (op, constant) {
            case (.equal, .string(let text)), (.notEqual, .string(let text)):
                kind = .strings([text], equal: op == .equal)
            case (.in, .list(let items)):
                var strings: [String] = []
                for item in items {
                    guard case .string(let text) = item else { break }
                    strings.append(text)
                }
                kind = strings.count == items.count ? .strings(strings, equal: true) : .general
            case (_, .int(let bound)) where op.isOrdering || op == .equal || op == .notEqual:
                kind = .int(bound)
            default:
                kind = .general
            }
        }

        /// Whether `value` compares so; `nil` to fall back.
        func holds(for value: Value) -> Bool? {
            switch (kind, value) {
            case (.strings(let strings, let equal), .string(let text)):
                if text.utf8.count > ConditionKernel.longestString { return nil }
                for string in strings where Value.sameScalars(text, string) { return equal }
                return !equal
            case (.int(let bound), .int(let int)):
                return CodeComparison.order(op, int, bound)
            default:
                if case .string(let text) = value, text.utf8.count > ConditionKernel.longestString { return nil }
                return FastPath.quickComparison(op, value, constant)
            }
        }
    }

    /// ``Comparison`` for a top-level field's ``SlotCode``, in plain values (reading one copies
    /// no reference): an enum field's symbols against the listed strings, an int against an int,
    /// and a double against a number.
    struct CodeComparison: Sendable {
        let op: BinaryOperator
        /// The symbols of the field's listed values the string constant (or list of them)
        /// matches, one bit each; `nil` when the field is no enum or the constant no string.
        let symbols: UInt64?
        /// An int constant, for an ordering or (in)equality.
        let int: Int64?
        /// A number constant as a double, when that is exact, for an ordering or (in)equality.
        let double: Double?

        /// The comparison of a field whose listed values are `listed` (when an enum) with `constant`.
        init(_ op: BinaryOperator, _ constant: Value, listed: [String]?) {
            self.op = op
            let ordered = op.isOrdering || op == .equal || op == .notEqual
            switch constant {
            case .int(let int) where ordered:
                self.int = int
                double = int.magnitude <= 1 << 53 ? Double(int) : nil
            case .double(let value) where ordered:
                (int, double) = (nil, value)
            default:
                (int, double) = (nil, nil)
            }
            var strings: [String]?
            switch (op, constant) {
            case (.equal, .string(let text)), (.notEqual, .string(let text)): strings = [text]
            case (.in, .list(let items)):
                var texts: [String] = []
                for case .string(let text) in items { texts.append(text) }
                if texts.count == items.count { strings = texts }
            default: break
            }
            if let listed, listed.count <= 64, let strings {
                var mask: UInt64 = 0
                for (position, value) in listed.enumerated() where strings.contains(where: { Value.sameScalars($0, value) }) {
                    mask |= 1 << UInt64(position)
                }
                symbols = mask
            } else {
                symbols = nil
            }
        }

        /// Whether a present value of code `code` compares so; `nil` when the code does not tell
        /// (the value is then compared itself).
        @inline(__always)
        func holds(for code: SlotCode) -> Bool? {
            switch code.tag {
            case .symbol:
                guard let symbols else { return nil }
                let listed = symbols & (1 << UInt64(code.payload)) != 0
                return op == .notEqual ? !listed : listed
            case .int:
                guard let int else { return nil }
                return Self.order(op, code.payload, int)
            case .double:
                guard let double else { return nil }
                return Self.order(op, Double(bitPattern: UInt64(bitPattern: code.payload)), double)
            default:
                return nil
            }
        }

        /// `value op bound` for an ordering, `==` or `!=` (IEEE for doubles: NaN is unordered,
        /// as CEL orders it).
        @inline(__always)
        static func order<Number: Comparable>(_ op: BinaryOperator, _ value: Number, _ bound: Number) -> Bool {
            switch op {
            case .equal: return value == bound
            case .notEqual: return value != bound
            case .less: return value < bound
            case .lessOrEqual: return value <= bound
            case .greater: return value > bound
            default: return value >= bound
            }
        }
    }

    /// A node; children are indices into ``nodes``, so that reading a node copies no reference.
    enum Node: Sendable {
        /// `true` or `false`.
        case literal(Bool)
        /// A bool read (``reads`` index).
        case truth(read: Int)
        /// A read compared with a constant (``reads`` index, and ``tests`` and ``codeTests`` index).
        case test(read: Int, test: Int)
        /// `has(field)` of a top-level field, by slot.
        case present(slot: Int)
        case not(Int)
        case and(Int, Int)
        case or(Int, Int)
        case choose(Int, Int, Int)
    }

    /// How a node came out.
    enum Truth: Equatable {
        case `true`, `false`, unknown, fallBack
    }

    /// The nodes, each after its children; the root is the last.
    let nodes: [Node]
    /// The reads the nodes name.
    let reads: [Read]
    /// The comparisons the nodes name.
    let tests: [Comparison]
    /// ``tests`` for the codes of top-level fields, at the same indices.
    let codeTests: [CodeComparison]
    /// The layout the slots must be filled for.
    let layout: FieldSlots
    /// The parameters folded into the constants, when the condition reads `params`: the
    /// activation must carry these very ones.
    let parameters: ParameterSource?

    /// A kernel for `root`, or `nil` when it holds a node no kernel covers, or is too large.
    init?(_ root: ExpressionNode, slots: FieldSlots, parameters: ParameterSource?) {
        var builder = Builder(slots: slots, parameters: parameters)
        guard builder.add(root) != nil, builder.nodes.count <= Self.maximumNodes else { return nil }
        nodes = builder.nodes
        reads = builder.reads
        tests = builder.tests
        codeTests = builder.codeTests
        layout = slots
        self.parameters = builder.readsParameters ? parameters : nil
    }

    /// The condition's truth for `activation`; the paths of an unknown's absent fields are
    /// appended to `missing` (with repeats, in no set order), which is left as it was otherwise.
    func truth(_ activation: Activation, missing: inout [String]) -> Truth {
        guard activation.isFilled(for: layout) else { return .fallBack }
        if let parameters, activation.parameterSource !== parameters { return .fallBack }
        let mark = missing.count
        let result = truth(of: nodes.count - 1, activation, &missing)
        if result != .unknown, missing.count > mark { missing.removeLast(missing.count - mark) }
        return result
    }

    private func truth(of index: Int, _ activation: Activation, _ missing: inout [String]) -> Truth {
        switch nodes[index] {
        case .literal(let value):
            return value ? .true : .false
        case .truth(let read):
            if reads[read].field == nil {
                let code = activation.slotCode(reads[read].slot)
                switch code.tag {
                case .bool: return code.payload != 0 ? .true : .false
                case .absent:
                    missing.append(reads[read].name)
                    return .unknown
                default: break
                }
            }
            switch value(read, activation, &missing) {
            case .read(.bool(let value)): return value ? .true : .false
            case .absent: return .unknown
            case .read, .fallBack: return .fallBack
            }
        case .test(let read, let test):
            if reads[read].field == nil {
                let code = activation.slotCode(reads[read].slot)
                if code.tag == .absent {
                    missing.append(reads[read].name)
                    return .unknown
                }
                if let holds = codeTests[test].holds(for: code) { return holds ? .true : .false }
            }
            switch value(read, activation, &missing) {
            case .read(let value):
                guard let holds = tests[test].holds(for: value) else { return .fallBack }
                return holds ? .true : .false
            case .absent: return .unknown
            case .fallBack: return .fallBack
            }
        case .present(let slot):
            return activation.slotCode(slot).tag == .absent ? .false : .true
        case .not(let child):
            switch truth(of: child, activation, &missing) {
            case .true: return .false
            case .false: return .true
            case let other: return other
            }
        case .and(let left, let right):
            return logical(left, right, absorbing: .false, activation, &missing)
        case .or(let left, let right):
            return logical(left, right, absorbing: .true, activation, &missing)
        case .choose(let test, let then, let otherwise):
            switch truth(of: test, activation, &missing) {
            case .true: return truth(of: then, activation, &missing)
            case .false: return truth(of: otherwise, activation, &missing)
            case let other: return other
            }
        }
    }

    /// `&&` (absorbing false) or `||` (absorbing true), as the fast path gives them: the
    /// absorbing value of either side drops the other side's unknown paths.
    private func logical(_ left: Int, _ right: Int, absorbing: Truth, _ activation: Activation, _ missing: inout [String]) -> Truth {
        let mark = missing.count
        let a = truth(of: left, activation, &missing)
        if a == .fallBack || a == absorbing { return a }
        let b = truth(of: right, activation, &missing)
        if b == .fallBack { return .fallBack }
        if b == absorbing {
            if missing.count > mark { missing.removeLast(missing.count - mark) }
            return b
        }
        return a == .unknown || b == .unknown ? .unknown : a
    }

    /// A value read, absent (its path appended to `missing`), or one to fall back on.
    private enum Reading {
        case read(Value)
        case absent
        case fallBack
    }

    /// The value of ``reads``[`index`] (its fields read in place: copying a read retains its strings).
    private func value(_ index: Int, _ activation: Activation, _ missing: inout [String]) -> Reading {
        guard let value = activation.slotValue(reads[index].slot) else {
            missing.append(reads[index].name)
            return .absent
        }
        guard reads[index].field != nil else { return .read(value) }
        guard case .record(let record) = value else { return .fallBack }
        guard let inner = record.field(reads[index].fieldName, in: reads[index].shapes) else {
            missing.append(reads[index].path)
            return .absent
        }
        return .read(inner)
    }

    /// Collects the nodes of a kernel, children first.
    private struct Builder {
        let slots: FieldSlots
        let parameters: ParameterSource?
        var nodes: [Node] = []
        var reads: [Read] = []
        var tests: [Comparison] = []
        var codeTests: [CodeComparison] = []
        var readsParameters = false

        init(slots: FieldSlots, parameters: ParameterSource?) {
            self.slots = slots
            self.parameters = parameters
        }

        /// Adds `node` and its children, returning its index, or `nil` when no kernel covers it.
        mutating func add(_ node: ExpressionNode) -> Int? {
            guard nodes.count < ConditionKernel.maximumNodes else { return nil }
            let kernelNode: Node
            switch node.kind {
            case .literal(.bool(let value)):
                kernelNode = .literal(value)
            case .select(let operand, let field) where operand.kind == .identifier("params"):
                // A bool parameter of the therapy compiled for.
                guard case .bool(let value)? = parameter(field) else { return nil }
                kernelNode = .literal(value)
            case .identifier, .select:
                guard let read = read(node) else { return nil }
                kernelNode = .truth(read: read)
            case .presenceTest(nil, let field):
                guard let slot = slots.index[field] else { return nil }
                kernelNode = .present(slot: slot)
            case .unary(.not, let operand):
                guard let child = add(operand) else { return nil }
                kernelNode = .not(child)
            case .and(let lhs, let rhs), .or(let lhs, let rhs):
                guard let left = add(lhs), let right = add(rhs) else { return nil }
                if case .and = node.kind { kernelNode = .and(left, right) } else { kernelNode = .or(left, right) }
            case .conditional(let condition, let then, let otherwise):
                guard let test = add(condition), let yes = add(then), let no = add(otherwise) else { return nil }
                kernelNode = .choose(test, yes, no)
            case .binary(let op, let lhs, let rhs):
                guard op == .equal || op == .notEqual || op.isOrdering || op == .in, let read = read(lhs),
                    let constant = constant(rhs)
                else { return nil }
                let listed = reads[read].field == nil ? slots.symbols[reads[read].slot] : nil
                tests.append(Comparison(op, constant))
                codeTests.append(CodeComparison(op, constant, listed: listed))
                kernelNode = .test(read: read, test: tests.count - 1)
            default:
                return nil
            }
            nodes.append(kernelNode)
            return nodes.count - 1
        }

        /// A read of a top-level field (by slot) or of a field of one, as a ``reads`` index.
        private mutating func read(_ node: ExpressionNode) -> Int? {
            switch node.kind {
            case .identifier(let name):
                guard let slot = slots.index[name] else { return nil }
                reads.append(Read(slot: slot, name: name, field: nil, shapes: []))
            case .select(let operand, let field):
                guard case .identifier(let name) = operand.kind, let slot = slots.index[name] else { return nil }
                reads.append(Read(slot: slot, name: name, field: field, shapes: slots.positions(of: field)))
            default:
                return nil
            }
            return reads.count - 1
        }

        /// A literal, a list of literals, or a parameter of the therapy compiled for.
        private mutating func constant(_ node: ExpressionNode) -> Value? {
            switch node.kind {
            case .literal(let value):
                return value
            case .list(let elements):
                var items: [Value] = []
                for element in elements {
                    guard case .literal(let value) = element.kind else { return nil }
                    items.append(value)
                }
                return .list(items)
            case .select(let operand, let field):
                guard case .identifier("params") = operand.kind else { return nil }
                return parameter(field)
            default:
                return nil
            }
        }

        /// The value of the parameter `name` of the therapy compiled for, if it has one.
        private mutating func parameter(_ name: String) -> Value? {
            guard let value = parameters?.values.field(name) else { return nil }
            readsParameters = true
            return value
        }
    }
}
