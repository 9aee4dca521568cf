/// A rule with no `reason`: a reviewer cannot tell why it exists.
public struct RuleWithoutReason: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "rule-without-reason",
        severity: .warning,
        summary: "A rule has no `reason`.",
        rationale: """
            Every rule should say, in words a clinician would accept, why it exists: the report shows \
            the reason beside the outcome, and a reviewer cannot judge a rule without it.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, evidence: { level: 5, direction: for, refs: [r] } }
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
            therapy.rules.filter { ($0.reason ?? "").allSatisfy(\.isWhitespace) }.map { rule in
                finding(at: rule.location, "rule '\(rule.id)' has no reason: say why it exists", subject: rule.id)
            }
        }
    }
}
