/// Tier thresholds out of order.
public struct TierOrder: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "tier-order",
        severity: .error,
        summary: "`tiers.consider` is not below `tiers.recommended`.",
        rationale: """
            The consider band runs from `consider` up to just below `recommended`. A `consider` \
            threshold above `recommended` is rejected when the pack loads (the pack cannot be used); \
            one equal to it leaves the consider band empty, which this check reports.
            """,
        enforcedAtLoad: true,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 4, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 2, consider: 3 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 4, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 3, consider: 3 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 4, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 3, consider: 2 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.compactMap { therapy in
            guard therapy.tiers.consider >= therapy.tiers.recommended else { return nil }
            return finding(
                at: therapy.tiers.considerLocation,
                "tiers.consider \(therapy.tiers.consider) equals tiers.recommended of therapy '\(therapy.id)': "
                    + "the consider band is empty",
                subject: therapy.id)
        }
    }
}
