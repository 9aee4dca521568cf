/// A condition that does not parse or type-check against the profile.
public struct TypeError: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "type-error",
        severity: .error,
        summary: "A condition does not parse, or does not type-check against the profile and parameters.",
        rationale: """
            An unknown field, a comparison of a string with a number, an enum literal the schema \
            does not list, a condition that is not a bool: the pack cannot be used until it is \
            fixed (exit 65 from `evaluate`).
            """,
        enforcedAtLoad: true,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                rules:
                  - { id: t-oa, kind: require, title: OA, when: 'diagnosis == "osteoarthritis"', reason: OA only. }
                tiers: { recommended: 0, consider: 0 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                rules:
                  - { id: t-oa, kind: require, title: OA, when: 'diagnosis == "knee_osteoarthritis"', reason: OA only. }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    /// Type errors are found when the pack compiles, not in a compiled pack.
    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] { [] }
}
