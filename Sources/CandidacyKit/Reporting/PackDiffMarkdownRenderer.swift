/// A ``PackDiff`` as Markdown to paste into a review: the summary line, a table of the cases
/// that move, then the pack changes. Text from the packs and cases is escaped.
public struct PackDiffMarkdownRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The document, ending with a line break.
    public func render(_ diff: PackDiff) -> String {
        var lines: [String] = []
        lines.append("## Rule pack change: \(code(diff.old.path)) → \(code(diff.new.path))")
        lines.append("")
        lines.append("*Decision support only: this does not replace clinical judgement.*")
        lines.append("")
        let unchanged = diff.unchangedCases
        lines.append("**\(diff.summary.line).** \(unchanged) \(unchanged == 1 ? "case" : "cases") unchanged.")
        lines.append("")
        lines += MarkdownText.table(["", "pack", "digest"], [
            ["old", code(diff.old.path, inTable: true), code(diff.old.digest, inTable: true)],
            ["new", code(diff.new.path, inTable: true), code(diff.new.digest, inTable: true)],
        ])

        lines.append("")
        lines.append("### Cases that change")
        lines.append("")
        if diff.caseChanges.isEmpty {
            lines.append("None.")
        } else {
            lines += MarkdownText.table(
                ["case", "therapy", "before", "after", "deciding", "rules responsible"],
                diff.caseChanges.map(row))
        }

        if !diff.invalidCases.isEmpty {
            lines.append("")
            lines.append("### Cases not valid under both packs")
            lines.append("")
            for entry in diff.invalidCases {
                lines.append("- \(code(entry.caseID)) (\(code(entry.file)))")
                lines.append("  - old: " + errors(entry.oldErrors))
                lines.append("  - new: " + errors(entry.newErrors))
            }
        }

        lines.append("")
        lines.append("### Pack changes")
        lines.append("")
        if diff.packChanges.isEmpty {
            lines.append("None.")
        } else {
            for change in diff.packChanges { lines += item(change) }
        }
        // Control characters from the inputs made visible (line feeds and tabs kept).
        return ControlCharacters.escapedDocument(lines.joined(separator: "\n") + "\n")
    }

    // MARK: - Cases

    private func row(_ change: CaseChange) -> [String] {
        let before = change.before.map { "\($0.tier.rawValue) · \($0.score)" } ?? "—"
        let after = change.after.map { "\($0.tier.rawValue) · \($0.score)" } ?? "—"
        let moved = change.aspects.contains(.tier) || change.aspects.contains(.therapy)
        var deciding: String
        if let old = change.before, let new = change.after, old.deciding != new.deciding {
            deciding = rules(old.deciding) + " → " + rules(new.deciding)
        } else {
            deciding = rules((change.after ?? change.before)?.deciding ?? [])
        }
        if let thresholds = change.thresholds {
            deciding += "; tiers " + MarkdownText.inline(thresholds.before) + " → " + MarkdownText.inline(thresholds.after)
        }
        let responsible = change.responsible.map { rule in
            code(rule.rule, inTable: true) + ": " + MarkdownText.inline(String(rule.summary.dropFirst(rule.rule.count + 2)))
        }
        return [
            code(change.caseID, inTable: true) + " (" + code(change.file, inTable: true) + ")",
            code(change.therapy, inTable: true), before,
            moved ? "**\(after)**" : after, deciding, responsible.isEmpty ? "—" : responsible.joined(separator: "; "),
        ]
    }

    private func rules(_ ids: [String]) -> String {
        ids.isEmpty ? "none" : ids.map { code($0, inTable: true) }.joined(separator: ", ")
    }

    private func errors(_ errors: [String]?) -> String {
        guard let errors else { return "valid" }
        return errors.map { MarkdownText.inline($0) }.joined(separator: "; ")
    }

    // MARK: - Pack changes

    /// One list item; wording changes list their old and new text beneath.
    private func item(_ change: PackChange) -> [String] {
        let label = change.therapy.map { code($0) } ?? "profile"
        let named: String? = [.therapyVersion, .therapyWording, .therapyReviewBy, .tiers].contains(change.kind)
            ? nil : code(change.subject)
        let what = [change.noun, named, change.field].compactMap { $0 }.joined(separator: " ")
        if isProse(change) {
            var lines = ["- \(label): \(what) \(verb(change))"]
            if let before = change.before { lines.append("  - before: " + MarkdownText.inline(before)) }
            if let after = change.after { lines.append("  - after: " + MarkdownText.inline(after)) }
            return lines
        }
        switch (change.before, change.after) {
        case (let before?, let after?): return ["- \(label): \(what): \(code(before)) → \(code(after))"]
        case (nil, let after?): return ["- \(label): \(what) added: \(code(after))"]
        case (let before?, nil): return ["- \(label): \(what) removed: \(code(before))"]
        case (nil, nil): return ["- \(label): \(what)"]
        }
    }

    private func verb(_ change: PackChange) -> String {
        switch (change.before, change.after) {
        case (nil, _?): "added"
        case (_?, nil): "removed"
        default: "changed"
        }
    }

    /// Whether the change's values are prose (titles, reasons, citations), shown as text
    /// rather than as code.
    private func isProse(_ change: PackChange) -> Bool {
        switch change.kind {
        case .therapyWording, .ruleWording, .profileFieldWording, .referenceAdded, .referenceRemoved,
            .referenceChanged, .positionAdded, .positionRemoved, .positionChanged, .therapyAdded, .therapyRemoved:
            true
        case .parameterDetail:
            change.field == "description"
        default:
            false
        }
    }

    private func code(_ text: String, inTable: Bool = false) -> String {
        let span = MarkdownText.code(text, inTable: inTable)
        return span.isEmpty ? "(empty)" : span
    }
}
