/// Evaluates every case under two rule packs and reports what moves (``PackDiff``).
///
/// Each case is read once and loaded as a patient against each pack's own profile (a fixture's
/// `patient`, or a whole patient file), then evaluated at its own `as_of` (without one, date
/// functions come out unknown under both packs alike). Its `expect` block is not read: the diff
/// compares the two packs with each other, not with what a fixture expects.
///
/// A therapy's outcome changes when its tier, its score or the set of its deciding rules
/// differs, or when the therapy is in one pack only. The rules responsible are those whose
/// kind, outcome or counted points differ between the two evaluations, and the rules in one
/// pack only that had an effect there (a true or unknown exclusion, an unmet or unknown
/// requirement, a score or caution rule that counted points).
public enum PackDiffer {
    /// Compares two packs over the cases in `files`.
    ///
    /// - Parameters:
    ///   - old: The pack before the change.
    ///   - new: The pack after the change.
    ///   - files: The case files, in the order to report them (see ``FixtureLoader/files(under:)``).
    /// - Throws: ``DiagnosticError`` of kind `.unreadable` when a case file cannot be read. A case
    ///   that is invalid under a pack is not an error: it is reported in ``PackDiff/invalidCases``.
    public static func diff(old: CompiledPack, new: CompiledPack, files: [String]) throws(DiagnosticError) -> PackDiff {
        var cases: [(file: String, contents: Result<[UInt8], DiagnosticError>)] = []
        var unreadable: [Diagnostic] = []
        for file in files {
            do {
                cases.append((file, .success(try YAMLFrontEnd.readFile(atPath: file))))
            } catch {
                if error.kind == .unreadable { unreadable += error.diagnostics } else { cases.append((file, .failure(error))) }
            }
        }
        if !unreadable.isEmpty { throw DiagnosticError(unreadable, kind: .unreadable) }
        return diff(old: old, new: new, read: cases)
    }

    /// Compares two packs over cases given as bytes.
    ///
    /// - Parameters:
    ///   - cases: Each case's file name (for reports and locations) and its bytes, YAML or JSON.
    public static func diff(
        old: CompiledPack, new: CompiledPack, cases: [(file: String, contents: [UInt8])]
    ) -> PackDiff {
        diff(old: old, new: new, read: cases.map { ($0.file, .success($0.contents)) })
    }

    /// Compares two packs over cases read, or that failed to read as text.
    private static func diff(
        old: CompiledPack, new: CompiledPack, read cases: [(file: String, contents: Result<[UInt8], DiagnosticError>)]
    ) -> PackDiff {
        let oldEvaluator = Evaluator(pack: old)
        let newEvaluator = Evaluator(pack: new)
        var caseChanges: [CaseChange] = []
        var invalidCases: [PackDiff.InvalidCase] = []
        for (file, contents) in cases {
            let before = contents.flatMap { load($0, file: file, pack: old) }
            let after = contents.flatMap { load($0, file: file, pack: new) }
            guard case .success(let oldPatient) = before, case .success(let newPatient) = after else {
                invalidCases.append(PackDiff.InvalidCase(
                    caseID: caseID(before) ?? caseID(after) ?? file, file: file, oldErrors: errors(before),
                    newErrors: errors(after)))
                continue
            }
            let oldEvaluation = oldEvaluator.evaluate(oldPatient, asOf: oldPatient.asOf)
            let newEvaluation = newEvaluator.evaluate(newPatient, asOf: newPatient.asOf)
            caseChanges += compare(
                oldEvaluation.decisions, newEvaluation.decisions, caseID: newPatient.id, file: file, old: old, new: new)
        }
        return PackDiff(
            old: PackDiff.PackIdentity(old), new: PackDiff.PackIdentity(new),
            packChanges: PackComparer.changes(from: old.pack, to: new.pack), caseChanges: caseChanges,
            invalidCases: invalidCases, caseCount: cases.count)
    }

    /// The changed outcomes of one case, by therapy id.
    static func compare(
        _ before: [TherapyDecision], _ after: [TherapyDecision], caseID: String, file: String, old: CompiledPack,
        new: CompiledPack
    ) -> [CaseChange] {
        let ids = Set(before.map(\.therapy)).union(after.map(\.therapy)).sorted()
        var changes: [CaseChange] = []
        for id in ids {
            let oldDecision = before.first { $0.therapy == id }
            let newDecision = after.first { $0.therapy == id }
            var change = CaseChange(
                caseID: caseID, file: file, therapy: id, before: oldDecision.map(CaseChange.Outcome.init),
                after: newDecision.map(CaseChange.Outcome.init), responsible: [])
            guard !change.aspects.isEmpty else { continue }
            if let oldDecision, let newDecision {
                change.responsible = responsible(oldDecision.steps, newDecision.steps)
                let (oldTiers, newTiers) = (thresholds(oldDecision.tiers), thresholds(newDecision.tiers))
                if oldTiers != newTiers {
                    change.thresholds = CaseChange.ThresholdChange(before: oldTiers, after: newTiers)
                }
            }
            changes.append(change)
        }
        return changes
    }

    /// The rules whose outcome differs, in the new steps' order, then the old pack's rules alone.
    static func responsible(_ before: [Step], _ after: [Step]) -> [CaseChange.RuleChange] {
        var result: [CaseChange.RuleChange] = []
        for step in after {
            let new = outcome(step)
            guard let old = before.first(where: { $0.rule == step.rule }).map(outcome) else {
                if hadEffect(step) { result.append(CaseChange.RuleChange(rule: step.rule, before: nil, after: new)) }
                continue
            }
            if old != new { result.append(CaseChange.RuleChange(rule: step.rule, before: old, after: new)) }
        }
        for step in before where hadEffect(step) && !after.contains(where: { $0.rule == step.rule }) {
            result.append(CaseChange.RuleChange(rule: step.rule, before: outcome(step), after: nil))
        }
        return result
    }

    // MARK: - Helpers

    private static func outcome(_ step: Step) -> CaseChange.RuleOutcome {
        CaseChange.RuleOutcome(kind: step.kind, outcome: step.outcome, points: step.points)
    }

    /// Whether a rule's outcome could have shaped the tier or the score.
    private static func hadEffect(_ step: Step) -> Bool {
        switch step.kind {
        case .exclude: step.outcome != .false
        case .require: step.outcome != .true
        case .score, .caution: step.points != 0
        }
    }

    private static func thresholds(_ tiers: Tiers) -> String {
        "recommended \(tiers.recommended), consider \(tiers.consider)"
    }

    private static func load(_ contents: [UInt8], file: String, pack: CompiledPack) -> Result<Patient, DiagnosticError> {
        do {
            return .success(try PatientLoader.load(contents: contents, file: file, profile: pack.pack.profile))
        } catch {
            return .failure(error)
        }
    }

    private static func caseID(_ result: Result<Patient, DiagnosticError>) -> String? {
        if case .success(let patient) = result { return patient.id }
        return nil
    }

    private static func errors(_ result: Result<Patient, DiagnosticError>) -> [String]? {
        if case .failure(let error) = result { return error.diagnostics.map(\.description) }
        return nil
    }
}
