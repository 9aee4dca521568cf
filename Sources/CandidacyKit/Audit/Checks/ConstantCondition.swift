/// A condition, or part of one, that is always true or always false given the profile.
public struct ConstantCondition: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "constant-condition",
        severity: .error,
        summary: "A condition, or a part of one, is always true or always false given the profile's ranges and values.",
        rationale: """
            The check reasons over comparisons of a field with a constant (a literal or `params.NAME`): \
            intervals for `int` and `number` fields within their `min`/`max`, sets for `enum` and \
            `bool` fields, combined through `&&`, `||`, `!`, `in` and `all:`/`any:`/`not:`, and inside \
            macros such as `exists` for the list's item fields. `age > 130` with `age` at most 120, \
            `kl_grade in [5]` with grades 0–4, `age >= 50 && age < 40`: such a part never changes the \
            answer, so the rule does not test what it says. Each part is reported once, at the \
            largest part that is constant; "always" means for every patient whose fields are recorded.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-old, kind: exclude, title: Very old, when: age > 130, reason: Beyond any study., evidence: { level: 5, direction: against, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-kl, kind: exclude, title: End-stage, when: 'kl_grade in [5]', reason: Bone on bone., evidence: { level: 5, direction: against, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - id: t-any-diagnosis
                    kind: require
                    title: Any diagnosis
                    when:
                      any:
                        - diagnosis != "other"
                        - diagnosis == "other" || pregnant
                    reason: Always holds once the diagnosis is known.
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
                  - { id: t-old, kind: caution, points: -1, title: Older, when: age > 70, reason: Few trial patients over 70., evidence: { level: 5, direction: against, refs: [r] } }
                  - { id: t-kl, kind: exclude, title: End-stage, when: 'kl_grade in [4]', reason: Bone on bone., evidence: { level: 5, direction: against, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for therapy in pack.therapies {
            for compiled in therapy.rules {
                let clause = Clause.build(compiled.condition, therapy: therapy, profile: pack.pack.profile)
                report(clause, rule: compiled.rule, into: &result)
            }
        }
        return result
    }

    private func report(_ clause: Clause, rule: Rule, into result: inout [Diagnostic]) {
        if let value = clause.formula.constantValue {
            let fields = clause.formula.fields.map { "\($0.path) is \($0.domain.summary)" }
            let because = fields.isEmpty ? "" : ": \(fields.joined(separator: "; "))"
            let scope = clause.isPredicate ? " for every item" : ""
            result.append(finding(
                at: clause.location,
                "in rule '\(rule.id)', `\(clause.text)` is always \(value)\(scope)\(because)",
                subject: rule.id))
            return
        }
        for part in clause.parts { report(part, rule: rule, into: &result) }
    }
}
