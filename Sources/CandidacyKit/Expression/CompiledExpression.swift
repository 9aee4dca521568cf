/// An expression parsed and type-checked once, ready to evaluate for many patients.
///
/// ```swift
/// let environment = TypeEnvironment(profile: pack.profile, parameters: therapy.parameters)
/// let condition = try CompiledExpression("labs.platelet_count >= 150", environment: environment)
/// let result = condition.evaluate(Activation(patient: patient.record, parameters: therapy.parameters, asOf: date))
/// ```
///
/// Beyond standard CEL, `has(field)` also accepts a bare top-level patient field: it is true
/// exactly when the patient record holds the field, and like `has(a.b)` it is never unknown.
/// The domain functions `days_since`, `weeks_since`, `days_between`, `max`, `min` and `sum`
/// are built in.
public struct CompiledExpression: Sendable {
    /// The fields, in one immutable object: copying an expression (a rule's condition is
    /// copied out for every patient) retains one reference, not a dozen.
    private let storage: Storage

    /// The values of the accessors below.
    private final class Storage: Sendable {
        let text: String
        let textHash: Int
        let root: ExpressionNode
        let resultType: CELType
        let readPaths: [String]
        let readPathParts: [[String]]
        let readPathSlots: [Int?]
        let slotLayout: FieldSlots?
        let absentIsUnknown: Bool
        let fastPath: FastPath?
        let kernel: ConditionKernel?

        init(
            text: String, textHash: Int, root: ExpressionNode, resultType: CELType, readPaths: [String],
            readPathParts: [[String]], readPathSlots: [Int?], slotLayout: FieldSlots?, absentIsUnknown: Bool,
            fastPath: FastPath?, kernel: ConditionKernel?
        ) {
            (self.text, self.textHash, self.root, self.resultType, self.readPaths) = (text, textHash, root, resultType, readPaths)
            (self.readPathParts, self.readPathSlots, self.slotLayout) = (readPathParts, readPathSlots, slotLayout)
            (self.absentIsUnknown, self.fastPath, self.kernel) = (absentIsUnknown, fastPath, kernel)
        }
    }

    /// The expression's text.
    public var text: String { storage.text }
    /// `text`'s hash, worked out once: what looks a node of this expression up by its text
    /// (``ChangePlans``) hashes this instead of the whole text.
    var textHash: Int { storage.textHash }
    /// The parsed syntax tree.
    public var root: ExpressionNode { storage.root }
    /// The static type of the result (`dyn` when compiled without a type check).
    public var resultType: CELType { storage.resultType }
    /// The patient attribute paths the expression reads, in order of first appearance: maximal
    /// chains of field selections rooted at an environment variable (`labs.platelet_count`,
    /// `conservative_care`, `params.steroid_washout_days`), excluding variables bound by macros.
    public var readPaths: [String] { storage.readPaths }
    /// ``readPaths`` split at their dots, for looking the values up without re-splitting.
    var readPathParts: [[String]] { storage.readPathParts }
    /// The slot of each read path's first name in ``slotLayout`` (`nil` for `params` or without
    /// a layout), so that a step's observed values start from the patient's slots.
    var readPathSlots: [Int?] { storage.readPathSlots }
    /// The layout the expression was compiled against, if any.
    var slotLayout: FieldSlots? { storage.slotLayout }
    /// Whether an absent variable is unknown (type-checked) rather than an error (parse only).
    var absentIsUnknown: Bool { storage.absentIsUnknown }
    /// The closure-compiled form for the common case, when the expression has one.
    var fastPath: FastPath? { storage.fastPath }
    /// The form read straight from a patient's slots, when the expression is a small condition
    /// of the kinds it covers and was compiled against a layout.
    var kernel: ConditionKernel? { storage.kernel }

    /// Parses and checks `text` against `environment`; with `expecting` (by default `bool`, as
    /// for a rule condition), a result of another type is an error too.
    ///
    /// - Throws: every syntax or type error found, each with its Unicode-scalar offset into `text`.
    public init(_ text: String, environment: TypeEnvironment, expecting expected: CELType? = .bool) throws(ExpressionErrors) {
        try self.init(text, environment: environment, expecting: expected, slots: nil)
    }

    /// Parses and checks `text`, its fast path reading top-level fields by slot in `slots`'s
    /// layout (the compiled pack's), and `params.NAME` as the value in `parameters` (the
    /// therapy's), when the activation carries them.
    init(
        _ text: String, environment: TypeEnvironment, expecting expected: CELType? = .bool, slots: FieldSlots?,
        parameters: ParameterSource? = nil
    ) throws(ExpressionErrors) {
        let root: ExpressionNode
        do {
            root = try ExpressionParser.parse(text)
        } catch {
            throw ExpressionErrors([error])
        }
        let resultType: CELType
        switch TypeChecker.check(root, in: environment, expecting: expected) {
        case .success(let type): resultType = type
        case .failure(let errors): throw errors
        }
        let readPaths = CompiledExpression.readPaths(of: root) { environment.type(of: $0) != nil }
        let readPathParts = readPaths.map { $0.split(separator: ".").map(String.init) }
        storage = Storage(
            text: text, textHash: text.hashValue, root: root, resultType: resultType, readPaths: readPaths,
            readPathParts: readPathParts, readPathSlots: readPathParts.map { parts in parts.first.flatMap { slots?.index[$0] } },
            slotLayout: slots, absentIsUnknown: true, fastPath: FastPath(root, slots: slots, parameters: parameters),
            kernel: slots.flatMap { ConditionKernel(root, slots: $0, parameters: parameters) })
    }

    /// Parses `text` without a type check: variables are whatever the activation holds, and an
    /// absent one is an error (CEL's behaviour for unchecked expressions).
    public init(parsingOnly text: String) throws(ExpressionErrors) {
        let root: ExpressionNode
        do {
            root = try ExpressionParser.parse(text)
        } catch {
            throw ExpressionErrors([error])
        }
        let readPaths = CompiledExpression.readPaths(of: root) { _ in true }
        storage = Storage(
            text: text, textHash: text.hashValue, root: root, resultType: .dyn, readPaths: readPaths,
            readPathParts: readPaths.map { $0.split(separator: ".").map(String.init) }, readPathSlots: readPaths.map { _ in nil },
            slotLayout: nil, absentIsUnknown: false, fastPath: FastPath(root, absentIsUnknown: false), kernel: nil)
    }

    /// Parses and checks `text`, returning the compiled expression or every error found.
    public static func compile(
        _ text: String, environment: TypeEnvironment, expecting expected: CELType? = .bool
    ) -> Result<CompiledExpression, ExpressionErrors> {
        compile(text, environment: environment, expecting: expected, slots: nil)
    }

    static func compile(
        _ text: String, environment: TypeEnvironment, expecting expected: CELType? = .bool, slots: FieldSlots?,
        parameters: ParameterSource? = nil
    ) -> Result<CompiledExpression, ExpressionErrors> {
        do {
            return .success(
                try CompiledExpression(text, environment: environment, expecting: expected, slots: slots, parameters: parameters))
        } catch {
            return .failure(error)
        }
    }

    /// Evaluates the expression; never re-parses or re-checks.
    ///
    /// The closure-compiled fast path answers values and the unknowns whose paths it knows;
    /// anything else (errors, unknowns inside macros) is evaluated again by the tree walker,
    /// which reports it exactly.
    public func evaluate(_ activation: Activation) -> EvaluationResult {
        if let fastPath, let result = fastPath.evaluate(activation) { return result }
        var evaluator = ExpressionEvaluator(activation: activation, absentIsUnknown: absentIsUnknown)
        return evaluator.evaluate(root)
    }

    /// A result as a rule's step uses it: an unknown's paths sorted, each once.
    enum Outcome: Equatable {
        case value(Value)
        case unknown([String])
        case error(EvaluationError)
    }

    /// ``evaluate(_:)``, with an unknown's attribute paths sorted and each listed once (the
    /// fast path sorts its list of paths and builds no set).
    func evaluateSorted(_ activation: Activation) -> Outcome {
        var frame = FastPath.Frame()
        return evaluateSorted(activation, frame: &frame)
    }

    /// ``evaluateSorted(_:)`` in a fast-path frame the caller keeps for its next evaluation.
    @inline(__always)
    func evaluateSorted(_ activation: Activation, frame: inout FastPath.Frame) -> Outcome {
        if kernel != nil {
            if !frame.missing.isEmpty { frame.missing.removeAll(keepingCapacity: true) }
            switch kernel?.truth(activation, missing: &frame.missing) {
            case .true?: return .value(.bool(true))
            case .false?: return .value(.bool(false))
            case .unknown?: return .unknown(FastPath.sortedUnique(frame.missing))
            case .fallBack?, nil: break
            }
        }
        // Called through the optional: binding it to a constant would retain its closures.
        if let outcome = fastPath?.evaluateSorted(activation, frame: &frame) { return outcome }
        switch evaluate(root, activation) {
        case .value(let value): return .value(value)
        case .unknown(let paths): return .unknown(paths.sorted())
        case .error(let error): return .error(error)
        }
    }

    /// Evaluates one node of this expression's tree (outside any macro), such as one side of
    /// an `&&`, so that an explanation can tell which part of a condition failed.
    public func evaluate(_ node: ExpressionNode, _ activation: Activation) -> EvaluationResult {
        var evaluator = ExpressionEvaluator(activation: activation, absentIsUnknown: absentIsUnknown)
        return evaluator.evaluate(node)
    }

    // MARK: Read paths

    private static func readPaths(of root: ExpressionNode, isVariable: (String) -> Bool) -> [String] {
        var paths: [String] = []
        var seen: Set<String> = []
        var bound: [String] = []
        func add(_ path: String) {
            if seen.insert(path).inserted { paths.append(path) }
        }
        func chain(_ node: ExpressionNode) -> String? {
            node.selectionPath(bound: bound, isVariable: isVariable)
        }
        func visit(_ node: ExpressionNode) {
            if let path = chain(node) {
                add(path)
                return
            }
            switch node.kind {
            case .presenceTest(let operand, let field):
                if let operand {
                    if let path = chain(operand) { add("\(path).\(field)") } else { visit(operand) }
                } else if !bound.contains(field), isVariable(field) {
                    add(field)
                }
            case .comprehension(let comprehension):
                visit(comprehension.range)
                bound.append(comprehension.variable)
                if let second = comprehension.secondVariable { bound.append(second) }
                if let predicate = comprehension.predicate { visit(predicate) }
                if let transform = comprehension.transform { visit(transform) }
                bound.removeLast(comprehension.secondVariable == nil ? 1 : 2)
            default:
                for child in node.children { visit(child) }
            }
        }
        visit(root)
        return paths
    }
}
