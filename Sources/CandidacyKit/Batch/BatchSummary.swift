/// What a batch run did: records read, evaluated and rejected, and how many patients each
/// therapy placed in each tier.
public struct BatchSummary: Sendable, Hashable {
    /// The records written out (an error line counts).
    public var records = 0
    /// The records evaluated.
    public var evaluated = 0
    /// The records that could not be read as patients.
    public var failed = 0
    /// The first line that failed.
    public var firstFailedLine: Int?
    /// Whether `--fail-fast` stopped the run before the end of the input.
    public var stopped = false
    /// For each therapy in pack order, the patients in each tier.
    public var counts: [(therapy: String, tiers: [Tier: Int])]

    public init(therapies: [String]) {
        counts = therapies.map { ($0, [:]) }
    }

    public static func == (lhs: BatchSummary, rhs: BatchSummary) -> Bool {
        lhs.rendered() == rhs.rendered() && lhs.firstFailedLine == rhs.firstFailedLine
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rendered())
    }

    /// Adds the counts of a later part of the run.
    mutating func add(_ other: BatchSummary) {
        records += other.records
        evaluated += other.evaluated
        failed += other.failed
        if firstFailedLine == nil { firstFailedLine = other.firstFailedLine }
        stopped = stopped || other.stopped
        for index in counts.indices where index < other.counts.count {
            counts[index].tiers.merge(other.counts[index].tiers, uniquingKeysWith: +)
        }
    }

    /// The summary as a table:
    ///
    /// ```
    /// 1000 patients: 998 evaluated, 2 with errors (first at line 12)
    /// therapy           recommended  consider  needs-data  not-recommended  ineligible  contraindicated
    /// eswt                      120       300         ...
    /// ```
    public func rendered() -> String {
        var lines: [String] = []
        var head = "\(records) \(records == 1 ? "patient" : "patients"): \(evaluated) evaluated, \(failed) with errors"
        if let firstFailedLine { head += " (first at line \(firstFailedLine))" }
        if stopped { head += "; stopped at the first error (--fail-fast)" }
        lines.append(head)
        let width = max(7, counts.map(\.therapy.count).max() ?? 0)
        func pad(_ text: String, _ count: Int, left: Bool) -> String {
            let padding = String(repeating: " ", count: max(0, count - text.count))
            return left ? text + padding : padding + text
        }
        var header = pad("therapy", width, left: true)
        for tier in Tier.allCases.sorted() { header += "  " + tier.rawValue }
        lines.append(header)
        for (therapy, tiers) in counts {
            var row = pad(therapy, width, left: true)
            for tier in Tier.allCases.sorted() { row += "  " + pad(String(tiers[tier] ?? 0), tier.rawValue.count, left: false) }
            lines.append(row)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension BatchSummary {
    /// Counts one evaluated patient.
    public mutating func count(_ evaluation: PatientEvaluation) {
        records += 1
        evaluated += 1
        for decision in evaluation.decisions {
            if let index = counts.firstIndex(where: { $0.therapy == decision.therapy }) {
                counts[index].tiers[decision.tier, default: 0] += 1
            }
        }
    }
}
