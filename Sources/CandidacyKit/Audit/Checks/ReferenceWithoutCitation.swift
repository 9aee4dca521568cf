/// A reference with no `citation`.
public struct ReferenceWithoutCitation: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "reference-without-citation",
        severity: .warning,
        summary: "A reference has no `citation`.",
        rationale: """
            A reference is only as good as the reader's ability to find the source: without a full \
            citation the report and the rule book can show nothing but its id.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { url: "https://example.org/paper" } }
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
                references: { r: { citation: "Author A. Title. Journal. 2020;1:1-2.", url: "https://example.org/paper" } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.flatMap { therapy in
            therapy.references.filter { ($0.citation ?? "").allSatisfy(\.isWhitespace) }.map { reference in
                finding(
                    at: reference.location, "reference '\(reference.id)' has no citation: give the full source",
                    subject: reference.id)
            }
        }
    }
}
