/// A rule that adds points while its evidence points against it.
public struct PointsAgainstEvidence: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "points-against-evidence",
        severity: .warning,
        summary: "A rule adds points, but its evidence's `direction` is `against`.",
        rationale: """
            Evidence levels and directions describe the evidence for the rule's claim. A rule that \
            raises the score claims the therapy is more suitable, so its evidence is `for` or \
            `uncertain`; evidence `against` on it is a contradiction a reader would act on. A rule \
            that lowers the score (negative points) may cite evidence against the therapy.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-pfp, kind: score, points: 2, title: PFP, when: diagnosis == "knee_osteoarthritis", reason: No guideline supports it., evidence: { level: 5, direction: against, refs: [r] } }
                tiers: { recommended: 2, consider: 1 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 2, title: OA, when: diagnosis == "knee_osteoarthritis", reason: Weak support., evidence: { level: 5, direction: uncertain, refs: [r] } }
                  - { id: t-old, kind: score, points: -1, title: Older, when: age >= 50, reason: No better than placebo at 50 or more., evidence: { level: 2, direction: against, refs: [r] } }
                tiers: { recommended: 2, consider: 1 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.flatMap { therapy in
            therapy.rules.filter { $0.points > 0 && $0.evidence?.direction == .against }.map { rule in
                finding(
                    at: rule.location,
                    "rule '\(rule.id)' adds \(rule.points) points but cites evidence against: "
                        + "a rule that raises the score has direction for or uncertain",
                    subject: rule.id)
            }
        }
    }
}
