/// The report for a person at a terminal: therapies ranked, each with its steps, cautions,
/// missing data and evidence.
public struct TextReporter: EvaluationReporter {
    public init() {}

    public func render(_ evaluation: PatientEvaluation, context: ReportContext) -> String {
        let style = TextStyle(enabled: context.colour)
        var lines: [String] = []
        let asOf = evaluation.asOf?.description ?? "no as-of date"
        lines.append(style.bold(c("\(evaluation.patient) · as of \(asOf) · rules \(context.pack.pack.path) \(context.pack.digest) · candidacy \(CandidacyVersion.current)")))
        lines.append("Decision support only: this does not replace clinical judgement.")
        for (index, decision) in evaluation.decisions.enumerated() {
            lines.append("")
            lines.append(contentsOf: render(decision, rank: index + 1, context: context, style: style))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func render(_ decision: TherapyDecision, rank: Int, context: ReportContext, style: TextStyle) -> [String] {
        var lines: [String] = []
        let tier = style.tier(decision.tier)
        let headline = decision.tier.isScored || decision.tier == .needsData
            ? "\(tier) · \(TierExplanation.score(of: decision))" : tier
        lines.append(style.bold(c("\(rank). \(decision.therapy)  \(decision.title)")) + "  " + headline)

        let groups: [(String, [RuleKind])] = [("Exclusions", [.exclude]), ("Requirements", [.require]), ("Scoring", [.score, .caution])]
        for (name, kinds) in groups {
            let steps = decision.steps.filter { kinds.contains($0.kind) }
            if steps.isEmpty { continue }
            lines.append("   \(name) — \(summary(name, steps))")
            for step in steps {
                lines.append(contentsOf: render(step, indent: 5, scored: kinds.contains(.score), style: style))
            }
        }
        lines.append("   Tier: " + c(TierExplanation.sentence(for: decision)))
        for reason in TierExplanation.reasons(for: decision) { lines.append("     " + c(reason)) }
        if let diagnosis = decision.positions.first?.diagnosis {
            let positions = decision.positions.map { position in
                "\(position.source) \(position.position)" + (position.grade.map { " [grade: \($0)]" } ?? "")
            }
            lines.append(c("   Guidelines for \(diagnosis): " + positions.joined(separator: " · ")))
        }
        if !decision.program.isEmpty {
            lines.append("   Program:")
            for (index, item) in decision.program.enumerated() {
                lines.append(c("     \(index + 1). \(item.name): \(item.dose)"))
                lines.append("        " + style.dim(c(item.purpose.trimmingTrailingWhitespace())))
            }
        }
        if !decision.cautions.isEmpty {
            let cautions = decision.steps.filter { decision.cautions.contains($0.rule) }
                .map { "\($0.rule) — \($0.title)" }
            lines.append("   " + style.yellow("Cautions: ") + c(cautions.joined(separator: "; ")))
        }
        let missing = TierExplanation.missing(for: decision)
        if !missing.isEmpty {
            lines.append("   Missing:")
            for line in missing { lines.append("     " + c(line)) }
        }
        if !decision.whatWouldChange.isEmpty {
            lines.append("   " + c(TierExplanation.whatWouldChangeHeading(for: decision)))
            for change in decision.whatWouldChange { lines.append("     " + c(change.sentence)) }
        }
        let evidence = context.evidence(for: decision)
        if !evidence.isEmpty {
            lines.append("   Evidence:")
            for line in evidence { lines.append(c("     \(line.rule): \(line.summary)")) }
        }
        return lines
    }

    private func summary(_ group: String, _ steps: [Step]) -> String {
        let outcomes = steps.map(\.outcome)
        switch group {
        case "Exclusions":
            if outcomes.contains(.true) { return "an absolute contraindication applies" }
            return outcomes.contains(.unknown) ? "not all can be ruled out" : "none applies"
        case "Requirements":
            if outcomes.contains(.false) { return "not met" }
            return outcomes.contains(.unknown) ? "not yet decided" : "met"
        default:
            return "\(steps.filter { $0.outcome == .true }.count) of \(steps.count) hold"
        }
    }

    private func render(_ step: Step, indent: Int, scored: Bool, style: TextStyle) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let outcome = style.outcome(step.outcome)
        var head = pad
        if scored { head += TierExplanation.stepPoints(step).padding(3) + " " }
        head += outcome + " " + style.bold(c(step.rule)) + "  " + c(step.title)
        if scored, step.outcome != .true, step.potentialPoints != 0 {
            head += style.dim(" (\(step.potentialPoints > 0 ? "+" : "")\(step.potentialPoints) if true)")
        }
        var lines = [head]
        let detailPad = pad + String(repeating: " ", count: scored ? 12 : 8)
        lines.append(contentsOf: details(step, pad: detailPad, style: style))
        return lines
    }

    private func details(_ step: Step, pad: String, style: TextStyle) -> [String] {
        var lines: [String] = []
        if step.items.isEmpty {
            lines.append(pad + "when " + c(step.condition))
            if !step.values.isEmpty {
                lines.append(pad + style.dim(c(step.values.map(ValueFormatter.observed).joined(separator: ", "))))
            }
            if let error = step.error { lines.append(pad + style.red(c("error: \(error)"))) }
        } else {
            lines.append(pad + (step.condition == "not" ? "not:" : "\(c(step.condition)) of:"))
            for item in step.items {
                lines.append(pad + "  " + style.outcome(item.outcome) + " " + c(item.items.isEmpty ? item.condition : "\(item.condition) of:"))
                let nested = details(item, pad: pad + "          ", style: style)
                lines.append(contentsOf: nested.dropFirst())
            }
        }
        let shown = Set(step.values.filter { $0.value == nil }.map(\.path))
        let unshown = step.missing.filter { !shown.contains($0) }
        if step.outcome == .unknown, !unshown.isEmpty, step.items.isEmpty {
            lines.append(pad + style.yellow(c("not recorded: " + unshown.joined(separator: ", "))))
        }
        return lines
    }

    /// Text from the patient or the pack, its control characters made visible: the report's own
    /// colours are the only escape sequences it writes.
    private func c(_ text: String) -> String { ControlCharacters.escaped(text) }
}

private extension String {
    /// The string padded with spaces on the right to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// ANSI styling that is a no-op when colour is off.
struct TextStyle {
    let enabled: Bool

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }

    /// The outcome, padded to a fixed width before colouring so columns line up.
    func outcome(_ value: TruthValue) -> String {
        let text = value.rawValue.padding(7)
        switch value {
        case .true: return green(text)
        case .false: return dim(text)
        case .unknown: return yellow(text)
        }
    }

    func tier(_ tier: Tier) -> String {
        switch tier {
        case .recommended: green(bold(tier.rawValue))
        case .consider, .needsData: yellow(tier.rawValue)
        case .notRecommended: dim(tier.rawValue)
        case .ineligible, .contraindicated: red(tier.rawValue)
        }
    }
}
