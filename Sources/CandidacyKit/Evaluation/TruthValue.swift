/// The outcome of a condition in three-valued logic: a missing patient field makes it unknown,
/// never false.
public enum TruthValue: String, Sendable, Hashable, CaseIterable {
    case `true`
    case `false`
    case unknown

    /// Kleene conjunction: false absorbs unknown.
    public static func and(_ values: some Sequence<TruthValue>) -> TruthValue {
        var sawUnknown = false
        for value in values {
            if value == .false { return .false }
            if value == .unknown { sawUnknown = true }
        }
        return sawUnknown ? .unknown : .true
    }

    /// Kleene disjunction: true absorbs unknown.
    public static func or(_ values: some Sequence<TruthValue>) -> TruthValue {
        var sawUnknown = false
        for value in values {
            if value == .true { return .true }
            if value == .unknown { sawUnknown = true }
        }
        return sawUnknown ? .unknown : .false
    }

    /// Negation; unknown stays unknown.
    public var negated: TruthValue {
        switch self {
        case .true: .false
        case .false: .true
        case .unknown: .unknown
        }
    }
}
