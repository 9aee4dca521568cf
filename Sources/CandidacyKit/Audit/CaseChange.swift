/// One case whose outcome for one therapy differs between two rule packs: its tier, score or
/// deciding rules before and after, and the rules responsible.
public struct CaseChange: Sendable, Hashable {
    /// A therapy's outcome for a case under one pack.
    public struct Outcome: Sendable, Hashable {
        /// The tier.
        public var tier: Tier
        /// The score.
        public var score: Int
        /// The rules that decided the tier, in step order.
        public var deciding: [String]

        /// Creates an outcome.
        public init(tier: Tier, score: Int, deciding: [String]) {
            self.tier = tier
            self.score = score
            self.deciding = deciding
        }

        /// The outcome of a decision.
        public init(_ decision: TherapyDecision) {
            self.init(tier: decision.tier, score: decision.score, deciding: decision.deciding)
        }

        /// `consider · score 4`.
        public var summary: String { "\(tier.rawValue) · score \(score)" }
    }

    /// How a rule came out for the case under one pack.
    public struct RuleOutcome: Sendable, Hashable {
        /// The rule's kind in that pack.
        public var kind: RuleKind
        /// Its outcome.
        public var outcome: TruthValue
        /// The points it added to the score.
        public var points: Int

        /// Creates a rule outcome.
        public init(kind: RuleKind, outcome: TruthValue, points: Int) {
            self.kind = kind
            self.outcome = outcome
            self.points = points
        }

        /// `true`, or `true +2` for a rule that counted points.
        public var summary: String {
            points == 0 ? outcome.rawValue : "\(outcome.rawValue) \(PackComparer.signed(points))"
        }
    }

    /// A rule whose outcome or points differ between the two evaluations, or that is in one
    /// pack only and had an effect there.
    public struct RuleChange: Sendable, Hashable {
        /// The rule id.
        public var rule: String
        /// How it came out under the old pack; `nil` when the old pack has no such rule.
        public var before: RuleOutcome?
        /// How it came out under the new pack; `nil` when the new pack has no such rule.
        public var after: RuleOutcome?

        /// Creates a rule change.
        public init(rule: String, before: RuleOutcome?, after: RuleOutcome?) {
            self.rule = rule
            self.before = before
            self.after = after
        }

        /// `prp-low-platelets: false → true -2`, `… (added): true`, `… (removed): false`.
        public var summary: String {
            switch (before, after) {
            case (let before?, let after?):
                var text = "\(rule): \(before.summary) → \(after.summary)"
                if before.kind != after.kind { text += " (kind \(before.kind.rawValue) → \(after.kind.rawValue))" }
                return text
            case (nil, let after?): return "\(rule) (added): \(after.summary)"
            case (let before?, nil): return "\(rule) (removed): \(before.summary)"
            case (nil, nil): return rule
            }
        }
    }

    /// A therapy's tier thresholds before and after, as `recommended N, consider M`.
    public struct ThresholdChange: Sendable, Hashable {
        /// The old thresholds.
        public var before: String
        /// The new thresholds.
        public var after: String

        /// Creates a threshold change.
        public init(before: String, after: String) {
            self.before = before
            self.after = after
        }
    }

    /// What about the outcome changed.
    public enum Aspect: String, Sendable, Hashable, CaseIterable {
        /// The therapy is in one pack only.
        case therapy
        /// The tier differs.
        case tier
        /// The score differs.
        case score
        /// The set of deciding rules differs.
        case deciding
    }

    /// The case id (the patient's `id`, else the file).
    public var caseID: String
    /// The case file.
    public var file: String
    /// The therapy id.
    public var therapy: String
    /// The outcome under the old pack; `nil` when the old pack has no such therapy.
    public var before: Outcome?
    /// The outcome under the new pack; `nil` when the new pack has no such therapy.
    public var after: Outcome?
    /// The rules responsible, in the new pack's step order, then rules of the old pack only.
    public var responsible: [RuleChange]
    /// The therapy's tier thresholds, old and new, when they differ.
    public var thresholds: ThresholdChange?

    /// Creates a case change.
    public init(
        caseID: String, file: String, therapy: String, before: Outcome?, after: Outcome?,
        responsible: [RuleChange], thresholds: ThresholdChange? = nil
    ) {
        self.caseID = caseID
        self.file = file
        self.therapy = therapy
        self.before = before
        self.after = after
        self.responsible = responsible
        self.thresholds = thresholds
    }

    /// What changed, most important first.
    public var aspects: [Aspect] {
        guard let before, let after else { return [.therapy] }
        var aspects: [Aspect] = []
        if before.tier != after.tier { aspects.append(.tier) }
        if before.score != after.score { aspects.append(.score) }
        if Set(before.deciding) != Set(after.deciding) { aspects.append(.deciding) }
        return aspects
    }
}
