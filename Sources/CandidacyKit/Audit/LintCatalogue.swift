/// Every lint check, in the order `candidacy lint --list` and `docs/LINT.md` show them.
public enum LintCatalogue {
    /// The checks.
    public static let checks: [any LintCheck] = [
        LoadError(),
        TypeError(),
        RuleWithoutReason(),
        RuleWithoutEvidence(),
        ReferenceWithoutCitation(),
        UnusedReference(),
        UnusedParameter(),
        UnusedProfileField(),
        ReviewOverdue(),
        ParameterOutOfRange(),
        DuplicateCondition(),
        ConstantCondition(),
        ContradictoryRequirements(),
        UnreachableTier(),
        TierOrder(),
        PositiveCaution(),
        PointsAgainstEvidence(),
        UnknownDiagnosis(),
    ]

    /// The checks' ids, in catalogue order. Written out rather than read from ``checks``: every
    /// pack load checks the ids its `lint:` block names, and making the checks (their
    /// descriptions and examples) cost about 3.6 M instructions of a 59 M cold start.
    /// `LintCatalogueTests` keeps the two equal.
    public static let ids: [String] = [
        "load-error", "type-error", "rule-without-reason", "rule-without-evidence", "reference-without-citation",
        "unused-reference", "unused-parameter", "unused-profile-field", "review-overdue", "parameter-out-of-range",
        "duplicate-condition", "constant-condition", "contradictory-requirements", "unreachable-tier", "tier-order",
        "positive-caution", "points-against-evidence", "unknown-diagnosis",
    ]

    /// The ids of the checks the loader or type checker enforces, which cannot be switched off.
    public static let loadEnforcedIDs: Set<String> = ["load-error", "type-error", "tier-order", "unknown-diagnosis"]

    /// The check with the given id.
    public static func check(_ id: String) -> (any LintCheck)? {
        checks.first { $0.id == id }
    }
}
