/// The outcome of evaluating an expression for one patient.
public enum EvaluationResult: Sendable, Hashable {
    /// A value.
    case value(Value)
    /// A run-time error, such as division by zero or an index out of range.
    case error(EvaluationError)
    /// The value depends on patient data that is absent: the attribute paths that would settle it,
    /// such as `labs.platelet_count` or `conservative_care[0].weeks`.
    case unknown(Set<String>)

    /// The boolean value, or `nil` when the result is not a bool.
    public var boolValue: Bool? {
        if case .value(.bool(let value)) = self { return value }
        return nil
    }
}

/// A run-time error of an expression: what went wrong and the Unicode-scalar offset of the
/// subexpression where it happened.
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// Where, in Unicode scalars from the start of the expression's text.
    public var offset: Int

    /// Creates an error.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(offset): \(message)" }
}
