/// A ``PackDiff`` as one indented JSON document with stable keys (`docs/FORMATS.md`, "Diff").
public struct PackDiffJSONRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The document, ending with a line break.
    public func render(_ diff: PackDiff) -> String {
        document(diff).rendered(pretty: true) + "\n"
    }

    /// The document as a value.
    public func document(_ diff: PackDiff) -> JSONValue {
        let summary = diff.summary
        return .object([
            ("schema_version", .int(1)),
            ("engine", .object([("version", .string(CandidacyVersion.current))])),
            ("old", pack(diff.old)),
            ("new", pack(diff.new)),
            ("summary", .object([
                ("line", .string(summary.line)),
                ("cases", int(summary.cases)),
                ("changed", int(summary.changed)),
                ("tier", int(summary.tier)),
                ("score", int(summary.score)),
                ("deciding", int(summary.deciding)),
                ("validity", int(summary.validity)),
                ("invalid_under_both", int(summary.invalidUnderBoth)),
            ])),
            ("pack_changes", .array(diff.packChanges.map(packChange))),
            ("case_changes", .array(diff.caseChanges.map(caseChange))),
            ("invalid_cases", .array(diff.invalidCases.map(invalidCase))),
            ("unchanged_cases", int(diff.unchangedCases)),
        ])
    }

    private func pack(_ identity: PackDiff.PackIdentity) -> JSONValue {
        .object([
            ("path", .string(identity.path)),
            ("digest", .string(identity.digest)),
            ("versions", .object(identity.versions.map { ($0.therapy, .string($0.version)) })),
        ])
    }

    private func packChange(_ change: PackChange) -> JSONValue {
        .object([
            ("therapy", optional(change.therapy)),
            ("change", .string(change.kind.rawValue)),
            ("subject", .string(change.subject)),
            ("field", optional(change.field)),
            ("before", optional(change.before)),
            ("after", optional(change.after)),
            ("affects_outcomes", .bool(change.kind.affectsOutcomes)),
            ("summary", .string(change.summary)),
        ])
    }

    private func caseChange(_ change: CaseChange) -> JSONValue {
        .object([
            ("case", .string(change.caseID)),
            ("file", .string(change.file)),
            ("therapy", .string(change.therapy)),
            ("changed", .array(change.aspects.map { .string($0.rawValue) })),
            ("before", outcome(change.before)),
            ("after", outcome(change.after)),
            ("responsible", .array(change.responsible.map { .string($0.rule) })),
            ("rule_changes", .array(change.responsible.map(ruleChange))),
            ("tiers", change.thresholds.map { .object([("before", .string($0.before)), ("after", .string($0.after))]) } ?? .null),
        ])
    }

    private func outcome(_ outcome: CaseChange.Outcome?) -> JSONValue {
        guard let outcome else { return .null }
        return .object([
            ("tier", .string(outcome.tier.rawValue)),
            ("score", int(outcome.score)),
            ("deciding", .array(outcome.deciding.map(JSONValue.string))),
        ])
    }

    private func ruleChange(_ change: CaseChange.RuleChange) -> JSONValue {
        func side(_ outcome: CaseChange.RuleOutcome?) -> JSONValue {
            guard let outcome else { return .null }
            return .object([
                ("kind", .string(outcome.kind.rawValue)),
                ("outcome", .string(outcome.outcome.rawValue)),
                ("points", int(outcome.points)),
            ])
        }
        return .object([("rule", .string(change.rule)), ("before", side(change.before)), ("after", side(change.after))])
    }

    private func invalidCase(_ entry: PackDiff.InvalidCase) -> JSONValue {
        .object([
            ("case", .string(entry.caseID)),
            ("file", .string(entry.file)),
            ("old", entry.oldErrors.map { .array($0.map(JSONValue.string)) } ?? .null),
            ("new", entry.newErrors.map { .array($0.map(JSONValue.string)) } ?? .null),
        ])
    }

    private func int(_ value: Int) -> JSONValue { .int(Int64(value)) }

    private func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
