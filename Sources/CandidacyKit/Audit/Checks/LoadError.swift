/// A problem that stops the pack from loading: YAML syntax, unknown or missing keys, wrong types.
public struct LoadError: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "load-error",
        severity: .error,
        summary: "A pack file cannot be loaded: YAML syntax, an unknown or missing key, a wrong type, a duplicate id.",
        rationale: """
            These are the errors `evaluate` and `doc` also stop at (exit 65). `lint` reports all of \
            them, with `file:line:column`, instead of the other checks, which need a loaded pack.
            """,
        enforcedAtLoad: true,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reasn: Adults only. }
                tiers: { recommended: 0, consider: 0 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only. }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    /// Load errors are found by the loader, not in a loaded pack.
    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] { [] }
}
