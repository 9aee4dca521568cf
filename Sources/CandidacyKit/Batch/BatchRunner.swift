import Foundation

/// Evaluates a cohort read from a ``RecordSource``: one output line (or report) per record, in
/// input order, with records evaluated in parallel and memory bounded by the batches in flight.
///
/// The calling thread reads batches and writes results in order; `jobs` worker threads read
/// the patients, evaluate them and render their lines, each with its own copy of the pack
/// (``replica()``) once it has more than one batch to do. At most `2 × jobs + 2` batches are read
/// ahead, so memory does not grow with the input. The output depends only on the input, never on
/// `jobs` or timing.
public struct BatchRunner: Sendable {
    /// What each record becomes.
    public enum Format: Sendable, Hashable {
        /// `BatchLine.decisions`: the compact decisions line.
        case decisions
        /// The full JSON document of ``JSONReporter`` on one line.
        case json
        /// The text report, reports separated by a blank line.
        case text
        /// The Markdown note, notes separated by a blank line.
        case markdown
    }

    /// How records are read.
    public enum Input: Sendable {
        /// One JSON object per line.
        case jsonLines(JSONLineReader)
        /// CSV records after a header row.
        case csv(CSVPatientReader)
    }

    /// Progress, for a progress line.
    public struct Progress: Sendable {
        /// Records written so far.
        public var records: Int
        /// Input bytes consumed so far.
        public var bytes: Int
    }

    let pack: CompiledPack
    let evaluator: Evaluator
    let format: Format
    let input: Input
    /// The reader when `input` is JSON Lines, read through the optional (binding the enum's
    /// payload would copy the reader for every record).
    private let jsonLines: JSONLineReader?
    let file: String
    let jobs: Int
    let failFast: Bool
    let asOf: CivilDate?
    let today: CivilDate
    let therapies: Set<String>?
    let colour: Bool
    let context: ReportContext
    /// Whether the JSON Lines reader's top-level values follow the pack's profile, so that
    /// they fill the evaluator's slots without a lookup by name.
    let readsSlots: Bool
    /// The decisions lines' writer, its ids escaped once (each batch takes a copy for its buffers).
    let decisionsLines: DecisionsLineWriter
    /// The full reports' writer (each batch takes a copy for its buffers).
    let fullReports: FullReportLineWriter

    /// - Parameters:
    ///   - pack: The compiled pack.
    ///   - format: What each record becomes.
    ///   - input: How records are read.
    ///   - file: The input's path as given, for locations (`-` for standard input).
    ///   - jobs: The worker threads, at least 1.
    ///   - failFast: Stop after the first record that cannot be read (its error line is written).
    ///   - asOf: A date that overrides each patient's `as_of`.
    ///   - today: The date for patients with neither.
    ///   - therapies: The therapies to evaluate; `nil` for all.
    ///   - colour: Colour text reports.
    public init(
        pack: CompiledPack, format: Format, input: Input, file: String, jobs: Int, failFast: Bool,
        asOf: CivilDate?, today: CivilDate, therapies: Set<String>?, colour: Bool = false
    ) {
        self.pack = pack
        evaluator = Evaluator(pack: pack, detail: format == .decisions ? .decisions : .full, plansChanges: true)
        self.format = format
        // The JSON Lines reader stores records in the pack's shapes, which its conditions read
        // by position.
        if case .jsonLines(let reader) = input {
            var storing = reader.storing(in: pack.slots.shape)
            // A decisions line reads only the fields its therapies' conditions name, and the
            // patient's id and date: the reader builds no others.
            if format == .decisions { storing = storing.keeping(Self.fieldsRead(by: pack, therapies: therapies)) }
            (self.input, jsonLines) = (.jsonLines(storing), storing)
        } else {
            (self.input, jsonLines) = (input, nil)
        }
        self.file = file
        self.jobs = max(1, jobs)
        self.failFast = failFast
        self.asOf = asOf
        self.today = today
        self.therapies = therapies
        self.colour = colour
        context = ReportContext(pack: pack, colour: colour)
        readsSlots = Self.readsSlots(input, pack)
        decisionsLines = DecisionsLineWriter(evaluator: evaluator, therapies: therapies)
        // The full report's writer, with the parts that are the same for every patient escaped once.
        let reporter = JSONReporter(pretty: false, fragments: format == .json ? ReportFragments(pack: pack) : nil)
        fullReports = FullReportLineWriter(evaluator: evaluator, reporter: reporter, context: context, therapies: therapies)
    }

    /// Whether the patient has an `id` (read from the reader's values when they fill the slots).
    private static func hasID(_ patient: Patient, values: [Value?], readsSlots: Bool, layout: FieldSlots) -> Bool {
        if readsSlots, !values.isEmpty, let slot = layout.idSlot, layout.followsProfile, slot < values.count {
            if case .string? = values[slot] { return true }
            return false
        }
        if case .string? = patient.record.field(Patient.idField) { return true }
        return false
    }

    /// The top-level fields a decisions line can read: those the included therapies'
    /// conditions name (as variables or in `has()`), and `id` and `as_of`.
    static func fieldsRead(by pack: CompiledPack, therapies: Set<String>?) -> Set<String> {
        var names: Set<String> = [Patient.idField, Patient.asOfField]
        func visit(_ node: ExpressionNode) {
            switch node.kind {
            case .identifier(let name): names.insert(name)
            case .presenceTest(nil, let field): names.insert(field)
            default: break
            }
            for child in node.children { visit(child) }
        }
        func visit(_ condition: CompiledCondition) {
            switch condition {
            case .expression(_, let expression): visit(expression.root)
            case .all(let items, _), .any(let items, _): items.forEach(visit)
            case .not(let item, _): visit(item)
            }
        }
        for compiled in pack.therapies where therapies?.contains(compiled.therapy.id) ?? true {
            compiled.stepConditions.forEach(visit)
        }
        return names
    }

    private static func readsSlots(_ input: Input, _ pack: CompiledPack) -> Bool {
        guard case .jsonLines(let reader) = input, let names = reader.fieldNames else { return false }
        return names == pack.pack.profile.fields.map(\.name)
    }

    /// The same runner over its own copy of the pack, loaded again from the pack's file bytes
    /// and compiled again: equal values in objects that no other thread touches (its rule ids,
    /// its conditions' closures, its profile's enum strings, its readers), or `nil` when the
    /// copy cannot be made or is not equal (the worker then shares this runner).
    ///
    /// Each worker of a parallel run takes one: Swift counts references atomically, and two
    /// threads retaining and releasing the same objects for every patient contend for their
    /// cache lines. Sharing one pack, two workers used about 1.5 times the processor time per
    /// patient that one worker did (docs/PERFORMANCE.md, "What changed in the fifth round").
    func replica() -> BatchRunner? {
        guard let loaded = RulePackLoader.copy(of: pack.pack), let compiled = try? CompiledPack(loaded) else { return nil }
        let rebound: Input
        switch input {
        case .jsonLines(let reader): rebound = .jsonLines(reader.rebound(to: compiled.pack.profile))
        case .csv(let reader):
            guard let reader = reader.rebound(to: compiled.pack.profile) else { return nil }
            rebound = .csv(reader)
        }
        // The file name is copied too: every patient's file is made from it.
        return BatchRunner(
            pack: compiled, format: format, input: rebound, file: String(decoding: Array(file.utf8), as: UTF8.self), jobs: jobs,
            failFast: failFast, asOf: asOf, today: today, therapies: therapies, colour: colour)
    }

    /// The result of one batch.
    struct Output: Sendable {
        var bytes: [UInt8] = []
        /// Diagnostics for text and Markdown output, which keeps errors off standard output.
        var errors: [UInt8] = []
        var summary: BatchSummary
    }

    /// Reads, evaluates and writes every record.
    ///
    /// - Parameters:
    ///   - source: The records.
    ///   - write: Called in input order with each batch's output bytes; returns false when they
    ///     could not be written, which stops the run at once (nothing more is read or written).
    ///   - writeErrors: Called in input order with diagnostics (text and Markdown formats);
    ///     false stops the run in the same way.
    ///   - progress: Called after each batch is written.
    /// - Returns: The counts of the run.
    public func run(
        source: RecordSource, write: (borrowing [UInt8]) -> Bool, writeErrors: (borrowing [UInt8]) -> Bool,
        progress: ((Progress) -> Void)? = nil
    ) throws(DiagnosticError) -> BatchSummary {
        let queue = try WorkQueue(runner: self, workers: jobs)
        defer { queue.finish() }
        var summary = BatchSummary(therapies: pack.therapies.map(\.therapy.id))
        let ahead = 2 * jobs + 2
        var submitted = 0
        var written = 0
        var exhausted = false
        var wroteReport = false
        while !exhausted || written < submitted {
            if !exhausted, submitted - written < ahead {
                if var batch = try source.nextBatch() {
                    batch.index = submitted  // the runner's own sequence: a CSV header was a batch of its own
                    queue.submit(batch)
                    submitted += 1
                } else {
                    exhausted = true
                }
                // Write what is ready without waiting, then read on.
                while let output = queue.take(written, wait: false) {
                    if deliver(output, &summary, &wroteReport, write, writeErrors) { return summary }
                    written += 1
                    progress?(Progress(records: summary.records, bytes: source.bytesConsumed))
                }
                continue
            }
            guard let output = queue.take(written, wait: true) else { break }
            if deliver(output, &summary, &wroteReport, write, writeErrors) { return summary }
            written += 1
            progress?(Progress(records: summary.records, bytes: source.bytesConsumed))
        }
        return summary
    }

    /// Writes one batch's output; true when the run stops here (`--fail-fast`, or a write that
    /// failed: then the batch's records are not counted as written).
    private func deliver(
        _ output: Output, _ summary: inout BatchSummary, _ wroteReport: inout Bool,
        _ write: (borrowing [UInt8]) -> Bool, _ writeErrors: (borrowing [UInt8]) -> Bool
    ) -> Bool {
        if !output.bytes.isEmpty {
            if wroteReport, format == .text || format == .markdown, !write([0x0A]) { return true }
            if !write(output.bytes) { return true }
            wroteReport = true
        }
        if !output.errors.isEmpty, !writeErrors(output.errors) { return true }
        summary.add(output.summary)
        return output.summary.stopped
    }

    /// Reads, evaluates and renders one batch.
    func process(_ batch: InputBatch) -> Output {
        var output = Output(summary: BatchSummary(therapies: pack.therapies.map(\.therapy.id)))
        // Tier counts by therapy (pack order) and tier, counted in place and added to the
        // summary's tables once, at the end of the batch.
        let therapyIDs = pack.therapies.map(\.therapy.id)
        let tiers = Tier.allCases
        var tierCounts = [Int](repeating: 0, count: therapyIDs.count * tiers.count)
        // One writer for the batch: lines are written into its bytes (`json.output`), and a full
        // report's document through it (back at depth 0 after each document).
        var json = JSONWriter(pretty: false, capacity: batch.records.count * (format == .decisions ? 1_024 : 65_536))
        var textReports = 0
        var lines = decisionsLines
        var reports = fullReports
        // The reader's top-level values of each record and their codes, overwritten in place for
        // the next (`read` leaves them empty when the fast path did not read the record).
        var values: [Value?] = []
        var codes: [SlotCode] = []
        batch.bytes.withUnsafeBufferPointer { bytes in
            for record in batch.records {
                output.summary.records += 1
                let patient: Patient
                do throws(DiagnosticError) {
                    patient = try read(record, bytes: bytes, values: &values, codes: &codes)
                } catch {
                    output.summary.failed += 1
                    if output.summary.firstFailedLine == nil { output.summary.firstFailedLine = record.line }
                    switch format {
                    case .decisions, .json:
                        BatchLine.writeError(error, line: record.line, into: &json.output)
                    case .text, .markdown:
                        output.errors.append(contentsOf: (error.description + "\n").utf8)
                    }
                    if failFast {
                        output.summary.stopped = true
                        break
                    }
                    continue
                }
                // The reader's values fill the slots when they follow the pack's profile.
                let slots = readsSlots && !values.isEmpty ? SlotValues(layout: pack.slots, profileValues: values, codes: codes) : nil
                // The patient's `as_of` from its slot when there are slots (the same value, no lookup by name).
                let date = asOf ?? (slots.map(\.asOf) ?? patient.asOf) ?? today
                output.summary.evaluated += 1
                switch format {
                case .decisions:
                    lines.write(patient, asOf: date, slots: slots, line: record.line, into: &json.output, tierCounts: &tierCounts)
                    continue
                case .json:
                    // The bytes of `JSONReporter(pretty: false).render`, without a `String` in between.
                    reports.write(patient, asOf: date, slots: slots, into: &json, tierCounts: &tierCounts)
                    continue
                case .text, .markdown:
                    break
                }
                let evaluation = evaluator.evaluate(patient, asOf: date, therapies: therapies, slots: slots)
                // Each decision's therapy and tier read in place (a loop variable would copy the
                // decision); a pack has a handful of therapies, so they are searched in order.
                for position in evaluation.decisions.indices {
                    if let therapy = therapyIDs.firstIndex(of: evaluation.decisions[position].therapy),
                        let tier = tiers.firstIndex(of: evaluation.decisions[position].tier)
                    {
                        tierCounts[therapy * tiers.count + tier] += 1
                    }
                }
                if textReports > 0 { json.output.byte(0x0A) }
                let textReporter: any EvaluationReporter = format == .text ? TextReporter() : MarkdownReporter()
                json.output.utf8(textReporter.render(evaluation, context: context))
                textReports += 1
            }
        }
        for therapy in therapyIDs.indices {
            for (position, tier) in tiers.enumerated() where tierCounts[therapy * tiers.count + position] > 0 {
                output.summary.counts[therapy].tiers[tier, default: 0] += tierCounts[therapy * tiers.count + position]
            }
        }
        output.bytes = json.takeBytes()
        return output
    }

    /// The patient in one record; `values` gets its top-level values when the JSON Lines fast
    /// path read it (see ``JSONLineReader/batchPatient(_:file:number:values:)``).
    private func read(_ record: InputRecord, bytes: UnsafeBufferPointer<UInt8>, values: inout [Value?], codes: inout [SlotCode])
        throws(DiagnosticError) -> Patient
    {
        if let length = record.overlongLength {
            throw DiagnosticError(JSONLineReader.tooLong(
                length, limit: JSONLineReader.defaultMaximumLineLength,
                at: SourceLocation(file: file, line: record.line, column: 1)))
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[record.range])
        if jsonLines != nil, slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            throw DiagnosticError(.error(
                at: SourceLocation(file: file, line: record.line, column: 1), code: "blank-line",
                "blank line: expected a patient, one JSON object per line"))
        }
        var patient: Patient
        if let read = try jsonLines?.batchPatient(slice, file: file, number: record.line, values: &values, codes: &codes) {
            patient = read
        } else if case .csv(let reader) = input {
            if !values.isEmpty { values = [] }
            patient = try reader.patient(record: slice, file: file, line: record.line)
        } else {
            preconditionFailure("a batch reads JSON Lines or CSV")
        }
        // A patient is named by its file (`file:line`) when it has no id; the name is built only
        // then, or for the formats whose evaluations carry it.
        if format != .decisions || !Self.hasID(patient, values: values, readsSlots: readsSlots, layout: pack.slots) {
            patient.file = "\(file):\(record.line)"
        }
        return patient
    }
}

/// Batches waiting for a worker, and outputs waiting to be written, behind one lock.
private final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [InputBatch] = []
    private var pendingHead = 0
    private var done: [Int: BatchRunner.Output] = [:]
    private var closed = false
    private var running = 0

    /// Starts `workers` threads that process batches with `runner`. With more than one, each
    /// worker switches to its own ``BatchRunner/replica()`` when it takes its second batch (a run
    /// of one batch never pays for the copy); the output is the same either way.
    ///
    /// - Throws: ``DiagnosticError`` when a thread cannot be started (the ones already started
    ///   are stopped first): a run never waits for a worker that does not exist.
    init(runner shared: BatchRunner, workers: Int) throws(DiagnosticError) {
        for started in 0..<workers {
            let body = { [self] in
                var runner = shared
                var taken = 0
                while let batch = self.next() {
                    taken += 1
                    if taken == 2, workers > 1, let own = shared.replica() { runner = own }
                    let output = runner.process(batch)
                    self.condition.lock()
                    self.done[batch.index] = output
                    self.condition.broadcast()
                    self.condition.unlock()
                }
                self.condition.lock()
                self.running -= 1
                self.condition.broadcast()
                self.condition.unlock()
            }
            condition.lock()
            running += 1
            condition.unlock()
            if let failure = WorkerThread.start(body) {
                condition.lock()
                running -= 1
                condition.unlock()
                finish()
                throw DiagnosticError(.error(
                    at: SourceLocation(file: shared.file, line: 1, column: 1), code: "thread-failed",
                    "cannot start worker thread \(started + 1) of \(workers): \(String(cString: strerror(failure))); "
                        + "give fewer --jobs"), kind: .system)
            }
        }
    }

    private func next() -> InputBatch? {
        condition.lock()
        defer { condition.unlock() }
        while pendingHead == pending.count, !closed { condition.wait() }
        guard pendingHead < pending.count else { return nil }
        let batch = pending[pendingHead]
        pending[pendingHead] = InputBatch(index: -1, bytes: [], records: [])
        pendingHead += 1
        if pendingHead > 64, pendingHead * 2 > pending.count {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
        return batch
    }

    func submit(_ batch: InputBatch) {
        condition.lock()
        pending.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// The output of batch `index`, waiting for it when asked to.
    func take(_ index: Int, wait: Bool) -> BatchRunner.Output? {
        condition.lock()
        defer { condition.unlock() }
        while done[index] == nil {
            guard wait, running > 0 else { return nil }
            condition.wait()
        }
        return done.removeValue(forKey: index)
    }

    /// Stops the workers once the batches submitted are done (or dropped).
    func finish() {
        condition.lock()
        closed = true
        pending.removeAll()
        pendingHead = 0
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}

/// A detached POSIX thread with an 8 MiB stack, whose start is checked (Foundation's `Thread`
/// gives no way to learn that it could not start).
private enum WorkerThread {
    /// Starts `body` on a new thread; the `errno`-style code when it could not be started.
    static func start(_ body: @escaping () -> Void) -> Int32? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let job = UnsafeMutablePointer<() -> Void>.allocate(capacity: 1)
        job.initialize(to: body)
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { argument in
            guard let job = argument?.assumingMemoryBound(to: (() -> Void).self) else { return nil }
            let body = job.move()
            job.deallocate()
            body()
            return nil
        }, job)
        guard result != 0 else { return nil }
        job.deinitialize(count: 1)
        job.deallocate()
        return result
    }
}
