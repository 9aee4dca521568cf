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
    /// The most steps a condition with a kernel may take, well inside the tree walker's budget.
    static let maximumSteps = ExpressionLimits.maximumEvaluationSteps / 2
    /// The most steps one `exists` or `all` may take over its elements (its element limit
    /// follows from its predicate's steps).
    static let maximumMacroSteps = 100_000
    /// The most steps the work on one operand may charge: a string of ``longestString`` bytes.
    static let operandSteps = 1 + longestString / 16

    /// A value read from the patient: a top-level field by slot, or a field of the record there.
    struct Read: Sendable {
        /// Whether the read is of the element a macro binds (`c.weeks` in `conservative_care.exists(c, …)`),
        /// not of a top-level field; ``slot`` is then unused.
        let isElement: Bool
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
        /// The first of those, by identity (plain values: reading them retains nothing).
        let firstShape: ObjectIdentifier?
        let firstPosition: Int

        init(
            slot: Int, name: String, field: String?, shapes: [(shape: RecordShape, position: Int)], isElement: Bool = false
        ) {
            (self.slot, self.name, self.field, self.shapes, self.isElement) = (slot, name, field, shapes, isElement)
            (firstShape, firstPosition) = (shapes.first.map { ObjectIdentifier($0.shape) }, shapes.first?.position ?? 0)
            fieldName = field ?? ""
            path = field.map { "\(name).\($0)" } ?? name
        }
    }

    /// A comparison with a constant right operand, made for the constant when compiling: a
    /// string's equality or membership in a list of strings, and an int ordered against an int,
    /// are compared directly; anything else as the fast path compares it.
    ///
    /// A class, read in place: copying a struct with an enum payload out of the array cost more
    /// than the comparison. `@unchecked Sendable`: its buffers are written once, in `init`, and
    /// only read after.
    final class Comparison: @unchecked Sendable {
        let op: BinaryOperator
        let constant: Value
        private let kind: Kind
        /// For ``Kind/strings``: the strings' UTF-8 bytes end to end, and where each one ends
        /// (plain memory: comparing with them retains no string).
        private let stringBytes: UnsafeMutableBufferPointer<UInt8>
        private let stringEnds: UnsafeMutableBufferPointer<Int>

        private enum Kind: Sendable {
            /// Equal to one of the strings (`==`, `in`), or to none of them (`!=`).
            case strings(equal: Bool)
            case int(Int64)
            case general
        }

        init(_ op: BinaryOperator, _ constant: Value) {
            (self.op, self.constant) = (op, constant)
            var strings: [String]?
            switch (op, constant) {
            case (.equal, .string(let text)), (.notEqual, .string(let text)):
                (strings, kind) = ([text], .strings(equal: op == .equal))
            case (.in, .list(let items)):
                var texts: [String] = []
                for case .string(let text) in items { texts.append(text) }
                (strings, kind) = texts.count == items.count ? (texts, .strings(equal: true)) : (nil, .general)
            case (_, .int(let bound)) where op.isOrdering || op == .equal || op == .notEqual:
                kind = .int(bound)
            default:
                kind = .general
            }
            let bytes = (strings ?? []).flatMap(\.utf8)
            stringBytes = .allocate(capacity: bytes.count)
            _ = stringBytes.initialize(from: bytes)
            stringEnds = .allocate(capacity: strings?.count ?? 0)
            var end = 0
            for (index, string) in (strings ?? []).enumerated() {
                end += string.utf8.count
                stringEnds.initializeElement(at: index, to: end)
            }
        }

        deinit {
            stringBytes.deallocate()
            stringEnds.deallocate()
        }

        /// Whether `value` compares so; `nil` to fall back.
        func holds(for value: Value) -> Bool? {
            // One switch on each side (a switch on the pair copied both).
            switch kind {
            case .strings(let equal):
                guard case .string(let text) = value else { break }
                if text.utf8.count > ConditionKernel.longestString { return nil }
                let found = text.utf8.withContiguousStorageIfAvailable(isListed) ?? {
                    var text = text
                    return text.withUTF8(isListed)
                }()
                return found == equal
            case .int(let bound):
                guard case .int(let int) = value else { break }
                return CodeComparison.order(op, int, bound)
            case .general:
                break
            }
            if case .string(let text) = value, text.utf8.count > ConditionKernel.longestString { return nil }
            return FastPath.quickComparison(op, value, constant)
        }

        /// Whether `text` (UTF-8) is one of the strings: the same bytes, so the same scalars
        /// (``Value/sameScalars(_:_:)``).
        private func isListed(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
            var start = 0
            for end in stringEnds {
                defer { start = end }
                guard end - start == text.count else { continue }
                guard let left = text.baseAddress, let right = stringBytes.baseAddress else { return true }
                if Value.sameBytes(left, right + start, count: text.count) { return true }
            }
            return false
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
        /// `days_since` (or `weeks_since`) of a date read, compared with a constant (``tests`` index).
        case days(read: Int, weeks: Bool, test: Int)
        /// A read compared with one of two constants, as a condition node chooses
        /// (`x >= (c ? 6 : params.n)`): both operands are evaluated, as the tree walker does, so
        /// that the unknowns of both are gathered (``tests`` indices for each branch).
        case chosenTest(read: Int, condition: Int, then: Int, otherwise: Int)
        /// `exists` (or `all`) over the list a top-level read gives, of a predicate on each element
        /// (a record), over at most `limit` elements (more fall back: the step budget).
        case exists(read: Int, predicate: Int, all: Bool, limit: Int)
    }

    /// How a node came out.
    enum Truth: Equatable {
        case `true`, `false`, unknown, fallBack

        /// The condition's outcome, or `nil` when the kernel falls back.
        @inline(__always)
        var outcome: TruthValue? {
            switch self {
            case .true: .true
            case .false: .false
            case .unknown: .unknown
            case .fallBack: nil
            }
        }
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
    /// The slot a condition that is one top-level field's test reads (a bool field, or a field
    /// compared with a constant), answered from its code without walking ``nodes``; `-1` else.
    private let rootSlot: Int
    /// That test (``codeTests`` index), or `-1` for a bool field.
    private let rootTest: Int

    /// A kernel for `root`, or `nil` when it holds a node no kernel covers, or is too large.
    init?(_ root: ExpressionNode, slots: FieldSlots, parameters: ParameterSource?) {
        var builder = Builder(slots: slots, parameters: parameters)
        guard let top = builder.add(root), builder.nodes.count <= Self.maximumNodes,
            builder.steps[top] <= Self.maximumSteps
        else { return nil }
        nodes = builder.nodes
        reads = builder.reads
        tests = builder.tests
        codeTests = builder.codeTests
        layout = slots
        self.parameters = builder.readsParameters ? parameters : nil
        switch builder.nodes[top] {
        case .truth(let read) where builder.reads[read].field == nil && !builder.reads[read].isElement:
            (rootSlot, rootTest) = (builder.reads[read].slot, -1)
        case .test(let read, let test) where builder.reads[read].field == nil && !builder.reads[read].isElement:
            (rootSlot, rootTest) = (builder.reads[read].slot, test)
        default:
            (rootSlot, rootTest) = (-1, -1)
        }
    }

    /// The condition's truth for `activation`; the paths of an unknown's absent fields are
    /// appended to `missing` (with repeats, in no set order), which is left as it was otherwise.
    func truth(_ activation: Activation, missing: inout [String]) -> Truth {
        guard activation.isFilled(for: layout) else { return .fallBack }
        if let parameters, activation.parameterSource !== parameters { return .fallBack }
        // One top-level field's test, from its code when that tells (as `truth(of:)` answers it).
        if rootSlot >= 0 {
            let code = activation.slotCode(rootSlot)
            if code.tag == .absent {
                missing.append(layout.names[rootSlot])
                return .unknown
            }
            if rootTest < 0 {
                if code.tag == .bool { return code.payload != 0 ? .true : .false }
            } else if let holds = codeTests[rootTest].holds(for: code) {
                return holds ? .true : .false
            }
        }
        let mark = missing.count
        let result = truth(of: nodes.count - 1, activation, nil, &missing)
        if result != .unknown, missing.count > mark { missing.removeLast(missing.count - mark) }
        return result
    }

    /// The truth of ``nodes``[`index`], with `element` the record a macro binds, if any.
    private func truth(of index: Int, _ activation: Activation, _ element: Record?, _ missing: inout [String]) -> Truth {
        switch nodes[index] {
        case .literal(let value):
            return value ? .true : .false
        case .truth(let read):
            if reads[read].field == nil, !reads[read].isElement {
                let code = activation.slotCode(reads[read].slot)
                switch code.tag {
                case .bool: return code.payload != 0 ? .true : .false
                case .absent:
                    missing.append(reads[read].name)
                    return .unknown
                default: break
                }
            }
            switch value(read, activation, element, &missing) {
            case .read(.bool(let value)): return value ? .true : .false
            case .absent: return .unknown
            case .read, .fallBack: return .fallBack
            }
        case .test(let read, let test):
            if reads[read].field == nil, !reads[read].isElement {
                let code = activation.slotCode(reads[read].slot)
                if code.tag == .absent {
                    missing.append(reads[read].name)
                    return .unknown
                }
                if let holds = codeTests[test].holds(for: code) { return holds ? .true : .false }
            }
            switch value(read, activation, element, &missing) {
            case .read(let value):
                guard let holds = tests[test].holds(for: value) else { return .fallBack }
                return holds ? .true : .false
            case .absent: return .unknown
            case .fallBack: return .fallBack
            }
        case .present(let slot):
            return activation.slotCode(slot).tag == .absent ? .false : .true
        case .not(let child):
            switch truth(of: child, activation, element, &missing) {
            case .true: return .false
            case .false: return .true
            case let other: return other
            }
        case .and(let left, let right):
            return logical(left, right, absorbing: .false, activation, element, &missing)
        case .or(let left, let right):
            return logical(left, right, absorbing: .true, activation, element, &missing)
        case .choose(let test, let then, let otherwise):
            switch truth(of: test, activation, element, &missing) {
            case .true: return truth(of: then, activation, element, &missing)
            case .false: return truth(of: otherwise, activation, element, &missing)
            case let other: return other
            }
        case .days(let read, let weeks, let test):
            let date: CivilDate
            switch value(read, activation, element, &missing) {
            case .read(.date(let read)): date = read
            case .absent: return .unknown
            default: return .fallBack
            }
            guard let asOf = activation.asOf else { return .fallBack }
            let days = asOf.daysSinceEpoch - date.daysSinceEpoch
            guard let holds = tests[test].holds(for: .int(Int64(weeks ? FunctionTable.wholeWeeks(days) : days))) else {
                return .fallBack
            }
            return holds ? .true : .false
        case .chosenTest(let read, let condition, let then, let otherwise):
            let operand = value(read, activation, element, &missing)
            if case .fallBack = operand { return .fallBack }
            let choice = truth(of: condition, activation, element, &missing)
            if choice == .fallBack { return .fallBack }
            guard case .read(let value) = operand, choice != .unknown else { return .unknown }
            guard let holds = tests[choice == .true ? then : otherwise].holds(for: value) else { return .fallBack }
            return holds ? .true : .false
        case .exists(let read, let predicate, let all, let limit):
            let items: [Value]
            switch value(read, activation, element, &missing) {
            case .read(.list(let list)): items = list
            case .absent: return .unknown
            default: return .fallBack
            }
            guard items.count <= limit else { return .fallBack }
            // As the fast path: an element that settles it drops the others' unknown paths; an
            // unknown element's paths stay.
            let mark = missing.count
            let absorbing: Truth = all ? .false : .true
            for item in items {
                guard case .record(let record) = item else { return .fallBack }
                let truth = truth(of: predicate, activation, record, &missing)
                if truth == .fallBack { return .fallBack }
                if truth == absorbing {
                    if missing.count > mark { missing.removeLast(missing.count - mark) }
                    return absorbing
                }
            }
            if missing.count > mark { return .unknown }
            return all ? .true : .false
        }
    }

    /// `&&` (absorbing false) or `||` (absorbing true), as the fast path gives them: the
    /// absorbing value of either side drops the other side's unknown paths.
    private func logical(
        _ left: Int, _ right: Int, absorbing: Truth, _ activation: Activation, _ element: Record?, _ missing: inout [String]
    ) -> Truth {
        let mark = missing.count
        let a = truth(of: left, activation, element, &missing)
        if a == .fallBack || a == absorbing { return a }
        let b = truth(of: right, activation, element, &missing)
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
    private func value(_ index: Int, _ activation: Activation, _ element: Record?, _ missing: inout [String]) -> Reading {
        if reads[index].isElement {
            // An element's absent field is left to the tree walker, as the fast path leaves it.
            guard let element else { return .fallBack }
            // An element stored in the first shape that has the field (a batch's usually is).
            if let shape = reads[index].firstShape, let stored = element.field(at: reads[index].firstPosition, ifStoredIn: shape) {
                guard let value = stored else { return .fallBack }
                return .read(value)
            }
            guard let value = element.field(reads[index].fieldName, in: reads[index].shapes) else { return .fallBack }
            return .read(value)
        }
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
        /// The variable the macro being compiled binds, if any (macros do not nest in a kernel).
        var bound: String?
        /// Each node's most steps as the tree walker counts them (nodes, iterations and the work
        /// on operands: ``FastPath``), so that no kernel answers what would exceed the budget.
        var steps: [Int] = []

        init(slots: FieldSlots, parameters: ParameterSource?) {
            self.slots = slots
            self.parameters = parameters
            // Room for a common condition, so that compiling a pack does not grow each array
            // from empty (a cold start compiles every condition).
            nodes.reserveCapacity(8)
            steps.reserveCapacity(8)
            reads.reserveCapacity(4)
            tests.reserveCapacity(4)
            codeTests.reserveCapacity(4)
        }

        /// Adds `node` and its children, returning its index, or `nil` when no kernel covers it.
        mutating func add(_ node: ExpressionNode) -> Int? {
            guard nodes.count < ConditionKernel.maximumNodes else { return nil }
            let kernelNode: Node
            var stepCount = 3
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
                guard field != bound, let slot = slots.index[field] else { return nil }
                kernelNode = .present(slot: slot)
            case .unary(.not, let operand):
                guard let child = add(operand) else { return nil }
                kernelNode = .not(child)
                stepCount = 1 + steps[child]
            case .and(let lhs, let rhs), .or(let lhs, let rhs):
                guard let left = add(lhs), let right = add(rhs) else { return nil }
                if case .and = node.kind { kernelNode = .and(left, right) } else { kernelNode = .or(left, right) }
                stepCount = 1 + steps[left] + steps[right]
            case .conditional(let condition, let then, let otherwise):
                guard let test = add(condition), let yes = add(then), let no = add(otherwise) else { return nil }
                kernelNode = .choose(test, yes, no)
                stepCount = 1 + steps[test] + steps[yes] + steps[no]
            case .binary(let op, let lhs, let rhs)
            where (op == .equal || op == .notEqual || op.isOrdering) && constant(rhs) == nil:
                // A read compared with a condition's choice of two constants.
                guard case .conditional(let condition, let then, let otherwise) = rhs.kind,
                    let first = constant(then), let second = constant(otherwise), let read = read(lhs),
                    let choice = add(condition)
                else { return nil }
                for constant in [first, second] {
                    tests.append(Comparison(op, constant))
                    codeTests.append(CodeComparison(op, constant, listed: nil))
                }
                kernelNode = .chosenTest(read: read, condition: choice, then: tests.count - 2, otherwise: tests.count - 1)
                // The comparison's node, read and operands, the condition node and its test.
                stepCount = 2 + steps[choice] + max(Self.comparisonSteps(first), Self.comparisonSteps(second))
            case .binary(let op, let lhs, let rhs):
                guard op == .equal || op == .notEqual || op.isOrdering || op == .in, let constant = constant(rhs) else { return nil }
                if case .call(let function, nil, let arguments) = lhs.kind, function == .daysSince || function == .weeksSince,
                    arguments.count == 1, case .int = constant, let read = read(arguments[0])
                {
                    // `days_since(date) < N`: one more node, a date charges nothing.
                    tests.append(Comparison(op, constant))
                    codeTests.append(CodeComparison(op, constant, listed: nil))
                    kernelNode = .days(read: read, weeks: function == .weeksSince, test: tests.count - 1)
                    stepCount = 1 + Self.comparisonSteps(constant)
                    break
                }
                guard let read = read(lhs) else { return nil }
                let listed = reads[read].field == nil && !reads[read].isElement ? slots.symbols[reads[read].slot] : nil
                tests.append(Comparison(op, constant))
                codeTests.append(CodeComparison(op, constant, listed: listed))
                kernelNode = .test(read: read, test: tests.count - 1)
                stepCount = Self.comparisonSteps(constant)
            case .comprehension(let macro):
                guard bound == nil, macro.kind == .exists || macro.kind == .all, macro.secondVariable == nil,
                    macro.transform == nil, let predicateNode = macro.predicate, let range = read(macro.range),
                    !reads[range].isElement
                else { return nil }
                bound = macro.variable
                defer { bound = nil }
                guard let predicate = add(predicateNode) else { return nil }
                // Each element: its iteration's step and the predicate's.
                let limit = ConditionKernel.maximumMacroSteps / (1 + steps[predicate])
                guard limit > 0 else { return nil }
                kernelNode = .exists(read: range, predicate: predicate, all: macro.kind == .all, limit: limit)
                stepCount = 3 + ConditionKernel.maximumMacroSteps
            default:
                return nil
            }
            nodes.append(kernelNode)
            steps.append(stepCount)
            return nodes.count - 1
        }

        /// The most steps of a comparison of a read with `constant`: the node, the read (two
        /// nodes at most), the constant's nodes, and the work on both operands.
        private static func comparisonSteps(_ constant: Value) -> Int {
            let constantNodes = if case .list(let items) = constant { 1 + items.count } else { 1 }
            return 3 + constantNodes + constant.weight(upTo: ConditionKernel.maximumSteps) + ConditionKernel.operandSteps
        }

        /// A read of a top-level field (by slot) or of a field of one, as a ``reads`` index.
        private mutating func read(_ node: ExpressionNode) -> Int? {
            switch node.kind {
            case .select(let operand, let field) where bound != nil && operand.kind == .identifier(bound ?? ""):
                // A field of the element the macro binds.
                reads.append(Read(slot: 0, name: bound ?? "", field: field, shapes: slots.positions(of: field), isElement: true))
            case .identifier(let name):
                guard name != bound, let slot = slots.index[name] else { return nil }
                reads.append(Read(slot: slot, name: name, field: nil, shapes: []))
            case .select(let operand, let field):
                guard case .identifier(let name) = operand.kind, name != bound, let slot = slots.index[name] else { return nil }
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
