/// A parameter whose `value` lies outside its own `range`.
public struct ParameterOutOfRange: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "parameter-out-of-range",
        severity: .error,
        summary: "A parameter's `value` lies outside its own `range`, or is not a number although it has one.",
        rationale: """
            A parameter's `range` records what the sources report. A value outside it is a threshold \
            no source supports, usually a typo (days for weeks, 300 for 30).
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                parameters:
                  washout_days: { value: 300, unit: days, range: [30, 90] }
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18 && params.washout_days > 0, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                parameters:
                  washout_days: { value: 90, unit: days, range: [30, 90] }
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18 && params.washout_days > 0, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.flatMap { therapy in
            therapy.parameters.compactMap { parameter -> Diagnostic? in
                guard let range = parameter.range else { return nil }
                let bounds = "[\(Format.number(range.lowerBound)), \(Format.number(range.upperBound))]"
                guard let value = parameter.value.number else {
                    return finding(
                        at: parameter.location,
                        "parameter '\(parameter.name)' has a range \(bounds) but its value is a \(parameter.value.typeName)",
                        subject: parameter.name)
                }
                guard !range.contains(value) else { return nil }
                return finding(
                    at: parameter.location,
                    "parameter '\(parameter.name)' is \(Format.number(value)), outside its range \(bounds)",
                    subject: parameter.name)
            }
        }
    }
}
