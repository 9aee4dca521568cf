/// One change to a patient's data that, by the rules alone, would move a therapy up: what the
/// rules would say, never advice.
public struct ChangeSuggestion: Sendable, Hashable {
    /// What the change would do to the rule.
    public enum Effect: Sendable, Hashable {
        /// Meet an unmet requirement.
        case meet
        /// Settle an exclusion or requirement that is unknown.
        case settle
        /// Add points to the score.
        case add(Int)
        /// Give back the points a caution takes away.
        case giveBack(Int)

        /// `meet`, `settle`, `add` or `give-back`, as JSON writes it.
        public var name: String {
            switch self {
            case .meet: "meet"
            case .settle: "settle"
            case .add: "add"
            case .giveBack: "give-back"
            }
        }

        /// The points the change would add, if any.
        public var points: Int? {
            switch self {
            case .add(let points), .giveBack(let points): points
            case .meet, .settle: nil
            }
        }
    }

    /// The rule the change would settle.
    public var rule: String
    /// What the change would do.
    public var effect: Effect
    /// The change in words, such as `symptom_weeks of 26 or more`; `nil` when no single value of
    /// the data would do it (the condition is not a simple comparison).
    public var change: String?
    /// The patient's data today, such as `now 20` or `not recorded`.
    public var now: String?
    /// The first-line therapy the rule names for what it requires (`first_line:`).
    public var firstLine: String?

    public init(rule: String, effect: Effect, change: String?, now: String?) {
        self.rule = rule
        self.effect = effect
        self.change = change
        self.now = now
    }

    /// One sentence: `symptom_weeks of 26 or more would meet prp-tendinopathy-chronic (now 20)`.
    public var sentence: String {
        let base = baseSentence
        guard let firstLine else { return base }
        return base + "; first-line option: \(firstLine)"
    }

    private var baseSentence: String {
        let now = self.now.map { "; \($0)" } ?? ""
        switch (effect, change) {
        case (.meet, let change?): return "\(change) would meet \(rule) (\(self.now ?? "see the rule"))"
        case (.meet, nil): return "\(rule) is not met, and no single value of the data would meet it"
        case (.settle, let change?): return "\(change) would settle \(rule)"
        case (.settle, nil): return "\(rule) cannot be decided until its data is recorded"
        case (.add(let points), let change?): return "\(change) would add \(points) point\(points == 1 ? "" : "s") (\(rule)\(now))"
        case (.add(let points), nil): return "\(rule) holding would add \(points) point\(points == 1 ? "" : "s")\(now.isEmpty ? "" : " (\(now.dropFirst(2)))")"
        case (.giveBack(let points), _): return "\(rule) no longer holding would give back \(points) point\(points == 1 ? "" : "s")"
        }
    }
}
