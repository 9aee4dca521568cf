/// A rule with no `evidence`, or evidence that cites no reference.
public struct RuleWithoutEvidence: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "rule-without-evidence",
        severity: .warning,
        summary: "A rule has no `evidence`, or its evidence cites no reference (`refs`).",
        rationale: """
            The engine explains every recommendation with the evidence behind each rule. A rule \
            without `evidence` (CEBM level and direction), or whose evidence names no reference, \
            leaves its step unsupported in the report and in the rule book.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Studied in adults only. }
                tiers: { recommended: 0, consider: 0 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Studied in adults only., evidence: { level: 5, direction: for } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Studied in adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.flatMap { therapy in
            therapy.rules.compactMap { rule in
                guard let evidence = rule.evidence else {
                    return finding(
                        at: rule.location, "rule '\(rule.id)' has no evidence: give its level, direction and refs",
                        subject: rule.id)
                }
                guard evidence.refs.isEmpty else { return nil }
                return finding(
                    at: evidence.location, "the evidence of rule '\(rule.id)' cites no reference: add refs",
                    subject: rule.id)
            }
        }
    }
}
