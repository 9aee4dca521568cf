/// A ``PackDiff`` as plain text for a terminal: the summary line, the pack changes, then each
/// case that moves with its before → after and the rules responsible.
public struct PackDiffTextRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The report, ending with a line break.
    public func render(_ diff: PackDiff) -> String {
        var lines: [String] = []
        let width = max(diff.old.path.count, diff.new.path.count)
        lines.append("candidacy diff · candidacy \(CandidacyVersion.current)")
        lines.append("old  \(pad(diff.old.path, width))  \(diff.old.digest)")
        lines.append("new  \(pad(diff.new.path, width))  \(diff.new.digest)")
        lines.append("Decision support only: this does not replace clinical judgement.")
        lines.append("")
        lines.append(diff.summary.line)

        lines.append("")
        if diff.packChanges.isEmpty {
            lines.append("Pack changes: none")
        } else {
            lines.append("Pack changes (\(diff.packChanges.count))")
            let labels = diff.packChanges.map { $0.therapy ?? "profile" }
            let labelWidth = labels.map(\.count).max() ?? 0
            for (label, change) in zip(labels, diff.packChanges) {
                lines.append("  \(pad(label, labelWidth))  \(oneLine(change.summary))")
            }
        }

        lines.append("")
        if diff.caseChanges.isEmpty {
            lines.append("Cases that change: none")
        } else {
            let files = orderedFiles(diff.caseChanges)
            lines.append("Cases that change (\(files.count))")
            for file in files {
                let changes = diff.caseChanges.filter { $0.file == file }
                lines.append("  \(changes.first?.caseID ?? file)  \(file)")
                let therapyWidth = changes.map(\.therapy.count).max() ?? 0
                for change in changes {
                    lines += caseLines(change, indent: "    ", therapyWidth: therapyWidth)
                }
            }
        }

        let invalid = diff.invalidCases
        if !invalid.isEmpty {
            lines.append("")
            lines.append("Cases not valid under both packs (\(invalid.count))")
            for entry in invalid {
                lines.append("  \(entry.caseID)  \(entry.file)")
                lines.append("    old: " + (entry.oldErrors.map { $0.joined(separator: "; ") } ?? "valid"))
                lines.append("    new: " + (entry.newErrors.map { $0.joined(separator: "; ") } ?? "valid"))
            }
        }

        lines.append("")
        let unchanged = diff.unchangedCases
        lines.append("\(unchanged) \(unchanged == 1 ? "case" : "cases") unchanged.")
        // Control characters from the inputs made visible (line feeds and tabs kept).
        return ControlCharacters.escapedDocument(lines.joined(separator: "\n") + "\n")
    }

    private func caseLines(_ change: CaseChange, indent: String, therapyWidth: Int) -> [String] {
        let before = change.before?.summary ?? "not in the old pack"
        let after = change.after?.summary ?? "not in the new pack"
        var lines = ["\(indent)\(pad(change.therapy, therapyWidth))  \(before) → \(after)"]
        let inner = indent + String(repeating: " ", count: therapyWidth + 2)
        if let old = change.before, let new = change.after, old.deciding != new.deciding {
            lines.append("\(inner)deciding: \(list(old.deciding)) → \(list(new.deciding))")
        } else if let outcome = change.after ?? change.before {
            lines.append("\(inner)deciding: \(list(outcome.deciding))")
        }
        if let thresholds = change.thresholds {
            lines.append("\(inner)tiers: \(thresholds.before) → \(thresholds.after)")
        }
        for (index, rule) in change.responsible.enumerated() {
            lines.append("\(inner)\(index == 0 ? "responsible:" : "            ") \(rule.summary)")
        }
        return lines
    }

    private func list(_ rules: [String]) -> String {
        rules.isEmpty ? "none" : rules.joined(separator: ", ")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// Text from the pack on one line: whitespace runs made single spaces.
    private func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isNewline }).joined(separator: " ")
    }

    private func orderedFiles(_ changes: [CaseChange]) -> [String] {
        var files: [String] = []
        for change in changes where files.last != change.file { files.append(change.file) }
        return files
    }
}
