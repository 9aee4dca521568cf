/// A rule pack loaded, parsed and type-checked once, ready to evaluate any number of patients
/// on any thread. Evaluating never re-parses or re-checks anything.
public struct CompiledPack: Sendable {
    /// The pack as loaded.
    public let pack: RulePack
    /// The therapies, in pack order, with their compiled conditions.
    public let therapies: [CompiledTherapy]
    /// `sha256:` and the hex SHA-256 of the pack's files (see ``PackDigest``).
    public let digest: String
    /// The slots of the profile's top-level fields, which every condition's fast path reads.
    let slots: FieldSlots

    /// Compiles every condition of the pack against its profile and parameters.
    ///
    /// - Parameter known: A digest worked out before for some files, used when the pack's files
    ///   are those (``PackDigest/digest(of:known:)``).
    /// - Throws: every type or syntax error of every condition, each at its `file:line:column`.
    public init(_ pack: RulePack, knownDigest known: PackDigest.Known? = nil) throws(DiagnosticError) {
        var diagnostics: [Diagnostic] = []
        var therapies: [CompiledTherapy] = []
        let slots = FieldSlots(profile: pack.profile)
        for therapy in pack.therapies {
            let environment = TypeEnvironment(profile: pack.profile, parameters: therapy.parameters)
            let parameters = ParameterSource(therapy.parameters)
            var rules: [CompiledRule] = []
            for rule in therapy.rules {
                let condition = CompiledCondition.compile(
                    rule.when, in: environment, slots: slots, parameters: parameters, diagnostics: &diagnostics)
                rules.append(CompiledRule(rule: rule, condition: condition))
            }
            therapies.append(CompiledTherapy(therapy: therapy, rules: rules, parameters: parameters))
        }
        guard diagnostics.isEmpty else { throw DiagnosticError(diagnostics) }
        self.pack = pack
        self.therapies = therapies
        self.slots = slots
        self.digest = PackDigest.digest(of: pack.files, known: known)
    }

    /// The versions of the therapy files, by therapy id.
    public var versions: [(therapy: String, version: String)] {
        therapies.map { ($0.therapy.id, $0.therapy.version) }
    }
}

/// A therapy whose conditions are compiled: immutable, and shared rather than copied (one
/// reference count for evaluating it, not one for each of its arrays and strings).
public final class CompiledTherapy: Sendable {
    /// The therapy as loaded.
    public let therapy: Therapy
    /// Its rules, in file order.
    public let rules: [CompiledRule]
    /// Its parameters as the record `params`.
    public let parameters: Record
    /// The same, as its conditions' fast paths folded them (an activation carrying it reads
    /// `params.NAME` without a lookup).
    let parameterSource: ParameterSource
    /// The activation's variables, `params`, built once rather than for every patient.
    let variables: [String: Value]
    /// The rules' indices in the order their steps are reported: exclusions, requirements, then
    /// score and caution rules, each group in file order.
    let stepOrder: [Int]
    /// How many rules are exclusions and how many requirements.
    let exclusionCount: Int
    let requirementCount: Int
    /// Each rule's kind, points and id, in step order (what a tally reads, without copying rules).
    let stepKinds: [RuleKind]
    let stepPoints: [Int]
    let stepIDs: [String]
    /// The kinds and points as masks, for a therapy of at most 64 rules (``StepMasks``).
    let stepMasks: StepMasks?
    /// Each rule's condition, in step order (what a batch's verdicts evaluate, without copying rules).
    let stepConditions: [CompiledCondition]
    /// The kernel of each of those that is one expression with a kernel (``ConditionKernel``).
    let stepKernels: [ConditionKernel?]
    /// Those that are an `all:` or `any:` of expressions with kernels (``KernelCompound``).
    let stepCompounds: [KernelCompound?]
    /// The minimum scores for `recommended` and `consider` (the tally reads them without
    /// copying the therapy's `Tiers`).
    let thresholds: (recommended: Int, consider: Int)
    /// The highest score any patient could reach: the sum of the positive points of the score
    /// and caution rules (what ``TierExplanation/highestScore(of:)`` sums over a decision's steps).
    let highestScore: Int
    /// The guideline positions and program items for each diagnosis the therapy names in either
    /// (file order within each), and the items for every diagnosis: worked out once, so that a
    /// patient's are shared rather than filtered anew.
    let byDiagnosis: [(diagnosis: String, positions: [GuidelinePosition], program: [ProgramItem])]
    let programForAny: [ProgramItem]

    init(therapy: Therapy, rules: [CompiledRule], parameters: ParameterSource? = nil) {
        self.therapy = therapy
        self.rules = rules
        let source = parameters ?? ParameterSource(therapy.parameters)
        self.parameterSource = source
        self.parameters = source.values
        self.variables = ["params": .record(source.values)]
        let exclusions = rules.indices.filter { rules[$0].kind == .exclude }
        let requirements = rules.indices.filter { rules[$0].kind == .require }
        let scoring = rules.indices.filter { rules[$0].kind == .score || rules[$0].kind == .caution }
        self.stepOrder = exclusions + requirements + scoring
        self.exclusionCount = exclusions.count
        self.requirementCount = requirements.count
        self.stepKinds = stepOrder.map { rules[$0].kind }
        self.stepPoints = stepOrder.map { rules[$0].points }
        self.stepIDs = stepOrder.map { rules[$0].rule.id }
        self.stepMasks = StepMasks(kinds: stepKinds, points: stepPoints)
        self.stepConditions = stepOrder.map { rules[$0].condition }
        self.stepKernels = stepConditions.map { condition in
            if case .expression(_, let expression) = condition { expression.kernel } else { nil }
        }
        self.stepCompounds = stepConditions.map(KernelCompound.init)
        self.thresholds = (therapy.tiers.recommended, therapy.tiers.consider)
        var diagnoses: [String] = []
        for name in therapy.positions.map(\.diagnosis) + therapy.program.flatMap(\.diagnoses) where !diagnoses.contains(name) {
            diagnoses.append(name)
        }
        byDiagnosis = diagnoses.map { diagnosis in
            (diagnosis, therapy.positions.filter { $0.diagnosis == diagnosis }, therapy.program.filter { $0.applies(to: diagnosis) })
        }
        programForAny = therapy.program.filter { $0.applies(to: nil) }
        self.highestScore = rules.reduce(0) { sum, rule in
            sum + (rule.kind == .score || rule.kind == .caution ? max(0, rule.points) : 0)
        }
    }

    /// The guideline positions for a patient's recorded `diagnosis`, in file order (none when
    /// it is not recorded).
    func positions(for diagnosis: String?) -> [GuidelinePosition] {
        guard let diagnosis else { return [] }
        for known in byDiagnosis where known.diagnosis == diagnosis { return known.positions }
        return []
    }

    /// The program items for a patient's recorded `diagnosis` (`nil`: not recorded), in file
    /// order: those for that diagnosis and those for every diagnosis.
    func program(for diagnosis: String?) -> [ProgramItem] {
        guard let diagnosis else { return programForAny }
        for known in byDiagnosis where known.diagnosis == diagnosis { return known.program }
        return programForAny
    }

    /// The activation its conditions are evaluated in for one patient: `params` (with the
    /// folded parameters' source), the record, its slots and the date.
    func activation(record: Record, slots: SlotValues, asOf date: CivilDate?) -> Activation {
        var activation = Activation(variables: [:], asOf: date)
        activation.record = record
        activation.slots = slots
        enter(&activation)
        return activation
    }

    /// Makes `activation` (another therapy's, for the same patient) this therapy's: its
    /// `params` and their folded source; the record, slots and date stay.
    func enter(_ activation: inout Activation) {
        activation.variables = variables
        activation.parameterSource = parameterSource
    }
}

/// A rule whose condition is compiled.
///
/// Copying one is cheap: the rule and its condition are shared, and the fields evaluation reads
/// for every patient are stored inline.
public struct CompiledRule: Sendable {
    /// The shared, immutable rule and condition.
    private final class Storage: Sendable {
        let rule: Rule
        let condition: CompiledCondition

        init(rule: Rule, condition: CompiledCondition) {
            self.rule = rule
            self.condition = condition
        }
    }

    private let storage: Storage
    /// The rule's kind.
    let kind: RuleKind
    /// The rule's points.
    let points: Int
    /// Its step's `because` when the condition holds, and when it does not (the same for every
    /// patient, so written once).
    let becauseTrue: String
    let becauseFalse: String

    /// The rule as loaded.
    public var rule: Rule { storage.rule }
    /// Its compiled condition.
    public var condition: CompiledCondition { storage.condition }

    init(rule: Rule, condition: CompiledCondition) {
        self.storage = Storage(rule: rule, condition: condition)
        self.kind = rule.kind
        self.points = rule.points
        becauseTrue = Step.because(rule: rule, outcome: .true, missing: [], error: nil)
        becauseFalse = Step.because(rule: rule, outcome: .false, missing: [], error: nil)
    }
}

/// A condition whose expressions are parsed and type-checked.
public indirect enum CompiledCondition: Sendable {
    case expression(ExpressionSource, CompiledExpression)
    case all([CompiledCondition], SourceLocation)
    case any([CompiledCondition], SourceLocation)
    case not(CompiledCondition, SourceLocation)

    static func compile(
        _ condition: Condition, in environment: TypeEnvironment, slots: FieldSlots? = nil, parameters: ParameterSource? = nil,
        diagnostics: inout [Diagnostic]
    ) -> CompiledCondition {
        switch condition {
        case .expression(let source):
            switch CompiledExpression.compile(source.text, environment: environment, slots: slots, parameters: parameters) {
            case .success(let expression):
                return .expression(source, expression)
            case .failure(let failure):
                for error in failure.errors {
                    diagnostics.append(.error(
                        at: source.location(atScalarOffset: error.offset), code: "expression", error.message))
                }
                return .all([], source.location)
            }
        case .all(let items, let location):
            return .all(items.map { compile($0, in: environment, slots: slots, parameters: parameters, diagnostics: &diagnostics) }, location)
        case .any(let items, let location):
            return .any(items.map { compile($0, in: environment, slots: slots, parameters: parameters, diagnostics: &diagnostics) }, location)
        case .not(let item, let location):
            return .not(compile(item, in: environment, slots: slots, parameters: parameters, diagnostics: &diagnostics), location)
        }
    }
}
