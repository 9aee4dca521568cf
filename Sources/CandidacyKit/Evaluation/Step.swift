/// One step of an explanation: a rule, or one item of an `all:`/`any:`/`not:` condition,
/// with its outcome and the patient's values that decided it.
public struct Step: Sendable, Hashable {
    /// The rule the step belongs to.
    public var rule: String
    /// The rule's kind.
    public var kind: RuleKind
    /// The rule's title.
    public var title: String
    /// The condition as written: the expression, or `all`, `any` or `not` for a compound.
    public var condition: String
    /// Where the condition is written.
    public var location: SourceLocation
    /// The outcome.
    public var outcome: TruthValue
    /// The points this step adds to the score (0 unless a true score or caution rule).
    public var points: Int
    /// The points the rule would add if it held (its `points`; 0 for exclude and require).
    public var potentialPoints: Int
    /// The values the condition read, in order: patient paths and `params.NAME`; `nil` is not recorded.
    public var values: [ObservedValue]
    /// The patient fields whose absence made the outcome unknown.
    public var missing: [String]
    /// An evaluation error, if the condition could not be evaluated.
    public var error: String?
    /// One sentence saying why the outcome is what it is.
    public var because: String
    /// The items of a compound condition, each a step of its own.
    public var items: [Step]

    public init(
        rule: String, kind: RuleKind, title: String, condition: String, location: SourceLocation,
        outcome: TruthValue, points: Int, potentialPoints: Int, values: [ObservedValue],
        missing: [String], error: String?, because: String, items: [Step]
    ) {
        self.rule = rule
        self.kind = kind
        self.title = title
        self.condition = condition
        self.location = location
        self.outcome = outcome
        self.points = points
        self.potentialPoints = potentialPoints
        self.values = values
        self.missing = missing
        self.error = error
        self.because = because
        self.items = items
    }
}

extension Step {
    /// One sentence on why a step came out as it did: for a rule's step (`rule`), or an item
    /// of a compound condition (`nil`).
    static func because(rule: Rule?, outcome: TruthValue, missing: [String], error: String?) -> String {
        // The rule's reason, worked out only for the sentences that end with it.
        var reason: String { rule?.reason.map { ": " + $0.trimmingTrailingWhitespace() } ?? "" }
        switch (outcome, rule?.kind) {
        case (.true, .exclude?): return "applies" + reason
        case (.false, .exclude?): return "does not apply"
        case (.true, .require?): return "met"
        case (.false, .require?): return "not met" + reason
        case (.true, _): return "holds" + reason
        case (.false, _): return "does not hold"
        case (.unknown, _):
            if let error { return "cannot be decided: \(error)" }
            if missing.isEmpty { return "cannot be decided" }
            return "cannot be decided: \(missing.joined(separator: ", ")) not recorded"
        }
    }
}

/// A value a condition read: its path and the patient's value there, or `nil` when not recorded.
public struct ObservedValue: Sendable, Hashable {
    /// The dotted path, such as `labs.platelet_count` or `params.steroid_washout_days`.
    public var path: String
    /// The value, or `nil` when the patient file does not record it.
    public var value: Value?

    public init(path: String, value: Value?) {
        self.path = path
        self.value = value
    }
}
