/// Evaluates patients against a compiled pack: each rule's outcome, each therapy's tier and
/// score, and the steps that led there. A value type; use one from any number of threads.
public struct Evaluator: Sendable {
    /// How much of the explanation to build.
    public enum Detail: Sendable, Hashable {
        /// Everything a report shows: steps with values, "what would change", programs.
        case full
        /// Tiers, scores, ranges, missing fields, cautions and deciding rules only, for cohorts
        /// (`--format decisions`); steps carry outcomes and points but may omit values and reasons.
        case decisions
    }

    /// The compiled pack.
    public let pack: CompiledPack
    /// How much of the explanation to build.
    public let detail: Detail

    /// Creates an evaluator for a compiled pack.
    public init(pack: CompiledPack, detail: Detail = .full) {
        self.pack = pack
        self.detail = detail
    }

    /// Evaluates one patient.
    ///
    /// - Parameters:
    ///   - patient: the patient.
    ///   - asOf: the date to evaluate at; `nil` uses the patient's `as_of`.
    ///   - therapyIDs: the therapies to evaluate; `nil` means all of them.
    public func evaluate(_ patient: Patient, asOf: CivilDate? = nil, therapies therapyIDs: Set<String>? = nil) -> PatientEvaluation {
        let date = asOf ?? patient.asOf
        var decisions: [TherapyDecision] = []
        for therapy in pack.therapies where therapyIDs?.contains(therapy.therapy.id) ?? true {
            decisions.append(decide(therapy, for: patient, asOf: date))
        }
        let order = Dictionary(uniqueKeysWithValues: pack.therapies.enumerated().map { ($1.therapy.id, $0) })
        decisions.sort { lhs, rhs in
            if lhs.tier != rhs.tier { return lhs.tier < rhs.tier }
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            return (order[lhs.therapy] ?? 0) < (order[rhs.therapy] ?? 0)
        }
        return PatientEvaluation(patient: patient.id, file: patient.file, asOf: date, decisions: decisions)
    }

    /// Evaluates one therapy for one patient.
    public func decide(_ compiled: CompiledTherapy, for patient: Patient, asOf date: CivilDate?) -> TherapyDecision {
        let therapy = compiled.therapy
        var activation = Activation(patient: patient.record, asOf: date)
        activation.variables = ["params": .record(compiled.parameters)]
        let context = StepContext(patient: patient.record, parameters: compiled.parameters, activation: activation)

        var exclusions: [Step] = []
        var requirements: [Step] = []
        var scoring: [Step] = []
        for rule in compiled.rules {
            let step = context.step(for: rule)
            switch rule.rule.kind {
            case .exclude: exclusions.append(step)
            case .require: requirements.append(step)
            case .score, .caution: scoring.append(step)
            }
        }

        let score = scoring.reduce(0) { $0 + $1.points }
        let unknownScoring = scoring.filter { $0.outcome == .unknown }
        let low = score + unknownScoring.reduce(0) { $0 + min(0, $1.potentialPoints) }
        let high = score + unknownScoring.reduce(0) { $0 + max(0, $1.potentialPoints) }
        let scoreProvisional = Tier.scored(low, therapy.tiers) != Tier.scored(high, therapy.tiers)

        let tier: Tier
        let deciding: [Step]
        let gates = exclusions + requirements
        if case let hits = exclusions.filter({ $0.outcome == .true }), !hits.isEmpty {
            (tier, deciding) = (.contraindicated, hits)
        } else if case let unmet = requirements.filter({ $0.outcome == .false }), !unmet.isEmpty {
            (tier, deciding) = (.ineligible, unmet)
        } else if case let open = gates.filter({ $0.outcome == .unknown }), !open.isEmpty {
            (tier, deciding) = (.needsData, open)
        } else {
            (tier, deciding) = (Tier.scored(score, therapy.tiers), scoring.filter { $0.points != 0 })
        }

        let steps = exclusions + requirements + scoring
        var missing: [String] = []
        for step in steps where step.outcome == .unknown {
            for path in step.missing where !missing.contains(path) { missing.append(path) }
        }
        let cautions = scoring.filter { $0.kind == .caution && $0.outcome == .true }.map(\.rule)
        let settledNegative = tier == .contraindicated || tier == .ineligible
        var decision = TherapyDecision(
            therapy: therapy.id, title: therapy.title, version: therapy.version, tier: tier, score: score,
            scoreRange: low...high, provisional: !settledNegative && scoreProvisional, missing: missing,
            cautions: cautions, deciding: deciding.map(\.rule), steps: steps, tiers: therapy.tiers,
            positions: Self.positions(of: therapy, for: patient))
        guard detail == .full else { return decision }
        decision.whatWouldChange = ChangeFinder(patient: patient.record, activation: activation, profile: pack.pack.profile)
            .suggestions(for: decision, rules: compiled.rules)
        if tier == .recommended || tier == .consider {
            let diagnosis: String? = if case .string(let value)? = patient.record.fields[GuidelinePosition.diagnosisField] { value } else { nil }
            decision.program = therapy.program.filter { $0.applies(to: diagnosis) }
        }
        return decision
    }

    /// The therapy's guideline positions for the patient's recorded `diagnosis`, in file order.
    static func positions(of therapy: Therapy, for patient: Patient) -> [GuidelinePosition] {
        guard case .string(let diagnosis)? = patient.record.fields[GuidelinePosition.diagnosisField] else { return [] }
        return therapy.positions.filter { $0.diagnosis == diagnosis }
    }
}

/// What evaluating the conditions of one therapy for one patient needs.
private struct StepContext {
    let patient: Record
    let parameters: Record
    let activation: Activation

    func step(for compiled: CompiledRule) -> Step {
        let rule = compiled.rule
        var step = evaluate(compiled.condition, rule: rule)
        let scored = rule.kind == .score || rule.kind == .caution
        step.potentialPoints = scored ? rule.points : 0
        step.points = scored && step.outcome == .true ? rule.points : 0
        step.location = rule.location
        step.because = Self.because(rule: rule, step: step)
        return step
    }

    private func evaluate(_ condition: CompiledCondition, rule: Rule) -> Step {
        switch condition {
        case .expression(let source, let expression):
            let values = expression.readPaths.map { path in
                ObservedValue(path: path, value: value(at: path))
            }
            var outcome = TruthValue.unknown
            var missing: [String] = []
            var error: String?
            switch expression.evaluate(activation) {
            case .value(.bool(let holds)):
                outcome = holds ? .true : .false
            case .value(let other):
                error = "the condition gave \(other.typeName), not a bool"
            case .unknown(let paths):
                missing = paths.sorted()
            case .error(let failure):
                error = failure.message
            }
            return Step(
                rule: rule.id, kind: rule.kind, title: rule.title, condition: source.text,
                location: source.location, outcome: outcome, points: 0, potentialPoints: 0, values: values,
                missing: missing, error: error, because: "", items: [])
        case .all(let items, let location):
            let steps = items.map { evaluate($0, rule: rule) }
            return compound("all", steps, TruthValue.and(steps.map(\.outcome)), location, rule)
        case .any(let items, let location):
            let steps = items.map { evaluate($0, rule: rule) }
            return compound("any", steps, TruthValue.or(steps.map(\.outcome)), location, rule)
        case .not(let item, let location):
            let inner = evaluate(item, rule: rule)
            return compound("not", [inner], inner.outcome.negated, location, rule)
        }
    }

    private func compound(_ name: String, _ items: [Step], _ outcome: TruthValue, _ location: SourceLocation, _ rule: Rule) -> Step {
        var values: [ObservedValue] = []
        var missing: [String] = []
        for item in items {
            for value in item.values where !values.contains(where: { $0.path == value.path }) { values.append(value) }
            if outcome == .unknown, item.outcome == .unknown {
                for path in item.missing where !missing.contains(path) { missing.append(path) }
            }
        }
        let errors = items.compactMap(\.error)
        var items = items
        for index in items.indices { items[index].because = Self.because(rule: nil, step: items[index]) }
        return Step(
            rule: rule.id, kind: rule.kind, title: rule.title, condition: name, location: location,
            outcome: outcome, points: 0, potentialPoints: 0, values: values, missing: missing,
            error: outcome == .unknown && !errors.isEmpty ? errors.joined(separator: "; ") : nil,
            because: "", items: items)
    }

    private func value(at path: String) -> Value? {
        let parts = path.split(separator: ".").map(String.init)
        if parts.first == "params", parts.count > 1 {
            return parameters.value(atPath: Array(parts.dropFirst()))
        }
        return patient.value(atPath: parts)
    }

    /// One sentence on why a step came out as it did.
    static func because(rule: Rule?, step: Step) -> String {
        let reason = rule?.reason.map { ": " + $0.trimmingTrailingWhitespace() } ?? ""
        switch (step.outcome, rule?.kind) {
        case (.true, .exclude?): return "applies" + reason
        case (.false, .exclude?): return "does not apply"
        case (.true, .require?): return "met"
        case (.false, .require?): return "not met" + reason
        case (.true, _): return "holds" + reason
        case (.false, _): return "does not hold"
        case (.unknown, _):
            if let error = step.error { return "cannot be decided: \(error)" }
            if step.missing.isEmpty { return "cannot be decided" }
            return "cannot be decided: \(step.missing.joined(separator: ", ")) not recorded"
        }
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
