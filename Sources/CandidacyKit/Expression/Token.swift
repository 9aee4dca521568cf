/// One lexical token of a CEL expression and the Unicode-scalar offset where it starts.
struct Token: Sendable, Hashable {
    /// The operators and punctuation of CEL.
    enum Punctuation: String, Sendable, Hashable {
        case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
        case leftBrace = "{", rightBrace = "}", dot = ".", comma = ",", colon = ":"
        case question = "?", bang = "!", minus = "-", plus = "+", star = "*", slash = "/"
        case percent = "%", equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<="
        case greater = ">", greaterOrEqual = ">=", and = "&&", or = "||"
    }

    /// What the token is.
    enum Kind: Sendable, Hashable {
        case identifier(String)
        /// An int literal's magnitude (it may be 2^63 when preceded by a minus sign).
        case int(UInt64)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes
        case punctuation(Punctuation)
        case end
    }

    var kind: Kind
    /// Where the token starts, in Unicode scalars from the start of the text.
    var offset: Int
    /// Where the token ends (exclusive), in Unicode scalars; set by ``Lexer/tokenize(_:)``.
    var end: Int = 0

    /// How the token is named in "expected … but found …" messages.
    var displayName: String {
        switch kind {
        case .identifier(let name): "'\(name)'"
        case .int(let value): "'\(value)'"
        case .uint(let value): "'\(value)u'"
        case .double(let value): "'\(value)'"
        case .string: "a string literal"
        case .bytes: "a bytes literal"
        case .punctuation(let punctuation): "'\(punctuation.rawValue)'"
        case .end: "end of expression"
        }
    }

    /// Whether the token is the given punctuation.
    func isPunctuation(_ punctuation: Punctuation) -> Bool {
        if case .punctuation(let own) = kind { return own == punctuation }
        return false
    }
}
