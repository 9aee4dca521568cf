/// One step of an explanation: a rule, or one item of an `all:`/`any:`/`not:` condition,
/// with its outcome and the patient's values that decided it.
public struct Step: Sendable, Hashable {
    /// The fields, in one object shared by copies until one of them changes (copy on write): a
    /// report passes steps around, and copying thirteen fields retained a dozen references.
    private var storage: Storage

    /// The fields of a step; never changed while shared (``Step`` copies it first).
    private final class Storage: @unchecked Sendable {
        var rule: String
        var kind: RuleKind
        var title: String
        var condition: String
        var location: SourceLocation
        var outcome: TruthValue
        var points: Int
        var potentialPoints: Int
        var values: [ObservedValue]
        var missing: [String]
        var error: String?
        var because: String
        var items: [Step]

        init(
            rule: String, kind: RuleKind, title: String, condition: String, location: SourceLocation,
            outcome: TruthValue, points: Int, potentialPoints: Int, values: [ObservedValue],
            missing: [String], error: String?, because: String, items: [Step]
        ) {
            (self.rule, self.kind, self.title, self.condition, self.location) = (rule, kind, title, condition, location)
            (self.outcome, self.points, self.potentialPoints, self.values) = (outcome, points, potentialPoints, values)
            (self.missing, self.error, self.because, self.items) = (missing, error, because, items)
        }

        func copy() -> Storage {
            Storage(
                rule: rule, kind: kind, title: title, condition: condition, location: location, outcome: outcome,
                points: points, potentialPoints: potentialPoints, values: values, missing: missing, error: error,
                because: because, items: items)
        }
    }

    /// The storage, copied first if another step shares it.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// The rule the step belongs to.
    public var rule: String {
        get { storage.rule }
        set { unique.rule = newValue }
    }
    /// The rule's kind.
    public var kind: RuleKind {
        get { storage.kind }
        set { unique.kind = newValue }
    }
    /// The rule's title.
    public var title: String {
        get { storage.title }
        set { unique.title = newValue }
    }
    /// The condition as written: the expression, or `all`, `any` or `not` for a compound.
    public var condition: String {
        get { storage.condition }
        set { unique.condition = newValue }
    }
    /// Where the condition is written.
    public var location: SourceLocation {
        get { storage.location }
        set { unique.location = newValue }
    }
    /// The outcome.
    public var outcome: TruthValue {
        get { storage.outcome }
        set { unique.outcome = newValue }
    }
    /// The points this step adds to the score (0 unless a true score or caution rule).
    public var points: Int {
        get { storage.points }
        set { unique.points = newValue }
    }
    /// The points the rule would add if it held (its `points`; 0 for exclude and require).
    public var potentialPoints: Int {
        get { storage.potentialPoints }
        set { unique.potentialPoints = newValue }
    }
    /// The values the condition read, in order: patient paths and `params.NAME`; `nil` is not recorded.
    public var values: [ObservedValue] {
        get { storage.values }
        set { unique.values = newValue }
    }
    /// The patient fields whose absence made the outcome unknown.
    public var missing: [String] {
        get { storage.missing }
        set { unique.missing = newValue }
    }
    /// An evaluation error, if the condition could not be evaluated.
    public var error: String? {
        get { storage.error }
        set { unique.error = newValue }
    }
    /// One sentence saying why the outcome is what it is.
    public var because: String {
        get { storage.because }
        set { unique.because = newValue }
    }
    /// The items of a compound condition, each a step of its own.
    public var items: [Step] {
        get { storage.items }
        set { unique.items = newValue }
    }

    public init(
        rule: String, kind: RuleKind, title: String, condition: String, location: SourceLocation,
        outcome: TruthValue, points: Int, potentialPoints: Int, values: [ObservedValue],
        missing: [String], error: String?, because: String, items: [Step]
    ) {
        storage = Storage(
            rule: rule, kind: kind, title: title, condition: condition, location: location, outcome: outcome,
            points: points, potentialPoints: potentialPoints, values: values, missing: missing, error: error,
            because: because, items: items)
    }

    public static func == (lhs: Step, rhs: Step) -> Bool {
        if lhs.storage === rhs.storage { return true }
        return lhs.rule == rhs.rule && lhs.kind == rhs.kind && lhs.title == rhs.title && lhs.condition == rhs.condition
            && lhs.location == rhs.location && lhs.outcome == rhs.outcome && lhs.points == rhs.points
            && lhs.potentialPoints == rhs.potentialPoints && lhs.values == rhs.values && lhs.missing == rhs.missing
            && lhs.error == rhs.error && lhs.because == rhs.because && lhs.items == rhs.items
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rule)
        hasher.combine(kind)
        hasher.combine(title)
        hasher.combine(condition)
        hasher.combine(location)
        hasher.combine(outcome)
        hasher.combine(points)
        hasher.combine(potentialPoints)
        hasher.combine(values)
        hasher.combine(missing)
        hasher.combine(error)
        hasher.combine(because)
        hasher.combine(items)
    }
}

extension Step: CustomDebugStringConvertible {
    /// The fields, as a memberwise struct prints them (the storage object does not show).
    public var debugDescription: String {
        "Step(rule: \(rule.debugDescription), kind: \(kind), title: \(title.debugDescription), "
            + "condition: \(condition.debugDescription), location: \(location), outcome: \(outcome), points: \(points), "
            + "potentialPoints: \(potentialPoints), values: \(values), missing: \(missing), error: \(String(describing: error)), "
            + "because: \(because.debugDescription), items: \(items))"
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
