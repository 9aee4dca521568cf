/// The outcome for one therapy and one patient: the tier, the score and every step behind them.
public struct TherapyDecision: Sendable, Hashable {
    /// The therapy's id.
    public var therapy: String
    /// The therapy's title.
    public var title: String
    /// The therapy file's version.
    public var version: String
    /// The tier, by the four-step precedence of DESIGN.md 2.4.
    public var tier: Tier
    /// The sum of the points of the true score and caution rules.
    public var score: Int
    /// The lowest and highest score reachable once the unknown score and caution rules are known.
    public var scoreRange: ClosedRange<Int>
    /// Whether the score range crosses a tier boundary, so the tier may change with more data.
    public var provisional: Bool
    /// The patient fields whose absence left some rule unknown, in rule order.
    public var missing: [String]
    /// The caution rules that hold.
    public var cautions: [String]
    /// The rules that decided the tier: the true exclusions, the unmet requirements, the
    /// undecided exclusions and requirements, or the score and caution rules that counted.
    public var deciding: [String]
    /// One step per rule, in the order exclusions, requirements, scoring (score and caution rules).
    public var steps: [Step]
    /// The thresholds of the scored tiers.
    public var tiers: Tiers
    /// The changes to the patient's data that would move the therapy up a tier, by the rules
    /// alone (empty for `recommended` and `contraindicated`).
    public var whatWouldChange: [ChangeSuggestion] = []
    /// The therapy's program items for the patient's diagnosis, when the tier is `recommended`
    /// or `consider` (empty otherwise).
    public var program: [ProgramItem] = []
    /// What the guidelines say for the patient's diagnosis, in file order; empty when the
    /// diagnosis is not recorded or no guideline position names it.
    public var positions: [GuidelinePosition]

    public init(
        therapy: String, title: String, version: String, tier: Tier, score: Int,
        scoreRange: ClosedRange<Int>, provisional: Bool, missing: [String], cautions: [String],
        deciding: [String], steps: [Step], tiers: Tiers, positions: [GuidelinePosition] = []
    ) {
        self.therapy = therapy
        self.title = title
        self.version = version
        self.tier = tier
        self.score = score
        self.scoreRange = scoreRange
        self.provisional = provisional
        self.missing = missing
        self.cautions = cautions
        self.deciding = deciding
        self.steps = steps
        self.tiers = tiers
        self.positions = positions
    }
}

/// The decisions for one patient, ranked best first.
public struct PatientEvaluation: Sendable, Hashable {
    /// The case id.
    public var patient: String
    /// The patient file.
    public var file: String
    /// The date the case was evaluated at.
    public var asOf: CivilDate?
    /// One decision per therapy, ranked by tier, then score (higher first), then therapy id.
    public var decisions: [TherapyDecision]

    public init(patient: String, file: String, asOf: CivilDate?, decisions: [TherapyDecision]) {
        self.patient = patient
        self.file = file
        self.asOf = asOf
        self.decisions = decisions
    }
}
