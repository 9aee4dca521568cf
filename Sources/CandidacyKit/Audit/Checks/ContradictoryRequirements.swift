/// Require rules that cannot all hold, so the therapy is never eligible.
public struct ContradictoryRequirements: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "contradictory-requirements",
        severity: .error,
        summary: "A therapy's `require` rules contradict each other, so no patient can ever be eligible.",
        rationale: """
            Every require rule must hold for a therapy to be scored. The check combines the require \
            rules' conditions with the same interval and set reasoning as `constant-condition` \
            (`age >= 50` in one rule and `age < 40` in another; `diagnosis == "a"` and \
            `diagnosis in ["b", "c"]`) and reports the first pair that cannot hold together, or the \
            whole set when no pair alone conflicts. A single require rule that can never hold is \
            `constant-condition`'s finding instead.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-older, kind: require, title: 50 or older, when: age >= 50, reason: Degenerative disease., evidence: { level: 5, direction: for, refs: [r] } }
                  - { id: t-young, kind: require, title: Under 40, when: age < 40, reason: Athletes., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: require, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: OA only., evidence: { level: 5, direction: for, refs: [r] } }
                  - id: t-tendon
                    kind: require
                    title: Tendon
                    when: { any: ['diagnosis == "patellar_tendinopathy"', 'diagnosis == "other" && pregnant'] }
                    reason: Tendon only.
                    evidence: { level: 5, direction: for, refs: [r] }
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
                  - { id: t-older, kind: require, title: 40 or older, when: age >= 40, reason: Degenerative disease., evidence: { level: 5, direction: for, refs: [r] } }
                  - { id: t-young, kind: require, title: Under 50, when: age < 50, reason: Studied to 50., evidence: { level: 5, direction: for, refs: [r] } }
                  - { id: t-oa, kind: require, title: OA or early, when: 'diagnosis == "knee_osteoarthritis" || kl_grade <= 1', reason: Early disease., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for therapy in pack.therapies {
            let requirements = therapy.rules.filter { $0.rule.kind == .require }.map { compiled in
                (rule: compiled.rule,
                 formula: Clause.build(compiled.condition, therapy: therapy, profile: pack.pack.profile).formula)
            }.filter { $0.formula.isSatisfiable != false }
            guard requirements.count > 1, Formula.and(requirements.map(\.formula)).isSatisfiable == false else {
                continue
            }
            var reported = false
            pairs: for (index, later) in requirements.enumerated() {
                for earlier in requirements[..<index]
                where Formula.and([earlier.formula, later.formula]).isSatisfiable == false {
                    result.append(finding(
                        at: later.rule.location,
                        "require rules '\(earlier.rule.id)' and '\(later.rule.id)' can never both hold, "
                            + "so therapy '\(therapy.therapy.id)' is never eligible",
                        subject: therapy.therapy.id))
                    reported = true
                    break pairs
                }
            }
            if !reported, let last = requirements.last {
                result.append(finding(
                    at: last.rule.location,
                    "require rules \(requirements.map { "'\($0.rule.id)'" }.joined(separator: ", ")) can never all hold, "
                        + "so therapy '\(therapy.therapy.id)' is never eligible",
                    subject: therapy.therapy.id))
            }
        }
        return result
    }
}
