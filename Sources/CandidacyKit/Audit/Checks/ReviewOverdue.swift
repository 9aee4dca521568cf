/// A therapy file whose `review_by` date has passed.
public struct ReviewOverdue: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "review-overdue",
        severity: .warning,
        summary: "A therapy file's `review_by` date is before the lint date (`--as-of`, default today).",
        rationale: """
            Evidence moves on. A therapy file past its review date still works, but its rules may no \
            longer reflect the sources; review it and move the date.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                review_by: 2025-12-31
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                review_by: 2026-01-01
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.compactMap { therapy in
            guard let date = therapy.reviewBy, date < context.asOf else { return nil }
            let days = context.asOf.daysSinceEpoch - date.daysSinceEpoch
            return finding(
                at: therapy.reviewByLocation ?? therapy.location,
                "therapy '\(therapy.id)' was due for review on \(date), \(days) day\(days == 1 ? "" : "s") before \(context.asOf)",
                subject: therapy.id)
        }
    }
}
