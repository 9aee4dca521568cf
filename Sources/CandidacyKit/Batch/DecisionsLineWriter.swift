/// Writes a batch's decisions lines straight from each therapy's verdicts: the bytes
/// ``BatchLine/decisions(_:line:)`` writes for ``Evaluator/evaluate(_:asOf:therapies:)``, without
/// building a ``TherapyDecision`` or a ``PatientEvaluation`` for every patient.
///
/// Rule and therapy ids are escaped once, when the writer is made; the verdicts, the fast-path
/// frame and the tallies live in buffers the writer keeps from one patient to the next. One
/// writer serves one thread (it is a value: each batch makes its own).
struct DecisionsLineWriter {
    /// The evaluator (``Evaluator/Detail/decisions``).
    let evaluator: Evaluator
    /// The therapies evaluated, as positions in the pack, in pack order.
    private let included: [Int]
    /// Each therapy's object up to its tier (`{"therapy":"prp","tier":`), and its rules' ids
    /// as JSON strings in step order, by pack position.
    private let therapyHead: [[UInt8]]
    private let ruleJSON: [[[UInt8]]]

    /// Each included therapy's verdicts (by position in `included`), refilled for every patient.
    private var verdicts: [[Verdict]]
    private var tallies: [DecisionTally] = []
    /// Each included therapy's missing fields (its tally's ``DecisionTally/missing``), refilled
    /// in place for every patient.
    private var missing: [[String]]
    /// The included therapies' positions in `included`, ranked.
    private var order: [Int] = []
    private var frame = FastPath.Frame()
    /// `Tier.allCases.count`, read once.
    private let tierCount = Tier.allCases.count

    /// - Parameters:
    ///   - evaluator: Evaluates the conditions; its detail should be ``Evaluator/Detail/decisions``.
    ///   - therapies: The therapy ids to evaluate; `nil` for all.
    init(evaluator: Evaluator, therapies: Set<String>?) {
        self.evaluator = evaluator
        let compiled = evaluator.pack.therapies
        included = compiled.indices.filter { therapies?.contains(compiled[$0].therapy.id) ?? true }
        therapyHead = compiled.map { therapy in
            var writer = JSONBytes(capacity: therapy.therapy.id.utf8.count + 24)
            writer.raw("{\"therapy\":")
            writer.string(therapy.therapy.id)
            writer.raw(",\"tier\":")
            return writer.bytes
        }
        ruleJSON = compiled.map { $0.stepIDs.map(Self.quoted) }
        verdicts = Array(repeating: [], count: included.count)
        missing = Array(repeating: [], count: included.count)
    }

    private static func quoted(_ text: String) -> [UInt8] {
        var writer = JSONBytes(capacity: text.utf8.count + 2)
        writer.string(text)
        return writer.bytes
    }

    /// Evaluates one patient and writes its decisions line.
    ///
    /// - Parameters:
    ///   - patient: The patient (its record may hold only its identity when `slots` are given).
    ///   - asOf: The date to evaluate at; `nil` uses the patient's `as_of`, as ``Evaluator`` does.
    ///   - slots: The patient's top-level fields in the pack's layout; `nil` reads them from the record.
    ///   - line: The input line number.
    ///   - tierCounts: Counts by pack position and tier (`position * Tier.allCases.count + tier`),
    ///     incremented for each therapy written.
    mutating func write(
        _ patient: Patient, asOf: CivilDate?, slots given: SlotValues?, line: Int, into writer: inout JSONBytes,
        tierCounts: inout [Int]
    ) {
        let slots = given ?? SlotValues(layout: evaluator.pack.slots, record: patient.record)
        // The patient's date and id from their slots (the same values, without a lookup by name).
        let date = asOf ?? slots.asOf
        // One activation for the patient, each therapy entering it in turn; the arrays are
        // overwritten in place (emptying them cost more than filling them).
        var activation = Activation(variables: [:], asOf: date)
        activation.record = patient.record
        activation.slots = slots
        for place in included.indices {
            let compiled = evaluator.pack.therapies[included[place]]
            compiled.enter(&activation)
            evaluator.verdicts(of: compiled, in: activation, into: &verdicts[place], frame: &frame)
            let tally = DecisionTally(compiled, verdicts: verdicts[place], gathersMissing: false)
            tally.gatherMissing(of: verdicts[place], into: &missing[place])
            if place < tallies.count { tallies[place] = tally } else { tallies.append(tally) }
            if place < order.count { order[place] = place } else { order.append(place) }
        }
        rank()

        writer.raw("{\"patient\":")
        writer.string(slots.patientID(file: patient.file))
        writer.raw(",\"line\":")
        writer.int(line)
        writer.raw(",\"as_of\":")
        if let date { writer.date(date) } else { writer.raw("null") }
        writer.raw(",\"therapies\":[")
        for (rank, place) in order.enumerated() {
            let position = included[place]
            let compiled = evaluator.pack.therapies[position]
            let tally = tallies[place]  // one copy, not one for every rule read below
            if rank > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.append(therapyHead[position])
            writer.raw(tally.tier.quotedJSONThenScoreKey)
            writer.int(tally.score)
            writer.raw(",\"score_range\":[")
            writer.int(tally.low)
            writer.byte(UInt8(ascii: ","))
            writer.int(tally.high)
            writer.raw(tally.provisional ? "],\"provisional\":true,\"missing\":" : "],\"provisional\":false,\"missing\":")
            writer.strings(missing[place])
            // Each array read once, outside the loops over the rules.
            let (ids, outcomes) = (ruleJSON[position], verdicts[place])
            var count = 0
            /// One id of a list: after a comma unless it is the first.
            func item(_ step: Int) {
                if count > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.append(ids[step])
                count += 1
            }
            writer.raw(",\"cautions\":[")
            tally.forEachCaution(outcomes, kinds: compiled.stepKinds, item)
            writer.raw("],\"deciding\":[")
            count = 0
            tally.forEachDeciding(outcomes, points: compiled.stepPoints, item)
            writer.raw("]}")
            tierCounts[position * tierCount + tally.tier.rank] += 1
        }
        writer.raw("]}\n")
    }

    /// Ranks `order` as ``Evaluator/rank(_:)`` ranks decisions: by tier, then score (higher
    /// first), pack order breaking ties.
    private mutating func rank() {
        // Read in place: a copy of a tally would retain its missing fields.
        Evaluator.rank(count: order.count, key: { (tallies[order[$0]].tier, tallies[order[$0]].score) }) { order.swapAt($0, $1) }
    }
}
