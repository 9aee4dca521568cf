/// A profile field no rule reads and the engine does not read by convention.
public struct UnusedProfileField: LintCheck {
    public init() {}

    /// The fields the engine reads by convention (docs/FORMATS.md): the case id, the as-of date and
    /// the diagnosis that selects guideline positions.
    public static let conventionFields = ["id", "as_of", GuidelinePosition.diagnosisField]

    public let description = LintCheckDescription(
        id: "unused-profile-field",
        severity: .warning,
        summary: "A top-level profile field is read by no rule, and is not `id`, `as_of` or `diagnosis`.",
        rationale: """
            A field is used when some rule's condition reads it (directly or through a macro), or \
            when the engine reads it by convention: `id`, `as_of` and `diagnosis` (which selects \
            guideline positions). A field nothing reads asks clinicians for data that changes no \
            answer. Fields are judged at the top level: `labs` is used when any rule reads \
            `labs.platelet_count`. A field kept on purpose (one DESIGN.md requires, say) can be \
            exempted by name in the `lint:` block, with its reason.
            """,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """, profile: """
                schema_version: 1
                fields:
                  age: { type: int, min: 0, max: 120 }
                  smoking: { type: enum, values: [never, former, current] }

                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                  - { id: t-care, kind: score, points: 1, title: Care tried, when: 'care.exists(c, c.weeks >= 6)', reason: Care first., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 1, consider: 1 }
                """, profile: """
                schema_version: 1
                fields:
                  id: { type: string }
                  as_of: { type: date }
                  diagnosis: { type: enum, values: [knee_osteoarthritis, other] }
                  age: { type: int, min: 0, max: 120 }
                  care: { type: list, of: { type: object, fields: { weeks: { type: int, min: 0 } } } }

                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """, profile: """
                schema_version: 1
                fields:
                  age: { type: int, min: 0, max: 120 }
                  smoking: { type: enum, values: [never, former, current] }
                lint:
                  disable:
                    - { check: unused-profile-field, for: [smoking], reason: Recorded for the audit; no rule reads it yet. }

                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        var read = Set(UnusedProfileField.conventionFields)
        for therapy in pack.therapies {
            for rule in therapy.rules {
                for path in rule.condition.readPaths {
                    if let first = path.split(separator: ".").first { read.insert(String(first)) }
                }
            }
        }
        return pack.pack.profile.fields.filter { !read.contains($0.name) }.map { field in
            finding(at: field.location, "profile field '\(field.name)' is read by no rule", subject: field.name)
        }
    }
}
