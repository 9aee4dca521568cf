/// The engine's version, printed in every report.
public enum CandidacyVersion {
    /// The version of the engine.
    public static let current = "0.1.0"
    /// The project's home page, for SARIF's `informationUri` and the lint checks' `helpUri`.
    public static let homepage = "https://github.com/candidacy/candidacy"
}

/// What every report prints besides the decisions: the pack and how to style the output.
public struct ReportContext: Sendable {
    /// The compiled pack the decisions came from.
    public var pack: CompiledPack
    /// Whether to colour text output with ANSI escapes.
    public var colour: Bool

    public init(pack: CompiledPack, colour: Bool = false) {
        self.pack = pack
        self.colour = colour
    }

    /// The therapy with the given id.
    func therapy(_ id: String) -> Therapy? {
        pack.therapies.first { $0.therapy.id == id }?.therapy
    }

    /// `Author 2022 (grade)` lines for the evidence behind the deciding and caution rules.
    func evidence(for decision: TherapyDecision) -> [EvidenceLine] {
        guard let therapy = therapy(decision.therapy) else { return [] }
        var lines: [EvidenceLine] = []
        for id in Self.evidenceRules(of: decision) {
            guard let rule = therapy.rules.first(where: { $0.id == id }), let evidence = rule.evidence else { continue }
            let references = evidence.refs.compactMap { therapy.reference($0) }
            lines.append(EvidenceLine(rule: id, evidence: evidence, references: references))
        }
        return lines
    }
}

extension ReportContext {
    /// The rules whose evidence a report lists, in order: the deciding rules, then the other cautions.
    static func evidenceRules(of decision: TherapyDecision) -> [String] {
        decision.deciding + decision.cautions.filter { !decision.deciding.contains($0) }
    }
}

/// The evidence behind one rule, ready to print.
struct EvidenceLine {
    let rule: String
    let evidence: Evidence
    let references: [Reference]

    /// `level 5, against: Reilly 2022 … (not graded)`.
    var summary: String {
        let sources = references.map { reference in
            var text = reference.citation ?? reference.id
            if let grade = reference.grade { text += " [grade: \(grade)]" }
            if let url = reference.url { text += " <\(url)>" }
            return text
        }
        let cited = sources.isEmpty ? "" : ": " + sources.joined(separator: "; ")
        return "CEBM level \(evidence.level), \(evidence.direction.rawValue)\(cited)"
    }
}

/// Renders one patient's evaluation in one format.
public protocol EvaluationReporter: Sendable {
    /// The report for one patient, ending with a newline.
    func render(_ evaluation: PatientEvaluation, context: ReportContext) -> String
}
