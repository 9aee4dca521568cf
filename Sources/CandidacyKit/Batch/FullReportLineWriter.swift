/// Writes a batch's full reports (`--format json`, one line a patient) from each therapy's
/// verdicts: the bytes ``JSONReporter`` writes for ``Evaluator/evaluate(_:asOf:therapies:)``,
/// without building a ``Step`` for every rule.
///
/// A rule's step is written from bytes made once for its outcome (from
/// ``ReportFragments/StepParts/heads`` and ``ReportFragments/StepParts/settledTails``), with the
/// values its condition reads. An unknown step's missing fields and sentence are made as the
/// reporter makes them and kept for the last few lists of missing fields the step met. An
/// `all:`, `any:` or `not:` of expressions with kernels gets its items' outcomes from their
/// kernels. A step whose outcome cannot be told so — an evaluation error (unknown without missing
/// fields), an item without a kernel or one that falls back — is built as the evaluator builds it
/// and written as the reporter writes it.
///
/// A value many steps read (the diagnosis, a list of care) is written once a patient and then
/// copied from its bytes. One writer serves one thread (it is a value: each batch makes its own).
struct FullReportLineWriter {
    /// The evaluator (``Evaluator/Detail/full``).
    let evaluator: Evaluator
    /// The reporter, with the pack's parts escaped once.
    let reporter: JSONReporter
    let context: ReportContext
    /// The therapies evaluated, as positions in the pack, in pack order.
    private let included: [Int]
    /// How each therapy's steps are written, by pack position, in step order.
    private let plans: [[StepPlan]]
    /// Each included therapy's verdicts (by position in `included`), refilled for every patient.
    private var verdicts: [[Verdict]]
    /// What writing the steps changes, kept from one patient to the next.
    private var work: Work
    /// `Tier.allCases.count`, read once.
    private let tierCount = Tier.allCases.count

    /// How a rule's step is written from its verdict, worked out once (a class: read for every
    /// step of every patient, one reference count rather than one for each array).
    private final class StepPlan: Sendable {
        /// The step's parts escaped once; `nil` when the step is always built.
        let parts: ReportFragments.StepParts?
        /// The step's bytes up to its values for each outcome (true, false, unknown):
        /// `{"rule":…,"condition":…,"values":{`.
        let heads: [[UInt8]]
        /// The bytes after its values when it holds and when it does not: `},"missing":[],"because":…}`
        /// (a compound's end with `,"items":[`).
        let tails: [[UInt8]]
        /// Its place among the tails of unknown outcomes (``Work/unknownTails``).
        let unknownTail: Int
        /// The values the step shows, in the order of its parts' keys.
        let values: [ValueRead]
        let keys: [JSONKey]
        /// A compound condition's items and how they combine; `nil` for one expression.
        let compound: (items: [ItemPlan], combine: Combination)?

        init(
            parts: ReportFragments.StepParts?, heads: [[UInt8]], tails: [[UInt8]], unknownTail: Int, values: [ValueRead],
            keys: [JSONKey], compound: (items: [ItemPlan], combine: Combination)?
        ) {
            (self.parts, self.heads, self.tails, self.unknownTail) = (parts, heads, tails, unknownTail)
            (self.values, self.keys, self.compound) = (values, keys, compound)
        }

        static let always = StepPlan(parts: nil, heads: [], tails: [], unknownTail: -1, values: [], keys: [], compound: nil)
    }

    /// One value a step shows: read at an expression's read path, and its place in the cache.
    private struct ValueRead: Sendable {
        let expression: CompiledExpression
        let read: Int
        let id: Int
    }

    /// An item of a compound condition: its kernel, and its bytes as a step's (its head
    /// `{"outcome":…,"location":…,"condition":…,"values":{` and tail `},"missing":[],"because":…}`).
    private final class ItemPlan: Sendable {
        let kernel: ConditionKernel
        let heads: [[UInt8]]
        let tails: [[UInt8]]
        let unknownTail: Int
        let keys: [JSONKey]
        let values: [ValueRead]

        init(kernel: ConditionKernel, heads: [[UInt8]], tails: [[UInt8]], unknownTail: Int, keys: [JSONKey], values: [ValueRead]) {
            (self.kernel, self.heads, self.tails, self.unknownTail, self.keys, self.values) = (kernel, heads, tails, unknownTail, keys, values)
        }
    }

    private enum Combination: Sendable {
        case all, any, not
    }

    /// The writer's working state.
    private struct Work {
        var frame = FastPath.Frame()
        var scratch: [String] = []
        /// The items' verdicts of the compound step being written, and its own combined from them.
        var items: [Verdict] = []
        var combined = Verdict(outcome: .unknown, missing: [])
        /// Where each value's bytes are in the output, valid for the patient of `generation`.
        var cached: [(generation: Int, bytes: Range<Int>)]
        var generation = 0
        /// The tails of each step and item last written unknown: their missing fields and bytes
        /// (`},"missing":[…],"because":"cannot be decided: … not recorded"}`), the latest last.
        var unknownTails: [[(missing: [String], bytes: [UInt8])]]
        /// Each included therapy's tier sentences (by position in `included`).
        var sentences: [TierSentenceCache] = []
    }

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
        // A value's id: a patient path's is the same in every therapy, a parameter's its therapy's.
        var ids: [String: Int] = [:]
        func id(_ path: String, _ position: Int) -> Int {
            let key = path.hasPrefix("params.") ? "\(position) \(path)" : path
            if let known = ids[key] { return known }
            ids[key] = ids.count
            return ids.count - 1
        }
        var tails = 0
        plans = compiled.indices.map { position in
            let therapy = compiled[position]
            let parts = reporter.therapyParts(of: therapy.therapy.id, context: context)
            return therapy.stepConditions.indices.map { step in
                guard let parts = parts?.steps, step < parts.count else { return StepPlan.always }
                return Self.plan(therapy.stepConditions[step], parts: parts[step], tails: &tails) { id($0, position) }
            }
        }
        work = Work(cached: Array(repeating: (-1, 0..<0), count: ids.count), unknownTails: Array(repeating: [], count: tails))
        work.sentences = Array(repeating: TierSentenceCache(), count: included.count)
    }

    /// The plan of a step with `parts`; `id` gives a read path's cache id, `tails` counts the
    /// places of unknown tails.
    private static func plan(
        _ condition: CompiledCondition, parts: ReportFragments.StepParts, tails: inout Int, id: (String) -> Int
    ) -> StepPlan {
        guard parts.heads.count == 3, parts.settledTails.count == 2 else { return .always }
        func reads(_ expression: CompiledExpression) -> [ValueRead] {
            expression.readPaths.indices.map { ValueRead(expression: expression, read: $0, id: id(expression.readPaths[$0])) }
        }
        /// `{` + members + `,"values":{`
        func head(_ members: JSONFragment) -> [UInt8] {
            Array("{".utf8) + members.compact + Array(",\"values\":{".utf8)
        }
        /// `},` + members + `}`, or for a compound `,"items":[`
        func tail(_ members: JSONFragment, items: Bool) -> [UInt8] {
            Array("},".utf8) + members.compact + Array((items ? ",\"items\":[" : "}").utf8)
        }
        func place() -> Int {
            tails += 1
            return tails - 1
        }
        let items: [CompiledCondition]
        let combine: Combination
        switch condition {
        case .expression(_, let expression):
            guard expression.readPaths == parts.valueKeys.map(\.name) else { return .always }
            return StepPlan(
                parts: parts, heads: parts.heads.map { head($0.members) }, tails: parts.settledTails.map { tail($0, items: false) },
                unknownTail: place(), values: reads(expression), keys: parts.valueKeys, compound: nil)
        case .all(let conditions, _): (items, combine) = (conditions, .all)
        case .any(let conditions, _): (items, combine) = (conditions, .any)
        case .not(let inner, _): (items, combine) = ([inner], .not)
        }
        guard parts.items.count == items.count else { return .always }
        var itemPlans: [ItemPlan] = []
        // The step's values: each key's value as the first item that reads it reads it.
        var values: [ValueRead] = []
        for (item, itemParts) in zip(items, parts.items) {
            guard case .expression(_, let expression) = item, let kernel = expression.kernel,
                expression.readPaths == itemParts.valueKeys.map(\.name)
            else { return .always }
            let itemReads = reads(expression)
            for read in itemReads where !values.contains(where: { $0.id == read.id }) { values.append(read) }
            itemPlans.append(ItemPlan(
                kernel: kernel,
                heads: [TruthValue.true, .false, .unknown].map { outcome in
                    head(JSONFragment { sink in
                        sink.members(JSONReporter.outcomeMember(outcome))
                        sink.members(itemParts.place)
                    })
                },
                tails: [TruthValue.true, .false].map { outcome in
                    tail(JSONFragment { sink in
                        let because = Step.because(rule: nil, outcome: outcome, missing: [], error: nil)
                        JSONReporter.writeTail(missing: [], because: because, outcome: outcome, parts: nil, into: &sink)
                    }, items: false)
                },
                unknownTail: place(), keys: itemParts.valueKeys, values: itemReads))
        }
        guard values.map({ $0.expression.readPaths[$0.read] }) == parts.valueKeys.map(\.name) else { return .always }
        return StepPlan(
            parts: parts, heads: parts.heads.map { head($0.members) }, tails: parts.settledTails.map { tail($0, items: true) },
            unknownTail: place(), values: values, keys: parts.valueKeys, compound: (itemPlans, combine))
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
        // Each decision's place in `included`, and its tier and score, ranked with it (the
        // ranking reads the keys, not the decisions: reading a decision's tier copied it).
        var places: [Int] = []
        places.reserveCapacity(included.count)
        var keys: [(tier: Tier, score: Int)] = []
        keys.reserveCapacity(included.count)
        // Each therapy's activation (by place), for its verdicts and then its steps.
        var activations: [Activation] = []
        activations.reserveCapacity(included.count)
        for place in included.indices {
            let compiled = pack.therapies[included[place]]
            let activation = compiled.activation(record: patient.record, slots: slots, asOf: date)
            activations.append(activation)
            evaluator.verdicts(of: compiled, in: activation, into: &verdicts[place], frame: &work.frame)
            let decision = evaluator.decision(of: compiled, verdicts: verdicts[place], steps: [], patient: patient, activation: activation)
            keys.append((decision.tier, decision.score))
            decisions.append(decision)
            places.append(place)
        }
        Evaluator.rank(count: keys.count, key: { keys[$0] }) { a, b in
            keys.swapAt(a, b)
            decisions.swapAt(a, b)
            places.swapAt(a, b)
        }
        for index in keys.indices {
            tierCounts[included[places[index]] * tierCount + keys[index].tier.rank] += 1
        }
        // The closures below read the decisions from this array (through `evaluation`, each
        // read copied it).
        let ranked = decisions
        let evaluation = PatientEvaluation(patient: patient.id, file: patient.file, asOf: date, decisions: decisions)
        // What the closures below read and change, held apart from `self`.
        let (included, plans, verdicts) = (self.included, self.plans, self.verdicts)
        var work = Work(cached: [], unknownTails: [])
        swap(&work, &self.work)
        // A new patient: no value of theirs is written yet.
        work.generation += 1
        reporter.write(evaluation, context: context, into: &writer) { index in
            let compiled = pack.therapies[included[places[index]]]
            return work.sentences[places[index]].sentence(for: ranked[index], highestScore: compiled.highestScore) {
                var fields: [String] = []
                for (step, id) in compiled.stepIDs.enumerated() where ranked[index].deciding.contains(id) {
                    FastPath.appendNew(verdicts[places[index]][step].missing, to: &fields)
                }
                return fields
            }
        } steps: { index, sink in
            let position = included[places[index]]
            let compiled = pack.therapies[position]
            let context = StepContext(
                patient: patient.record, parameters: compiled.parameters, activation: activations[places[index]], explains: true)
            for step in compiled.stepConditions.indices {
                Self.write(
                    step, of: compiled, plan: plans[position][step], verdict: verdicts[places[index]][step], context: context,
                    work: &work, into: &sink)
            }
        }
        swap(&work, &self.work)
        writer.output.byte(0x0A)
    }

    /// One step, from its plan when its outcome can be told from the verdict and the items'
    /// kernels; else built and written as the reporter writes it.
    private static func write(
        _ step: Int, of compiled: CompiledTherapy, plan: StepPlan, verdict: Verdict, context: StepContext, work: inout Work,
        into sink: inout JSONWriter
    ) {
        if plan.parts != nil {
            if let (items, combine) = plan.compound {
                if Self.itemVerdicts(items, combine, verdict: verdict, context: context, work: &work) {
                    return write(compound: items, plan: plan, outcome: verdict.outcome, of: compiled, step: step,
                                 context: context, work: &work, into: &sink)
                }
            } else if verdict.outcome != .unknown || !verdict.missing.isEmpty {
                // (Unknown without missing fields is an evaluation error, which only the built step names.)
                sink.open(raw: plan.heads[ReportFragments.StepParts.outcomeIndex(verdict.outcome)], containers: 2)
                writeValues(plan.values, keys: plan.keys, context: context, work: &work, into: &sink)
                if verdict.outcome == .unknown {
                    writeUnknownTail(
                        plan.unknownTail, missing: verdict.missing, rule: { compiled.rules[compiled.stepOrder[step]].rule },
                        items: false, work: &work, into: &sink)
                } else {
                    sink.close(raw: plan.tails[ReportFragments.StepParts.outcomeIndex(verdict.outcome)], containers: 2)
                }
                return
            }
        }
        let built = context.step(for: compiled.rules[compiled.stepOrder[step]], frame: &work.frame)
        JSONReporter.write(built, parts: plan.parts, into: &sink)
    }

    /// Each item's verdict, from its kernel, in `work.items`, and the step's combined from them
    /// in `work.combined`; `false` when an item's cannot be told so, or the items do not combine
    /// to the verdict the step's tally read.
    private static func itemVerdicts(
        _ items: [ItemPlan], _ combine: Combination, verdict: Verdict, context: StepContext, work: inout Work
    ) -> Bool {
        while work.items.count < items.count { work.items.append(Verdict(outcome: .unknown, missing: [])) }
        while work.items.count > items.count { work.items.removeLast() }
        for (index, item) in items.enumerated() {
            FastPath.empty(&work.scratch)
            guard let outcome = item.kernel.truth(context.activation, missing: &work.scratch).outcome else { return false }
            work.items[index].outcome = outcome
            FastPath.empty(&work.items[index].missing)
            if outcome == .unknown {
                // Unknown without missing fields is an evaluation error.
                if work.scratch.isEmpty { return false }
                FastPath.sortUnique(&work.scratch)
                swap(&work.scratch, &work.items[index].missing)
            }
        }
        // As the evaluator combines its items' verdicts.
        work.combined = StepContext.combined(work.items) { outcomes in
            switch combine {
            case .all: TruthValue.and(outcomes)
            case .any: TruthValue.or(outcomes)
            case .not: outcomes[0].negated
            }
        }
        return work.combined.outcome == verdict.outcome && work.combined.missing == verdict.missing
    }

    /// A compound condition's step, its items' verdicts and its own in `work`.
    private static func write(
        compound items: [ItemPlan], plan: StepPlan, outcome: TruthValue, of compiled: CompiledTherapy, step: Int,
        context: StepContext, work: inout Work, into sink: inout JSONWriter
    ) {
        sink.open(raw: plan.heads[ReportFragments.StepParts.outcomeIndex(outcome)], containers: 2)
        writeValues(plan.values, keys: plan.keys, context: context, work: &work, into: &sink)
        if outcome == .unknown {
            let missing = work.combined.missing
            writeUnknownTail(
                plan.unknownTail, missing: missing, rule: { compiled.rules[compiled.stepOrder[step]].rule }, items: true,
                work: &work, into: &sink)
        } else {
            sink.close(raw: plan.tails[ReportFragments.StepParts.outcomeIndex(outcome)], containers: 1, reopening: 1)
        }
        for (index, item) in items.enumerated() {
            let itemOutcome = work.items[index].outcome
            sink.open(raw: item.heads[ReportFragments.StepParts.outcomeIndex(itemOutcome)], containers: 2)
            writeValues(item.values, keys: item.keys, context: context, work: &work, into: &sink)
            if itemOutcome == .unknown {
                let missing = work.items[index].missing
                writeUnknownTail(item.unknownTail, missing: missing, rule: { nil }, items: false, work: &work, into: &sink)
            } else {
                sink.close(raw: item.tails[ReportFragments.StepParts.outcomeIndex(itemOutcome)], containers: 2)
            }
        }
        sink.close(raw: Self.itemsEnd, containers: 2)
    }

    /// `]}`: the end of a compound's items and of its step.
    private static let itemsEnd = Array("]}".utf8)

    /// The values: each copied from where the patient's report holds it already, or read and
    /// written (and its place noted).
    private static func writeValues(
        _ values: [ValueRead], keys: [JSONKey], context: StepContext, work: inout Work, into sink: inout JSONWriter
    ) {
        for (key, value) in zip(keys, values) {
            sink.key(key)
            let known = work.cached[value.id]
            if known.generation == work.generation {
                sink.copiedValue(known.bytes)
                continue
            }
            let start = sink.count
            if let read = context.value(read: value.read, by: value.expression) { sink.repeatedValue(read) } else { sink.null() }
            work.cached[value.id] = (work.generation, start..<sink.count)
        }
    }

    /// The end of an unknown step or item after its values (`},"missing":[…],"because":…}`, a
    /// compound's with `,"items":[`): the bytes written for the same missing fields before, or
    /// made as the reporter writes them (`rule` gives the step's rule, `nil` for an item).
    private static func writeUnknownTail(
        _ place: Int, missing: [String], rule: () -> Rule?, items: Bool, work: inout Work, into sink: inout JSONWriter
    ) {
        let (closing, reopening) = items ? (1, 1) : (2, 0)
        for known in work.unknownTails[place] where known.missing == missing {
            return sink.close(raw: known.bytes, containers: closing, reopening: reopening)
        }
        let because = Step.because(rule: rule(), outcome: .unknown, missing: missing, error: nil)
        let members = JSONFragment { JSONReporter.writeTail(missing: missing, because: because, outcome: .unknown, parts: nil, into: &$0) }
        let bytes = Array("},".utf8) + members.compact + Array((items ? ",\"items\":[" : "}").utf8)
        // A few lists a place (a step meets few): the oldest gives way.
        if work.unknownTails[place].count == Self.tailsKept { work.unknownTails[place].removeFirst() }
        work.unknownTails[place].append((missing, bytes))
        sink.close(raw: bytes, containers: closing, reopening: reopening)
    }

    /// How many lists of missing fields each step's unknown tails are kept for.
    private static let tailsKept = 4
}
