/// Evaluates patients against a compiled pack: each rule's outcome, each therapy's tier and
/// score, and the steps that led there. A value type; use one from any number of threads.
public struct Evaluator: Sendable {
    /// How much of the explanation to build.
    public enum Detail: Sendable, Hashable {
        /// Everything a report shows: steps with values, "what would change", programs.
        case full
        /// Tiers, scores, ranges, missing fields, cautions and deciding rules only, for cohorts
        /// (`--format decisions`): no steps, guideline positions, "what would change" or programs.
        case decisions
    }

    /// The compiled pack.
    public let pack: CompiledPack
    /// How much of the explanation to build.
    public let detail: Detail

    /// Each therapy's change plans, by therapy (a batch's full reports: worked out once).
    let changePlans: [ObjectIdentifier: ChangePlans]

    /// Creates an evaluator for a compiled pack.
    public init(pack: CompiledPack, detail: Detail = .full) {
        self.init(pack: pack, detail: detail, plansChanges: false)
    }

    /// - Parameter plansChanges: Work out the parts of "what would change" that are the same
    ///   for every patient now, once (for a batch of full reports), rather than for each patient.
    init(pack: CompiledPack, detail: Detail, plansChanges: Bool) {
        self.pack = pack
        self.detail = detail
        var plans: [ObjectIdentifier: ChangePlans] = [:]
        if plansChanges, detail == .full {
            for therapy in pack.therapies { plans[ObjectIdentifier(therapy)] = ChangePlans(therapy, profile: pack.pack.profile) }
        }
        changePlans = plans
    }

    /// Evaluates one patient.
    ///
    /// - Parameters:
    ///   - patient: the patient.
    ///   - asOf: the date to evaluate at; `nil` uses the patient's `as_of`.
    ///   - therapyIDs: the therapies to evaluate; `nil` means all of them.
    public func evaluate(_ patient: Patient, asOf: CivilDate? = nil, therapies therapyIDs: Set<String>? = nil) -> PatientEvaluation {
        evaluate(patient, asOf: asOf, therapies: therapyIDs, slots: nil)
    }

    /// Evaluates one patient whose top-level fields by slot are given (in this pack's layout,
    /// from the same record), or read from the record when `nil`.
    ///
    /// With ``Detail/decisions`` and slots given, conditions read every top-level field from
    /// the slots, so the record need hold only the patient's identity (`id`, `as_of`): a batch
    /// of decisions reads its lines so. Full reports read the record itself (observed values,
    /// "what would change", guideline positions) and need it whole.
    func evaluate(_ patient: Patient, asOf: CivilDate?, therapies therapyIDs: Set<String>?, slots given: SlotValues?)
        -> PatientEvaluation
    {
        let date = asOf ?? patient.asOf
        var decisions: [TherapyDecision] = []
        decisions.reserveCapacity(pack.therapies.count)
        // The patient's top-level fields by slot, read once for every therapy's conditions.
        let slots = given ?? SlotValues(layout: pack.slots, record: patient.record)
        for therapy in pack.therapies where therapyIDs?.contains(therapy.therapy.id) ?? true {
            decisions.append(decide(therapy, for: patient, asOf: date, slots: slots))
        }
        Self.rank(&decisions)
        return PatientEvaluation(patient: patient.id, file: patient.file, asOf: date, decisions: decisions)
    }

    /// Ranks decisions by tier, then score (higher first); pack order breaks ties (therapy ids
    /// are unique in a pack, so this is the order by id position). A swap moves a decision where
    /// sorting by position would copy every one.
    static func rank(_ decisions: inout [TherapyDecision]) {
        var keys = decisions.map { (tier: $0.tier, score: $0.score) }
        rank(count: keys.count, key: { keys[$0] }) { a, b in
            keys.swapAt(a, b)
            decisions.swapAt(a, b)
        }
    }

    /// The ranking of ``rank(_:)`` over positions `0..<count`, for any storage: a stable
    /// insertion sort (a pack has a handful of therapies), `key` giving a position's tier and
    /// score and `swap` exchanging two positions.
    @inline(__always)
    static func rank(count: Int, key: (Int) -> (tier: Tier, score: Int), swap: (Int, Int) -> Void) {
        for index in 1..<max(count, 1) {
            var position = index
            while position > 0 {
                let (a, b) = (key(position), key(position - 1))
                guard a.tier < b.tier || (a.tier == b.tier && a.score > b.score) else { break }
                swap(position, position - 1)
                position -= 1
            }
        }
    }

    /// Evaluates one therapy for one patient.
    public func decide(_ compiled: CompiledTherapy, for patient: Patient, asOf date: CivilDate?) -> TherapyDecision {
        decide(compiled, for: patient, asOf: date, slots: SlotValues(layout: pack.slots, record: patient.record))
    }

    private func decide(_ compiled: CompiledTherapy, for patient: Patient, asOf date: CivilDate?, slots: SlotValues)
        -> TherapyDecision
    {
        // Read the therapy's fields in place: binding the whole `Therapy` would copy every field.
        let activation = compiled.activation(record: patient.record, slots: slots, asOf: date)
        let context = StepContext(
            patient: patient.record, parameters: compiled.parameters, activation: activation, explains: detail == .full)

        // The rules in report order (exclusions, requirements, scoring), one pass. `.decisions`
        // keeps each rule's outcome and missing fields only; `.full` builds its whole step.
        var steps: [Step] = []
        var verdicts: [Verdict] = []
        verdicts.reserveCapacity(compiled.rules.count)
        // One fast-path frame for the therapy's conditions: its arrays are allocated once.
        var frame = FastPath.Frame()
        if detail == .full {
            steps.reserveCapacity(compiled.rules.count)
            for index in compiled.stepOrder {
                let step = context.step(for: compiled.rules[index], frame: &frame)
                verdicts.append(Verdict(outcome: step.outcome, missing: step.missing))
                steps.append(step)
            }
        } else {
            self.verdicts(of: compiled, in: activation, into: &verdicts, frame: &frame)
        }
        return decision(of: compiled, verdicts: verdicts, steps: steps, patient: patient, activation: activation)
    }

    /// A therapy's decision from its rules' verdicts in step order, with the rules' steps
    /// (empty when they are not built) and, with ``Detail/full``, what only reports show.
    func decision(
        of compiled: CompiledTherapy, verdicts: [Verdict], steps: [Step], patient: Patient, activation: Activation
    ) -> TherapyDecision {
        let tally = DecisionTally(compiled, verdicts: verdicts)
        var decision = TherapyDecision(
            therapy: compiled.therapy.id, title: compiled.therapy.title, version: compiled.therapy.version,
            tier: tally.tier, score: tally.score, scoreRange: tally.low...tally.high, provisional: tally.provisional,
            missing: tally.missing, cautions: tally.cautions(compiled, verdicts), deciding: tally.deciding(compiled, verdicts),
            steps: steps,
            tiers: compiled.therapy.tiers)
        if detail == .full { explain(&decision, compiled, verdicts: verdicts, patient: patient, activation: activation) }
        return decision
    }

    /// The verdicts of a therapy's rules for one patient, in step order, in `verdicts` (its
    /// storage kept): what a decision's tally, and a decisions line, are made from.
    ///
    /// - Parameters:
    ///   - activation: The patient's activation with this therapy's variables (`params`): its
    ///     record (only the identity is needed when its slots hold the rest), slots and date.
    ///   - frame: A fast-path frame kept for the next evaluation.
    func verdicts(
        of compiled: CompiledTherapy, in activation: Activation, into verdicts: inout [Verdict], frame: inout FastPath.Frame
    ) {
        // One verdict a rule, each overwritten in place (emptying the array first costs more
        // than the evaluation of a simple rule): the array is sized first.
        let count = compiled.stepConditions.count
        while verdicts.count < count { verdicts.append(Verdict(outcome: .unknown, missing: [])) }
        while verdicts.count > count { verdicts.removeLast() }
        for index in 0..<count {
            // A condition with a kernel is answered by it; an unknown verdict takes the scratch
            // list's storage, swapped with its own (nothing copied, allocated or released), and a
            // settled one empties its list, keeping the storage.
            if let kernel = compiled.stepKernels[index] {
                FastPath.empty(&frame.missing)
                let truth = kernel.truth(activation, missing: &frame.missing)
                switch truth.outcome {
                case .unknown?:
                    verdicts[index].outcome = .unknown
                    swap(&frame.missing, &verdicts[index].missing)
                    FastPath.sortUnique(&verdicts[index].missing)
                    continue
                case let settled?:
                    verdicts[index].outcome = settled
                    FastPath.empty(&verdicts[index].missing)
                    continue
                case nil:
                    break
                }
            } else if let compound = compiled.stepCompounds[index],
                compound.verdict(activation, scratch: &frame.missing, into: &verdicts[index])
            {
                continue
            }
            // Else, or when an item falls back, as a step would find it.
            verdicts[index] = StepContext.verdict(compiled.stepConditions[index], in: activation, frame: &frame)
        }
    }

    /// Adds to a decision what only reports show: guideline positions, what would change, and
    /// the program.
    private func explain(
        _ decision: inout TherapyDecision, _ compiled: CompiledTherapy, verdicts: [Verdict], patient: Patient,
        activation: Activation
    ) {
        let diagnosis = Self.diagnosis(of: patient)
        decision.positions = compiled.positions(for: diagnosis)
        let tier = decision.tier
        decision.whatWouldChange = ChangeFinder(
            patient: patient.record, activation: activation, profile: pack.pack.profile,
            plans: changePlans[ObjectIdentifier(compiled)]
        ).suggestions(for: decision, of: compiled, verdicts: verdicts)
        if tier == .recommended || tier == .consider {
            decision.program = compiled.program(for: diagnosis)
        }
    }

    /// The patient's recorded `diagnosis` (the field positions and programs are keyed by), if any.
    static func diagnosis(of patient: Patient) -> String? {
        guard case .string(let diagnosis)? = patient.record.field(GuidelinePosition.diagnosisField) else { return nil }
        return diagnosis
    }
}

/// What evaluating the conditions of one therapy for one patient needs.
struct StepContext {
    let patient: Record
    let parameters: Record
    let activation: Activation
    /// Whether to build what only reports show: observed values and `because` sentences.
    let explains: Bool

    func step(for compiled: CompiledRule, frame: inout FastPath.Frame) -> Step {
        var step = evaluate(compiled.condition, rule: compiled, frame: &frame)
        let scored = compiled.kind == .score || compiled.kind == .caution
        step.potentialPoints = scored ? compiled.points : 0
        step.points = scored && step.outcome == .true ? compiled.points : 0
        step.location = compiled.rule.location
        if explains {
            switch step.outcome {
            case .true: step.because = compiled.becauseTrue
            case .false: step.because = compiled.becauseFalse
            case .unknown: step.because = Step.because(rule: compiled.rule, outcome: .unknown, missing: step.missing, error: step.error)
            }
        }
        return step
    }

    /// A condition's outcome and missing fields alone, as `step(for:)` would find them; it
    /// needs only the activation.
    static func verdict(_ condition: CompiledCondition, in activation: Activation, frame: inout FastPath.Frame) -> Verdict {
        switch condition {
        case .expression(_, let expression):
            switch expression.evaluateSorted(activation, frame: &frame) {
            case .value(.bool(let holds)): return Verdict(outcome: holds ? .true : .false, missing: [])
            case .value, .error: return Verdict(outcome: .unknown, missing: [])
            case .unknown(let paths): return Verdict(outcome: .unknown, missing: paths)
            }
        case .all(let items, _):
            return combined(items.map { verdict($0, in: activation, frame: &frame) }) { TruthValue.and($0) }
        case .any(let items, _):
            return combined(items.map { verdict($0, in: activation, frame: &frame) }) { TruthValue.or($0) }
        case .not(let item, _):
            let inner = verdict(item, in: activation, frame: &frame)
            return Verdict(outcome: inner.outcome.negated, missing: inner.missing)
        }
    }

    /// `all:` or `any:` of verdicts (or `not:` of one): missing fields are those of the unknown
    /// items, in order, when the result is unknown (as `compound` gathers them).
    static func combined(_ items: [Verdict], _ combine: ([TruthValue]) -> TruthValue) -> Verdict {
        let outcome = combine(items.map(\.outcome))
        var missing: [String] = []
        if outcome == .unknown {
            for item in items where item.outcome == .unknown {
                FastPath.appendNew(item.missing, to: &missing)
            }
        }
        return Verdict(outcome: outcome, missing: missing)
    }

    private func evaluate(_ condition: CompiledCondition, rule: CompiledRule, frame: inout FastPath.Frame) -> Step {
        switch condition {
        case .expression(let source, let expression):
            let values = explains ? expression.readPathParts.indices.map { index in
                ObservedValue(path: expression.readPaths[index], value: value(read: index, by: expression))
            } : []
            var outcome = TruthValue.unknown
            var missing: [String] = []
            var error: String?
            switch expression.evaluateSorted(activation, frame: &frame) {
            case .value(.bool(let holds)):
                outcome = holds ? .true : .false
            case .value(let other):
                error = "the condition gave \(other.typeName), not a bool"
            case .unknown(let paths):
                missing = paths
            case .error(let failure):
                error = failure.message
            }
            return Step(
                rule: rule.rule.id, kind: rule.kind, title: rule.rule.title, condition: source.text,
                location: source.location, outcome: outcome, points: 0, potentialPoints: 0, values: values,
                missing: missing, error: error, because: "", items: [])
        case .all(let items, let location):
            let steps = items.map { item($0, rule: rule, frame: &frame) }
            return compound("all", steps, TruthValue.and(steps.map(\.outcome)), location, rule)
        case .any(let items, let location):
            let steps = items.map { item($0, rule: rule, frame: &frame) }
            return compound("any", steps, TruthValue.or(steps.map(\.outcome)), location, rule)
        case .not(let inner, let location):
            let step = item(inner, rule: rule, frame: &frame)
            return compound("not", [step], step.outcome.negated, location, rule)
        }
    }

    /// The step of an item of a compound condition, with its own `because` sentence when
    /// explaining (set here, so that the compound's step takes the items as they are).
    private func item(_ condition: CompiledCondition, rule: CompiledRule, frame: inout FastPath.Frame) -> Step {
        var step = evaluate(condition, rule: rule, frame: &frame)
        if explains { step.because = Step.because(rule: nil, outcome: step.outcome, missing: step.missing, error: step.error) }
        return step
    }

    private func compound(_ name: String, _ items: [Step], _ outcome: TruthValue, _ location: SourceLocation, _ rule: CompiledRule) -> Step {
        var values: [ObservedValue] = []
        values.reserveCapacity(items.reduce(0) { $0 + $1.values.count })
        var missing: [String] = []
        // Each item read in place (a loop variable would copy the whole step).
        for index in items.indices {
            for value in items[index].values where !values.contains(where: { $0.path == value.path }) { values.append(value) }
            if outcome == .unknown, items[index].outcome == .unknown {
                FastPath.appendNew(items[index].missing, to: &missing)
            }
        }
        let errors = items.compactMap(\.error)
        return Step(
            rule: rule.rule.id, kind: rule.kind, title: rule.rule.title, condition: name, location: location,
            outcome: outcome, points: 0, potentialPoints: 0, values: values, missing: missing,
            error: outcome == .unknown && !errors.isEmpty ? errors.joined(separator: "; ") : nil,
            because: "", items: items)
    }

    /// The value at an expression's read path: from the patient's slots when they were filled
    /// for the layout it was compiled against, else by name (the same value either way: the
    /// slots hold the record's top-level values).
    func value(read index: Int, by expression: CompiledExpression) -> Value? {
        let parts = expression.readPathParts[index]
        guard let slot = expression.readPathSlots[index], let layout = expression.slotLayout else { return value(at: parts) }
        guard var value = activation.variable(parts[0], slot: slot, of: layout) else { return nil }
        for name in parts.dropFirst() {
            guard case .record(let record) = value, let next = record.field(name) else { return nil }
            value = next
        }
        return value
    }

    /// The value at a read path split at its dots: `params.NAME` or a patient path.
    private func value(at parts: [String]) -> Value? {
        if parts.first == "params", parts.count > 1 {
            return parameters.value(atPath: Array(parts.dropFirst()))
        }
        return patient.value(atPath: parts)
    }
}

extension String {
    /// The string without the white space at its end, such as a folded YAML scalar's final newline.
    func trimmingTrailingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
