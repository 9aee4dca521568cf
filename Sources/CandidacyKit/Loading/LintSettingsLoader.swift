/// Reads the `lint:` block of `profile.yaml` into ``LintSettings``.
enum LintSettingsLoader {
    private static let entryKeys = ["check", "for", "reason"]

    /// The settings, or `nil` when the block has errors (all of them logged).
    static func load(_ node: YAMLNode, log: inout DiagnosticLog) -> LintSettings? {
        let errorsBefore = log.diagnostics.count
        guard let reader = MappingReader(node, what: "lint", keys: ["disable"], log: &log) else { return nil }
        var disabled: [DisabledCheck] = []
        if let list = reader.optional("disable") {
            guard let items = list.items else {
                log.error(
                    at: list.location, code: "wrong-type",
                    "expected a list of checks to switch off ({check, reason}), found \(ScalarReader.describe(list))")
                return nil
            }
            for item in items {
                if let entry = entry(item, log: &log) { disabled.append(entry) }
            }
        }
        var seen: [String: SourceLocation] = [:]
        for entry in disabled where entry.subjects.isEmpty {
            if let first = seen[entry.check] {
                log.error(
                    at: entry.location, code: "duplicate-id",
                    "check '\(entry.check)' is already switched off at \(first.line):\(first.column)")
            } else {
                seen[entry.check] = entry.location
            }
        }
        guard log.diagnostics.count == errorsBefore else { return nil }
        return LintSettings(disabled: disabled)
    }

    private static func entry(_ node: YAMLNode, log: inout DiagnosticLog) -> DisabledCheck? {
        let errorsBefore = log.diagnostics.count
        guard let reader = MappingReader(node, what: "lint.disable entry", keys: entryKeys, log: &log) else {
            return nil
        }
        var check: String?
        if let node = reader.required("check", log: &log), let text = ScalarReader.string(node, log: &log) {
            let known = LintCatalogue.ids
            if !known.contains(text) {
                log.error(
                    at: node.location, code: "unknown-check",
                    "unknown lint check '\(ScalarReader.excerpt(text))'\(Suggestion.didYouMean(text, in: known)); "
                        + "`candidacy lint --list` lists the checks")
            } else if LintCatalogue.loadEnforcedIDs.contains(text) {
                log.error(
                    at: node.location, code: "check-not-disableable",
                    "check '\(text)' cannot be switched off: it is enforced when the pack loads")
            } else {
                check = text
            }
        }
        var reason: String?
        if let node = reader.required("reason", log: &log), let text = ScalarReader.string(node, log: &log) {
            // Trimmed of whitespace at both ends, found from each end (a reversed copy of a long
            // reason cost about a third of a pack's load).
            if let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) {
                reason = String(text[first...last])
            } else {
                log.error(at: node.location, code: "empty", "a check switched off needs a reason, found an empty one")
            }
        }
        var subjects: [String] = []
        if let node = reader.optional("for") {
            if let list = ScalarReader.stringList(node, log: &log) {
                if list.isEmpty {
                    log.error(
                        at: node.location, code: "empty",
                        "'for' needs at least one name; leave it out to switch the check off for the whole pack")
                }
                subjects = list.map(\.0)
            }
        }
        guard let check, let reason, log.diagnostics.count == errorsBefore else { return nil }
        return DisabledCheck(check: check, subjects: subjects, reason: reason, location: node.location)
    }
}
