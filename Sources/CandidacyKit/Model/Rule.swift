/// What a rule does to a therapy's tier (DESIGN.md 2.4).
public enum RuleKind: String, Sendable, Hashable, CaseIterable {
    /// An absolute contraindication.
    case exclude
    /// A relative contraindication: a warning whose points count.
    case caution
    /// An indication or eligibility condition that must hold.
    case require
    /// A supporting factor that adds its points when it holds.
    case score
}

/// One rule of a therapy file.
public struct Rule: Sendable, Hashable {
    /// Its id, unique in the pack.
    public var id: String
    /// Its kind.
    public var kind: RuleKind
    /// A short title.
    public var title: String
    /// The condition.
    public var when: Condition
    /// The points it adds when its condition holds (`score` and `caution` rules).
    public var points: Int
    /// Why the rule exists, in words a clinician would accept.
    public var reason: String?
    /// The evidence behind it.
    public var evidence: Evidence?
    /// Where the rule starts.
    public var location: SourceLocation
    /// The therapy of the pack that is the first-line option for what this rule requires
    /// (`first_line:`), named in "what would change" when the rule is not met.
    public var firstLine: String?
    /// Where `first_line:` is written, for the check that it names a therapy of the pack.
    public var firstLineLocation: SourceLocation?

    public init(
        id: String, kind: RuleKind, title: String, when: Condition, points: Int,
        reason: String?, evidence: Evidence?, location: SourceLocation
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.when = when
        self.points = points
        self.reason = reason
        self.evidence = evidence
        self.location = location
    }
}

/// A rule's condition: a CEL expression, or `all:`, `any:` or `not:` of further conditions.
public indirect enum Condition: Sendable, Hashable {
    case expression(ExpressionSource)
    case all([Condition], SourceLocation)
    case any([Condition], SourceLocation)
    case not(Condition, SourceLocation)

    /// Where the condition starts.
    public var location: SourceLocation {
        switch self {
        case .expression(let source): source.location
        case .all(_, let location), .any(_, let location), .not(_, let location): location
        }
    }
}

/// The direction in which evidence points.
public enum EvidenceDirection: String, Sendable, Hashable, CaseIterable {
    case `for`
    case against
    case uncertain
}

/// The evidence behind a rule.
public struct Evidence: Sendable, Hashable {
    /// The Oxford CEBM 2011 level, 1 (strongest) to 5.
    public var level: Int
    /// Whether it supports the rule's effect.
    public var direction: EvidenceDirection
    /// The references, by id.
    public var refs: [String]
    /// Where the `evidence:` value is.
    public var location: SourceLocation

    public init(level: Int, direction: EvidenceDirection, refs: [String], location: SourceLocation) {
        self.level = level
        self.direction = direction
        self.refs = refs
        self.location = location
    }
}
