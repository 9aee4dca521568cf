/// A reference that no rule, parameter, guideline position or program item cites.
public struct UnusedReference: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "unused-reference",
        severity: .warning,
        summary: "A reference is cited by no rule's evidence, parameter, guideline position or program item.",
        rationale: """
            A reference nothing cites is either left over from an edit or a sign that a rule lost \
            its `refs`. It appears in the rule book without supporting anything.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references:
                  r: { citation: "Source 2020." }
                  old: { citation: "Superseded source 2009." }
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
                  min_age: { value: 18, range: [16, 18], refs: [p] }
                references:
                  r: { citation: "Source 2020." }
                  p: { citation: "Trial protocol 2019." }
                  g: { citation: "Guideline 2021." }
                  e: { citation: "Exercise program 2018." }
                program:
                  - { name: Wall sits, purpose: Quadriceps endurance., dose: { hold: "15–30 s", sets: "3–4" }, refs: [e] }
                positions:
                  - { diagnosis: knee_osteoarthritis, source: Guideline 2021, stance: for, position: may be used, ref: g }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= params.min_age, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        pack.pack.therapies.flatMap { therapy in
            var cited = Set(therapy.parameters.flatMap(\.refs))
            cited.formUnion(therapy.rules.flatMap { $0.evidence?.refs ?? [] })
            cited.formUnion(therapy.positions.map(\.ref))
            cited.formUnion(therapy.program.flatMap(\.refs))
            return therapy.references.filter { !cited.contains($0.id) }.map { reference in
                finding(
                    at: reference.location,
                    "reference '\(reference.id)' is cited by no rule, parameter, guideline position or program item",
                    subject: reference.id)
            }
        }
    }
}
