/// Two rules of one therapy with the same condition.
public struct DuplicateCondition: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "duplicate-condition",
        severity: .warning,
        summary: "Two rules of the same therapy have the same condition.",
        rationale: """
            Conditions are compared after parsing, in one canonical form, so layout, quoting and \
            redundant parentheses do not hide a copy. Two rules that fire together on the same \
            patients count the same fact twice or contradict each other; usually one was meant to \
            test something else.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-oa, kind: score, points: 2, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: Studied in OA., evidence: { level: 5, direction: for, refs: [r] } }
                  - { id: t-oa-again, kind: score, points: 1, title: OA again, when: "(diagnosis=='knee_osteoarthritis')", reason: Copied., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 3, consider: 1 }
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
                  - { id: t-pt, kind: score, points: 1, title: PT, when: 'diagnosis == "patellar_tendinopathy"', reason: Studied in PT., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 2, consider: 1 }
                """),
            LintExample("""
                therapy: t1
                title: T1
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t1-pregnant, kind: exclude, title: Pregnant, when: pregnant, reason: Not studied., evidence: { level: 5, direction: against, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """, """
                therapy: t2
                title: T2
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t2-pregnant, kind: exclude, title: Pregnant, when: pregnant, reason: Not studied., evidence: { level: 5, direction: against, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.therapies.flatMap { therapy in
            var first: [String: Rule] = [:]
            var result: [Diagnostic] = []
            for compiled in therapy.rules {
                let text = compiled.condition.canonicalText
                if let earlier = first[text] {
                    result.append(finding(
                        at: compiled.rule.when.location,
                        "rule '\(compiled.rule.id)' has the same condition as rule '\(earlier.id)' (\(earlier.location))",
                        subject: compiled.rule.id))
                } else {
                    first[text] = compiled.rule
                }
            }
            return result
        }
    }
}
