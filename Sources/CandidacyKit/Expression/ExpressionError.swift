/// A problem found while compiling an expression: a syntax error or a type error.
///
/// `offset` counts Unicode scalars from the start of the expression's text (0-based);
/// ``ExpressionSource/location(atScalarOffset:)`` maps it to a file location.
public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is, in Unicode scalars from the start of the text.
    public var offset: Int
    /// What was found and what was expected.
    public var message: String

    /// Creates an error.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(offset): \(message)" }
}

/// Every problem found while compiling one expression, in the order found.
public struct ExpressionErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems; never empty.
    public var errors: [ExpressionError]

    /// Creates the error list.
    public init(_ errors: [ExpressionError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
