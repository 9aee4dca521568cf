/// Splits the text of a CEL expression into tokens.
///
/// Offsets count Unicode scalars. Comments (`// …` to the end of the line) and whitespace
/// (space, tab, line feed, form feed, carriage return) separate tokens.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// All tokens, ending with `.end`, or the first lexical error.
    static func tokenize(_ scalars: [Unicode.Scalar]) -> Result<[Token], ExpressionError> {
        var lexer = Lexer(scalars: scalars)
        var tokens: [Token] = []
        tokens.reserveCapacity(scalars.count / 2 + 1)
        while true {
            switch lexer.next() {
            case .success(var token):
                if case .end = token.kind {
                    // Point "found end of expression" just past the last visible character, not
                    // past trailing white space such as a block scalar's final newline.
                    var end = scalars.count
                    while end > 0, scalars[end - 1].properties.isWhitespace { end -= 1 }
                    token.offset = min(token.offset, end)
                    token.end = token.offset
                    tokens.append(token)
                    return .success(tokens)
                }
                token.end = lexer.position
                tokens.append(token)
            case .failure(let error):
                return .failure(error)
            }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < scalars.count ? scalars[index] : nil
    }

    /// The two-character punctuation `first` and `second` spell, if any.
    private static func punctuation(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Token.Punctuation? {
        switch (first, second) {
        case ("=", "="): .equal
        case ("!", "="): .notEqual
        case ("<", "="): .lessOrEqual
        case (">", "="): .greaterOrEqual
        case ("&", "&"): .and
        case ("|", "|"): .or
        default: nil
        }
    }

    /// The one-character punctuation `scalar` is, if any.
    private static func punctuation(_ scalar: Unicode.Scalar) -> Token.Punctuation? {
        switch scalar {
        case "(": .leftParen
        case ")": .rightParen
        case "[": .leftBracket
        case "]": .rightBracket
        case "{": .leftBrace
        case "}": .rightBrace
        case ".": .dot
        case ",": .comma
        case ":": .colon
        case "?": .question
        case "!": .bang
        case "-": .minus
        case "+": .plus
        case "*": .star
        case "/": .slash
        case "%": .percent
        case "<": .less
        case ">": .greater
        default: nil
        }
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 48
        case "a"..."f": scalar.value - 87
        case "A"..."F": scalar.value - 55
        default: nil
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control || scalar == " "
            ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : "'\(scalar)'"
    }

    private mutating func skipWhitespaceAndComments() {
        while let scalar = peek() {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0C}":
                position += 1
            case "/" where peek(1) == "/":
                while let next = peek(), next != "\n" { position += 1 }
            default:
                return
            }
        }
    }

    private mutating func next() -> Result<Token, ExpressionError> {
        skipWhitespaceAndComments()
        let start = position
        guard let scalar = peek() else { return .success(Token(kind: .end, offset: start)) }
        if Lexer.isDigit(scalar) || (scalar == "." && peek(1).map(Lexer.isDigit) == true) {
            return number()
        }
        if Lexer.isIdentifierStart(scalar) {
            // String prefixes: r, R (raw), b, B (bytes) and their combinations.
            var prefixLength = 0
            var raw = false
            var bytes = false
            while prefixLength < 2, let candidate = peek(prefixLength) {
                if (candidate == "r" || candidate == "R") && !raw {
                    raw = true
                } else if (candidate == "b" || candidate == "B") && !bytes {
                    bytes = true
                } else {
                    break
                }
                prefixLength += 1
                if let quote = peek(prefixLength), quote == "\"" || quote == "'" {
                    position += prefixLength
                    return string(start: start, raw: raw, bytes: bytes)
                }
            }
            while let next = peek(), Lexer.isIdentifierPart(next) { position += 1 }
            let name = String(String.UnicodeScalarView(scalars[start..<position]))
            return .success(Token(kind: .identifier(name), offset: start))
        }
        if scalar == "\"" || scalar == "'" {
            return string(start: start, raw: false, bytes: false)
        }
        if let second = peek(1), let punctuation = Lexer.punctuation(scalar, second) {
            position += 2
            return .success(Token(kind: .punctuation(punctuation), offset: start))
        }
        if let punctuation = Lexer.punctuation(scalar) {
            position += 1
            return .success(Token(kind: .punctuation(punctuation), offset: start))
        }
        let hint: String
        switch scalar {
        case "=": hint = "; did you mean '=='?"
        case "&": hint = "; did you mean '&&'?"
        case "|": hint = "; did you mean '||'?"
        default: hint = ""
        }
        return .failure(ExpressionError(offset: start, message: "unexpected character \(Lexer.describe(scalar))\(hint)"))
    }

    private mutating func number() -> Result<Token, ExpressionError> {
        let start = position
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            position += 2
            let digitsStart = position
            var value: UInt64 = 0
            var overflow = false
            while let next = peek(), let digit = Lexer.hexValue(next) {
                let (shifted, o1) = value.multipliedReportingOverflow(by: 16)
                let (added, o2) = shifted.addingReportingOverflow(UInt64(digit))
                overflow = overflow || o1 || o2
                value = added
                position += 1
            }
            if position == digitsStart {
                return .failure(ExpressionError(offset: start, message: "expected hexadecimal digits after '0x'"))
            }
            return integerToken(value: value, overflow: overflow, start: start)
        }
        var isDouble = false
        while let next = peek(), Lexer.isDigit(next) { position += 1 }
        if peek() == ".", let after = peek(1), Lexer.isDigit(after) {
            isDouble = true
            position += 1
            while let next = peek(), Lexer.isDigit(next) { position += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            var look = 1
            if let sign = peek(1), sign == "+" || sign == "-" { look = 2 }
            if let digit = peek(look), Lexer.isDigit(digit) {
                isDouble = true
                position += look
                while let next = peek(), Lexer.isDigit(next) { position += 1 }
            } else {
                return .failure(ExpressionError(offset: position, message: "expected digits in the exponent of a number"))
            }
        }
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        if isDouble {
            guard let value = Double(text) else {
                return .failure(ExpressionError(offset: start, message: "invalid number '\(text)'"))
            }
            return .success(Token(kind: .double(value), offset: start))
        }
        var value: UInt64 = 0
        var overflow = false
        for scalar in text.unicodeScalars {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (added, o2) = shifted.addingReportingOverflow(UInt64(scalar.value - 48))
            overflow = overflow || o1 || o2
            value = added
        }
        return integerToken(value: value, overflow: overflow, start: start)
    }

    private mutating func integerToken(value: UInt64, overflow: Bool, start: Int) -> Result<Token, ExpressionError> {
        if let suffix = peek(), suffix == "u" || suffix == "U" {
            position += 1
            if overflow {
                return .failure(ExpressionError(offset: start, message: "integer literal out of range"))
            }
            return .success(Token(kind: .uint(value), offset: start))
        }
        if overflow || value > UInt64(Int64.max) + 1 {
            return .failure(ExpressionError(offset: start, message: "integer literal out of range for a 64-bit int"))
        }
        return .success(Token(kind: .int(value), offset: start))
    }

    private mutating func string(start: Int, raw: Bool, bytes: Bool) -> Result<Token, ExpressionError> {
        guard let quote = peek() else {
            return .failure(ExpressionError(offset: position, message: "expected a quote"))
        }
        let triple = peek(1) == quote && peek(2) == quote
        position += triple ? 3 : 1
        var result = String.UnicodeScalarView()
        while true {
            guard let scalar = peek() else {
                return .failure(ExpressionError(
                    offset: start, message: "unterminated string literal: expected \(triple ? String(repeating: String(quote), count: 3) : String(quote)) but found end of expression"))
            }
            if scalar == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                position += triple ? 3 : 1
                break
            }
            if !triple && (scalar == "\n" || scalar == "\r") {
                return .failure(ExpressionError(offset: position, message: "unterminated string literal: found a line break before the closing \(quote)"))
            }
            if scalar == "\\" && !raw {
                switch escape() {
                case .success(let decoded): result.append(decoded)
                case .failure(let error): return .failure(error)
                }
                continue
            }
            result.append(scalar)
            position += 1
        }
        if bytes { return .success(Token(kind: .bytes, offset: start)) }
        return .success(Token(kind: .string(String(result)), offset: start))
    }

    /// Decodes the escape sequence at `position` (which is at the backslash).
    private mutating func escape() -> Result<Unicode.Scalar, ExpressionError> {
        let start = position
        guard let kind = peek(1) else {
            return .failure(ExpressionError(offset: start, message: "invalid escape sequence: found end of expression after '\\'"))
        }
        position += 2
        let simple: Unicode.Scalar?
        switch kind {
        case "a": simple = "\u{07}"
        case "b": simple = "\u{08}"
        case "f": simple = "\u{0C}"
        case "n": simple = "\n"
        case "r": simple = "\r"
        case "t": simple = "\t"
        case "v": simple = "\u{0B}"
        case "\\", "?", "\"", "'", "`": simple = kind
        default: simple = nil
        }
        if let simple { return .success(simple) }
        let digits: Int
        let radix: UInt32
        switch kind {
        case "x", "X": (digits, radix) = (2, 16)
        case "u": (digits, radix) = (4, 16)
        case "U": (digits, radix) = (8, 16)
        case "0"..."3":
            (digits, radix) = (2, 8)
            position -= 1
            return octal(start: start)
        default:
            return .failure(ExpressionError(offset: start, message: "invalid escape sequence '\\\(kind)'"))
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let next = peek(), let digit = Lexer.hexValue(next), digit < radix else {
                return .failure(ExpressionError(
                    offset: start, message: "invalid escape sequence '\\\(kind)': expected \(digits) hexadecimal digits"))
            }
            value = value * radix + digit
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            return .failure(ExpressionError(offset: start, message: "invalid escape sequence: \(String(value, radix: 16)) is not a Unicode scalar value"))
        }
        return .success(scalar)
    }

    private mutating func octal(start: Int) -> Result<Unicode.Scalar, ExpressionError> {
        var value: UInt32 = 0
        for _ in 0..<3 {
            guard let next = peek(), ("0"..."7").contains(next) else {
                return .failure(ExpressionError(offset: start, message: "invalid escape sequence: expected 3 octal digits after '\\'"))
            }
            value = value * 8 + (next.value - 48)
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            return .failure(ExpressionError(offset: start, message: "invalid octal escape sequence"))
        }
        return .success(scalar)
    }
}
