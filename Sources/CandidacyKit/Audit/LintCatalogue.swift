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
        UnknownDiagnosis(),
    ]

    /// The checks' ids, in catalogue order.
    public static let ids: [String] = checks.map(\.id)

    /// The ids of the checks the loader or type checker enforces, which cannot be switched off.
    public static let loadEnforcedIDs: Set<String> = ["load-error", "type-error", "tier-order", "unknown-diagnosis"]

    /// The check with the given id.
    public static func check(_ id: String) -> (any LintCheck)? {
        checks.first { $0.id == id }
    }
}
