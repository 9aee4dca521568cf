/// The report as a note a clinician can paste into a record.
public struct MarkdownReporter: EvaluationReporter {
    public init() {}

    public func render(_ evaluation: PatientEvaluation, context: ReportContext) -> String {
        var lines: [String] = []
        let asOf = evaluation.asOf?.description ?? "no as-of date"
        lines.append("## Candidacy: \(escape(evaluation.patient)), as of \(asOf)")
        lines.append("")
        lines.append("*Decision support only: this does not replace clinical judgement.*")
        lines.append("")
        lines.append("Rule pack `\(context.pack.pack.path)` (`\(context.pack.digest)`), candidacy \(CandidacyVersion.current).")
        lines.append("")
        lines.append("| # | Therapy | Tier | Score |")
        lines.append("|---|---|---|---|")
        for (index, decision) in evaluation.decisions.enumerated() {
            lines.append("| \(index + 1) | \(escape(decision.title)) (`\(decision.therapy)`) | **\(decision.tier.rawValue)** | \(TierExplanation.score(of: decision)) |")
        }
        for (index, decision) in evaluation.decisions.enumerated() {
            lines.append("")
            lines.append("### \(index + 1). \(escape(decision.title)): \(decision.tier.rawValue)")
            lines.append("")
            lines.append("Tier: " + escape(TierExplanation.sentence(for: decision)))
            lines.append("")
            let reasons = TierExplanation.reasons(for: decision)
            for reason in reasons { lines.append("- " + escape(reason)) }
            if !reasons.isEmpty { lines.append("") }
            if let diagnosis = decision.positions.first?.diagnosis {
                lines.append("**Guidelines for \(escape(diagnosis)):**")
                lines.append("")
                for position in decision.positions {
                    var text = "- **\(escape(position.source))** (\(position.stance.rawValue)): \(escape(position.position))"
                    if let grade = position.grade { text += "; grade: \(escape(grade))" }
                    lines.append(text)
                }
                lines.append("")
            }
            if !decision.program.isEmpty {
                lines.append("**Program:**")
                lines.append("")
                for (index, item) in decision.program.enumerated() {
                    lines.append("\(index + 1). **\(escape(item.name))** (\(escape(item.dose.description))): \(escape(item.purpose.trimmingTrailingWhitespace()))")
                }
                lines.append("")
            }
            let groups: [(String, [RuleKind])] = [("Exclusions", [.exclude]), ("Requirements", [.require]), ("Scoring", [.score, .caution])]
            for (name, kinds) in groups {
                let steps = decision.steps.filter { kinds.contains($0.kind) }
                if steps.isEmpty { continue }
                lines.append("**\(name)**")
                lines.append("")
                for step in steps { lines.append(contentsOf: render(step, depth: 0, scored: kinds.contains(.score))) }
                lines.append("")
            }
            if !decision.cautions.isEmpty {
                lines.append("**Cautions:** " + decision.cautions.map { "`\($0)`" }.joined(separator: ", "))
                lines.append("")
            }
            let missing = TierExplanation.missing(for: decision)
            if !missing.isEmpty {
                lines.append("**Missing:** " + escape(missing.joined(separator: "; ")))
                lines.append("")
            }
            if !decision.whatWouldChange.isEmpty {
                lines.append("**" + escape(TierExplanation.whatWouldChangeHeading(for: decision)) + "**")
                lines.append("")
                for change in decision.whatWouldChange { lines.append("- " + escape(change.sentence)) }
                lines.append("")
            }
            let evidence = context.evidence(for: decision)
            if !evidence.isEmpty {
                lines.append("**Evidence:**")
                lines.append("")
                for line in evidence { lines.append("- `\(line.rule)`: \(escape(line.summary))") }
                lines.append("")
            }
            while lines.last == "" { lines.removeLast() }
        }
        // Control characters from the inputs made visible (line feeds and tabs kept).
        return ControlCharacters.escapedDocument(lines.joined(separator: "\n") + "\n")
    }

    private func render(_ step: Step, depth: Int, scored: Bool) -> [String] {
        let indent = String(repeating: "  ", count: depth)
        var text = indent + "- "
        if depth == 0 {
            if scored { text += "\(TierExplanation.stepPoints(step)) " }
            text += "`\(step.outcome.rawValue)` **\(step.rule)** \(escape(step.title))"
            text += step.items.isEmpty ? ": `\(step.condition)`" : ": \(step.condition) of"
        } else {
            text += "`\(step.outcome.rawValue)` " + (step.items.isEmpty ? "`\(step.condition)`" : "\(step.condition) of")
        }
        if step.items.isEmpty {
            if !step.values.isEmpty { text += " (" + escape(step.values.map(ValueFormatter.observed).joined(separator: ", ")) + ")" }
            if let error = step.error { text += " error: " + escape(error) }
        }
        var lines = [text]
        for item in step.items { lines.append(contentsOf: render(item, depth: depth + 1, scored: false)) }
        return lines
    }

    /// Escapes the characters Markdown would read as formatting or table structure.
    private func escape(_ text: String) -> String {
        MarkdownText.escape(text)
    }
}
