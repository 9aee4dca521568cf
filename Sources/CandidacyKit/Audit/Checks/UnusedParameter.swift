/// A parameter no condition reads as `params.NAME`.
public struct UnusedParameter: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "unused-parameter",
        severity: .warning,
        summary: "A parameter is read by no rule's condition (`params.NAME`).",
        rationale: """
            Parameters are the thresholds a site may adjust. One that no condition reads misleads: \
            a site that changes it changes nothing, usually because a rule writes the number \
            literally instead.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                parameters:
                  min_age: { value: 18, range: [16, 18] }
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
                parameters:
                  min_age: { value: 18, range: [16, 18] }
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= params.min_age, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.therapies.flatMap { therapy in
            let read = Set(therapy.rules.flatMap { $0.condition.readPaths })
            return therapy.therapy.parameters.filter { !read.contains("params.\($0.name)") }.map { parameter in
                finding(
                    at: parameter.location,
                    "parameter '\(parameter.name)' is read by no condition of therapy '\(therapy.therapy.id)'",
                    subject: parameter.name)
            }
        }
    }
}
