/// A scored tier no patient can reach.
public struct UnreachableTier: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "unreachable-tier",
        severity: .error,
        summary: "A scored tier can never be reached: its threshold is above the highest possible score, or `not-recommended` is below the lowest.",
        rationale: """
            The highest possible score is the sum of the positive points of the therapy's score and \
            caution rules; the lowest, the sum of the negative ones. A `recommended` or `consider` \
            threshold above the highest score can never be met, and a `consider` threshold at or \
            below the lowest score leaves `not-recommended` unreachable. Usually a threshold was \
            not updated after rules changed. A therapy that is never to be recommended by design \
            switches the check off for itself in the `lint:` block, with the reason.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 2, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                  - { id: t-young, kind: score, points: 1, title: Young, when: age < 50, reason: Better healing., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 4, consider: 2 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 2, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 2, consider: 0 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 2, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                  - { id: t-young, kind: score, points: 1, title: Young, when: age < 50, reason: Better healing., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 3, consider: 2 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 2, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 100, consider: 2 }
                """, profile: LintExample.defaultProfile + """
                lint:
                  disable:
                    - { check: unreachable-tier, for: [t], reason: Never recommended by design (no approved product). }

                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.flatMap { therapy -> [Diagnostic] in
            let points = therapy.rules.filter { $0.kind == .score || $0.kind == .caution }.map(\.points)
            let highest = points.filter { $0 > 0 }.reduce(0, +)
            let lowest = points.filter { $0 < 0 }.reduce(0, +)
            let tiers = therapy.tiers
            var result: [Diagnostic] = []
            for (name, threshold, location) in [
                ("recommended", tiers.recommended, tiers.recommendedLocation),
                ("consider", tiers.consider, tiers.considerLocation),
            ] where threshold > highest {
                result.append(finding(
                    at: location,
                    "tier \(name) of therapy '\(therapy.id)' needs \(threshold) points, but its score can reach at most \(highest)",
                    subject: therapy.id))
            }
            if tiers.consider <= lowest {
                result.append(finding(
                    at: tiers.considerLocation,
                    "tier not-recommended of therapy '\(therapy.id)' is never reached: every score, even the lowest (\(lowest)), reaches consider (\(tiers.consider))",
                    subject: therapy.id))
            }
            return result
        }
    }
}
