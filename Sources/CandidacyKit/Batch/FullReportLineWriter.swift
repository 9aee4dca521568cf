/// Writes a batch's full reports (`--format json`, one line a patient) from each therapy's
/// verdicts: the bytes ``JSONReporter`` writes for ``Evaluator/evaluate(_:asOf:therapies:)``,
/// without building a ``Step`` for every rule.
///
/// A rule whose condition is one expression gets its step written from the parts escaped once
/// for its outcome (``ReportFragments/StepParts/heads``), with the values its condition reads
/// and, when unknown, its missing fields. A compound condition's step (it has items), and an
/// unknown one without missing fields (an evaluation error), is built as the evaluator builds
/// it and written as the reporter writes it. One writer serves one thread (it is a value: each
/// batch makes its own).
struct FullReportLineWriter {
    /// The evaluator (``Evaluator/Detail/full``).
    let evaluator: Evaluator
    /// The reporter, with the pack's parts escaped once.
    let reporter: JSONReporter
    let context: ReportContext
    /// The therapies evaluated, as positions in the pack, in pack order.
    private let included: [Int]
    /// Each included therapy's verdicts (by position in `included`), refilled for every patient.
    private var verdicts: [[Verdict]]
    private var frame = FastPath.Frame()
    /// `Tier.allCases.count`, read once.
    private let tierCount = Tier.allCases.count

    /// - Parameters:
    ///   - evaluator: Evaluates the conditions; its detail should be ``Evaluator/Detail/full``.
    ///   - reporter: Writes the report (compact).
    ///   - context: The report's context, of the evaluator's pack.
    ///   - therapies: The therapy ids to evaluate; `nil` for all.
    init(evaluator: Evaluator, reporter: JSONReporter, context: ReportContext, therapies: Set<String>?) {
        (self.evaluator, self.reporter, self.context) = (evaluator, reporter, context)
        let compiled = evaluator.pack.therapies
        included = compiled.indices.filter { therapies?.contains(compiled[$0].therapy.id) ?? true }
        verdicts = Array(repeating: [], count: included.count)
    }

    /// Evaluates one patient and writes its report on one line.
    ///
    /// - Parameters:
    ///   - patient: The patient (its whole record: observed values and "what would change" read it).
    ///   - date: The date to evaluate at; `nil` uses the patient's `as_of`, as ``Evaluator`` does.
    ///   - slots: The patient's top-level fields in the pack's layout; `nil` reads them from the record.
    ///   - writer: Receives the line, at depth 0.
    ///   - tierCounts: Counts by pack position and tier (`position * Tier.allCases.count + tier`),
    ///     incremented for each therapy written.
    mutating func write(
        _ patient: Patient, asOf date: CivilDate?, slots given: SlotValues?, into writer: inout JSONWriter,
        tierCounts: inout [Int]
    ) {
        let pack = evaluator.pack
        let slots = given ?? SlotValues(layout: pack.slots, record: patient.record)
        let date = date ?? patient.asOf
        var decisions: [TherapyDecision] = []
        decisions.reserveCapacity(included.count)
        // Each decision's place in `included`, ranked with it.
        var places: [Int] = []
        places.reserveCapacity(included.count)
        for place in included.indices {
            let compiled = pack.therapies[included[place]]
            let activation = compiled.activation(record: patient.record, slots: slots, asOf: date)
            evaluator.verdicts(of: compiled, in: activation, into: &verdicts[place], frame: &frame)
            decisions.append(
                evaluator.decision(of: compiled, verdicts: verdicts[place], steps: [], patient: patient, activation: activation))
            places.append(place)
        }
        Evaluator.rank(count: decisions.count, key: { (decisions[$0].tier, decisions[$0].score) }) { a, b in
            decisions.swapAt(a, b)
            places.swapAt(a, b)
        }
        for (decision, place) in zip(decisions, places) {
            tierCounts[included[place] * tierCount + decision.tier.rank] += 1
        }
        let evaluation = PatientEvaluation(patient: patient.id, file: patient.file, asOf: date, decisions: decisions)
        // What the closures below read and change, held apart from `self`.
        let (reporter, verdicts) = (self.reporter, self.verdicts)
        var frame = FastPath.Frame()
        swap(&frame, &self.frame)
        reporter.write(evaluation, context: context, into: &writer) { index in
            let compiled = pack.therapies[included[places[index]]]
            let decision = evaluation.decisions[index]
            return TierExplanation.sentence(for: decision, highestScore: compiled.highestScore) {
                var fields: [String] = []
                for (step, id) in compiled.stepIDs.enumerated() where decision.deciding.contains(id) {
                    FastPath.appendNew(verdicts[places[index]][step].missing, to: &fields)
                }
                return fields
            }
        } steps: { index, sink in
            let compiled = pack.therapies[included[places[index]]]
            Self.writeSteps(
                of: compiled, verdicts: verdicts[places[index]], patient: patient, slots: slots, asOf: date,
                parts: reporter.therapyParts(of: evaluation.decisions[index], context: context), frame: &frame, into: &sink)
        }
        swap(&frame, &self.frame)
        writer.output.byte(0x0A)
    }

    /// A therapy's steps, in step order, from its rules' verdicts.
    private static func writeSteps(
        of compiled: CompiledTherapy, verdicts: [Verdict], patient: Patient, slots: SlotValues, asOf date: CivilDate?,
        parts therapyParts: ReportFragments.TherapyParts?, frame: inout FastPath.Frame, into sink: inout JSONWriter
    ) {
        let activation = compiled.activation(record: patient.record, slots: slots, asOf: date)
        let context = StepContext(patient: patient.record, parameters: compiled.parameters, activation: activation, explains: true)
        let stepParts = therapyParts?.steps ?? []
        for step in compiled.stepConditions.indices {
            let parts = step < stepParts.count ? stepParts[step] : nil
            let verdict = verdicts[step]
            let outcome = ReportFragments.StepParts.outcomeIndex(verdict.outcome)
            // Unknown without missing fields is an evaluation error, which only the step names.
            if let parts, outcome < parts.heads.count,
                verdict.outcome == .unknown ? !verdict.missing.isEmpty : outcome < parts.settledTails.count,
                case .expression(_, let expression) = compiled.stepConditions[step],
                expression.readPaths.count == parts.valueKeys.count
            {
                sink.beginObject()
                sink.members(parts.heads[outcome].members)
                sink.key("values")
                sink.beginObject()
                for read in expression.readPaths.indices {
                    sink.key(parts.valueKeys[read])
                    if let value = context.value(read: read, by: expression) { sink.repeatedValue(value) } else { sink.null() }
                }
                sink.endObject()
                if verdict.outcome == .unknown {
                    let because = Step.because(
                        rule: compiled.rules[compiled.stepOrder[step]].rule, outcome: .unknown, missing: verdict.missing, error: nil)
                    JSONReporter.writeTail(missing: verdict.missing, because: because, outcome: .unknown, parts: parts, into: &sink)
                } else {
                    sink.members(parts.settledTails[outcome])
                }
                sink.endObject()
            } else {
                JSONReporter.write(context.step(for: compiled.rules[compiled.stepOrder[step]], frame: &frame), parts: parts, into: &sink)
            }
        }
    }
}
