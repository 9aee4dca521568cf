/// A `caution` rule with positive points.
public struct PositiveCaution: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "positive-caution",
        severity: .warning,
        summary: "A `caution` rule has positive `points`.",
        rationale: """
            A caution is a relative contraindication: it warns, and its points (usually negative) \
            lower the score. Positive points make a contraindication raise the score, which is \
            almost always a sign error; a supporting factor is a `score` rule.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-pregnant, kind: caution, points: 2, title: Pregnant, when: pregnant, reason: Not studied in pregnancy., evidence: { level: 5, direction: against, refs: [r] } }
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
                  - { id: t-pregnant, kind: caution, points: -2, title: Pregnant, when: pregnant, reason: Not studied in pregnancy., evidence: { level: 5, direction: against, refs: [r] } }
                  - { id: t-oa, kind: score, points: 2, title: OA, when: diagnosis == "knee_osteoarthritis", reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 2, consider: 1 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.flatMap { therapy in
            therapy.rules.filter { $0.kind == .caution && $0.points > 0 }.map { rule in
                finding(
                    at: rule.location,
                    "caution rule '\(rule.id)' adds \(rule.points) points: a relative contraindication should not raise the score",
                    subject: rule.id)
            }
        }
    }
}
