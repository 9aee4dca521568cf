/// The band a therapy falls in for one patient (DESIGN.md 2.4).
public enum Tier: String, Sendable, Hashable, CaseIterable, Comparable {
    case recommended
    case consider
    case needsData = "needs-data"
    case notRecommended = "not-recommended"
    case ineligible
    case contraindicated

    /// The order therapies are ranked in, best first: the scored tiers that favour the therapy,
    /// then `needs-data` (it may still reach them), then the settled negative tiers.
    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        lhs.rank < rhs.rank
    }

    /// The tier's place in the ranking, from 0; also its position in `allCases`, which lists
    /// the tiers in this order.
    var rank: Int {
        switch self {
        case .recommended: 0
        case .consider: 1
        case .needsData: 2
        case .notRecommended: 3
        case .ineligible: 4
        case .contraindicated: 5
        }
    }

    /// Whether the tier comes from the score (steps 4 of the precedence).
    public var isScored: Bool {
        self == .recommended || self == .consider || self == .notRecommended
    }

    /// The scored tier a score reaches under the given thresholds.
    public static func scored(_ score: Int, _ tiers: Tiers) -> Tier {
        scored(score, (tiers.recommended, tiers.consider))
    }

    /// The scored tier a score reaches under the thresholds for `recommended` and `consider`.
    static func scored(_ score: Int, _ thresholds: (recommended: Int, consider: Int)) -> Tier {
        if score >= thresholds.recommended { return .recommended }
        if score >= thresholds.consider { return .consider }
        return .notRecommended
    }
}
