/// Parses one JSON text (RFC 8259) into a ``YAMLNode`` tree, the form ``PatientValidator``
/// checks, so that a JSON Lines patient is validated exactly as a patient file is.
///
/// Strings become double-quoted scalars and numbers, `true`, `false` and `null` plain ones,
/// keeping their text, as libyaml gives them for a `.json` file. The limits of
/// ``LoadingLimits`` apply as ``YAMLFrontEnd`` applies them: a syntax error or a duplicate key
/// stops the parse at once; a limit exceeded is reported once the text has parsed, at the
/// first node (in document order) that exceeds one. Nesting deeper than the limit is checked
/// for syntax without recursion, so no input can exhaust the stack.
struct JSONNodeParser: ~Copyable {
    /// Why a parse stopped.
    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    private var locator: OffsetLocator
    private var nodeCount = 0
    private var violation: (offset: Int, diagnostic: Diagnostic)?
    private var scratch: [UInt8] = []

    /// - Parameters:
    ///   - bytes: The text; it must already have passed ``TextCheck`` when it holds bytes
    ///     outside printable ASCII (see ``JSONLineReader``).
    ///   - start: The first byte to read (after a byte order mark).
    ///   - locator: Maps byte offsets to locations.
    init(bytes: UnsafeBufferPointer<UInt8>, start: Int, locator: OffsetLocator) {
        self.bytes = bytes
        self.position = start
        self.locator = locator
    }

    /// Parses the whole text: one value, with only white space around it. Returns `nil` for
    /// a text of white space alone.
    mutating func parseDocument() throws(Failure) -> YAMLNode? {
        skipWhitespace()
        guard position < bytes.count else { return nil }
        let root = try parseValue(depth: 1)
        skipWhitespace()
        if position < bytes.count {
            throw syntax("unexpected \(found()) after the JSON value: a line holds one patient")
        }
        if let violation { throw Failure(diagnostic: violation.diagnostic) }
        return root
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(Failure) -> YAMLNode {
        guard position < bytes.count else { throw syntax("unexpected end of the line: expected a value") }
        let start = position
        let location = locator.location(at: start, in: bytes)
        nodeCount += 1
        if nodeCount > LoadingLimits.maximumNodeCount {
            limit(at: start, location, "the document has more than \(LoadingLimits.maximumNodeCount) nodes")
        }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if depth > LoadingLimits.maximumNestingDepth {
                limit(
                    at: start, location,
                    "lists and mappings nest too deeply: at most \(LoadingLimits.maximumNestingDepth) levels are accepted")
                try skipNested()
                return YAMLNode(content: .sequence([]), location: location)
            }
            if bytes[position] == UInt8(ascii: "{") { return try parseObject(depth: depth, location: location) }
            return try parseArray(depth: depth, location: location)
        case UInt8(ascii: "\""):
            let text = try parseString()
            checkLength(text, from: start, location)
            return YAMLNode(content: .scalar(text, .doubleQuoted), location: location)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            checkLength(text, from: start, location)
            return YAMLNode(content: .scalar(text, .plain), location: location)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            throw syntax("unexpected \(found()): expected a value (an object, list, string, number, true, false or null)")
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        return YAMLNode(content: .scalar(text, .plain), location: location)
    }

    private mutating func parseObject(depth: Int, location: SourceLocation) throws(Failure) -> YAMLNode {
        position += 1
        var pairs: [YAMLPair] = []
        var count = 0
        let start = position - 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return YAMLNode(content: .mapping([]), location: location)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw syntax(position < bytes.count
                    ? "unexpected \(found()): expected a key in double quotes"
                    : "unexpected end of the line: expected a key in double quotes")
            }
            let key = try parseValue(depth: depth + 1)
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw syntax(position < bytes.count
                    ? "unexpected \(found()): expected ':' after a key"
                    : "unexpected end of the line: expected ':' after a key")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            count += 1
            if count <= LoadingLimits.maximumCollectionCount { pairs.append(YAMLPair(key: key, value: value)) }
            skipWhitespace()
            guard position < bytes.count else { throw syntax("unexpected end of the line: expected ',' or '}'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                break
            }
            throw syntax("unexpected \(found()): expected ',' or '}'")
        }
        if count > LoadingLimits.maximumCollectionCount {
            limit(at: start, location, "mapping has \(count) keys: at most \(LoadingLimits.maximumCollectionCount) are accepted")
        } else {
            try checkDuplicates(pairs)
        }
        return YAMLNode(content: .mapping(pairs), location: location)
    }

    private mutating func parseArray(depth: Int, location: SourceLocation) throws(Failure) -> YAMLNode {
        let start = position
        position += 1
        var items: [YAMLNode] = []
        var count = 0
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return YAMLNode(content: .sequence([]), location: location)
        }
        while true {
            skipWhitespace()
            let item = try parseValue(depth: depth + 1)
            count += 1
            if count <= LoadingLimits.maximumCollectionCount { items.append(item) }
            skipWhitespace()
            guard position < bytes.count else { throw syntax("unexpected end of the line: expected ',' or ']'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                break
            }
            throw syntax("unexpected \(found()): expected ',' or ']'")
        }
        if count > LoadingLimits.maximumCollectionCount {
            limit(at: start, location, "list has \(count) items: at most \(LoadingLimits.maximumCollectionCount) are accepted")
        }
        return YAMLNode(content: .sequence(items), location: location)
    }

    /// Reports a key written twice in one object as ``YAMLFrontEnd`` does: one duplicated name
    /// at its second occurrence, several at the first occurrence of the first name in order.
    private func checkDuplicates(_ pairs: [YAMLPair]) throws(Failure) {
        guard pairs.count > 1 else { return }
        var firstIndex: [String: Int] = [:]
        var duplicated: [(name: String, first: Int, second: Int)] = []
        if pairs.count <= 16 {
            for index in 1..<pairs.count {
                let name = pairs[index].key.scalarText ?? ""
                guard let first = pairs[..<index].firstIndex(where: { $0.key.scalarText == name }) else { continue }
                if !duplicated.contains(where: { $0.name == name }) { duplicated.append((name, first, index)) }
            }
        } else {
            for (index, pair) in pairs.enumerated() {
                let name = pair.key.scalarText ?? ""
                if let first = firstIndex[name] {
                    if !duplicated.contains(where: { $0.name == name }) { duplicated.append((name, first, index)) }
                } else {
                    firstIndex[name] = index
                }
            }
        }
        guard !duplicated.isEmpty else { return }
        if duplicated.count == 1, let only = duplicated.first {
            let first = pairs[only.first].key.location
            throw Failure(diagnostic: .error(
                at: pairs[only.second].key.location, code: "duplicate-key",
                "duplicate key '\(only.name)': already written at \(first.line):\(first.column)"))
        }
        let sorted = duplicated.sorted { $0.name < $1.name }
        let keys = sorted.map { "'\($0.name)'" }.joined(separator: ", ")
        throw Failure(diagnostic: .error(
            at: pairs[sorted[0].first].key.location, code: "duplicate-key",
            "duplicate keys \(keys) in one mapping: each key may appear only once"))
    }

    // MARK: - Scalars

    private mutating func parseString() throws(Failure) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            position += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte < 0x20 {
                throw syntax("control character \(Self.codePoint(UInt32(byte))) must be escaped in a JSON string")
            }
            if byte != UInt8(ascii: "\\") {
                scratch.append(byte)
                position += 1
                continue
            }
            let escape = position
            position += 1
            guard position < bytes.count else { throw syntax("unexpected end of the line in a string") }
            switch bytes[position] {
            case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: position + 1, escape: escape)
                position += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard position + 2 < bytes.count, bytes[position + 1] == UInt8(ascii: "\\"),
                          bytes[position + 2] == UInt8(ascii: "u") else {
                        throw syntax(at: escape, "lone surrogate \(Self.codePoint(scalar)) in a \\u escape: expected a pair")
                    }
                    let low = try hex4(at: position + 3, escape: position + 1)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw syntax(at: escape, "lone surrogate \(Self.codePoint(scalar)) in a \\u escape: expected a pair")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    position += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw syntax(at: escape, "lone surrogate \(Self.codePoint(scalar)) in a \\u escape: expected a pair")
                }
                guard let unicode = Unicode.Scalar(scalar) else {
                    throw syntax(at: escape, "invalid \\u escape")
                }
                UTF8.encode(unicode) { scratch.append($0) }
            default:
                throw syntax(at: escape, "invalid escape '\\\(Self.character(bytes[position]))' in a string")
            }
            position += 1
        }
        throw syntax("unexpected end of the line in a string: expected a closing '\"'")
    }

    private mutating func hex4(at index: Int, escape: Int) throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard index + offset < bytes.count else { throw syntax(at: escape, "incomplete \\u escape: expected 4 hex digits") }
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax(at: escape, "incomplete \\u escape: expected 4 hex digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func scanNumber() throws(Failure) {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw syntax("invalid number: expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw syntax("invalid number: a number does not start with 0 followed by digits")
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw syntax("invalid number: expected a digit after '.'")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw syntax("invalid number: expected a digit in the exponent")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        try expectDelimiter(after: "a number")
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        let expected = word.withUTF8Buffer { Array($0) }
        guard position + count <= bytes.count,
              UnsafeBufferPointer(rebasing: bytes[position..<position + count]).elementsEqual(expected)
        else {
            throw syntax("unexpected \(found()): expected a value (an object, list, string, number, true, false or null)")
        }
        position += count
        try expectDelimiter(after: "'\(word)'")
    }

    private mutating func expectDelimiter(after what: String) throws(Failure) {
        guard position < bytes.count else { return }
        switch bytes[position] {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: " "), UInt8(ascii: "\t"),
            UInt8(ascii: "\n"), UInt8(ascii: "\r"): return
        default: throw syntax("unexpected \(found()) after \(what)")
        }
    }

    // MARK: - Nesting beyond the limit

    /// Checks the syntax of the list or object at `position` without building nodes or recursing.
    private mutating func skipNested() throws(Failure) {
        var closers: [UInt8] = []
        var expectingKey = false
        func open() {
            let isObject = bytes[position] == UInt8(ascii: "{")
            closers.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            expectingKey = isObject
            position += 1
        }
        open()
        var first = true
        while let closer = closers.last {
            skipWhitespace()
            guard position < bytes.count else {
                throw syntax("unexpected end of the line: expected ',' or '\(Self.character(closer))'")
            }
            if first, bytes[position] == closer {
                position += 1
                closers.removeLast()
                first = false
                try afterValue(&closers, &expectingKey)
                continue
            }
            first = false
            if expectingKey {
                guard bytes[position] == UInt8(ascii: "\"") else { throw syntax("unexpected \(found()): expected a key in double quotes") }
                _ = try parseString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw syntax("unexpected \(found()): expected ':' after a key")
                }
                position += 1
                skipWhitespace()
            }
            guard position < bytes.count else { throw syntax("unexpected end of the line: expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open()
                first = true
                continue
            case UInt8(ascii: "\""): _ = try parseString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                throw syntax("unexpected \(found()): expected a value (an object, list, string, number, true, false or null)")
            }
            try afterValue(&closers, &expectingKey)
        }
    }

    /// After a value inside a skipped collection: a comma (another item follows) or closers.
    private mutating func afterValue(_ closers: inout [UInt8], _ expectingKey: inout Bool) throws(Failure) {
        while let closer = closers.last {
            skipWhitespace()
            guard position < bytes.count else {
                throw syntax("unexpected end of the line: expected ',' or '\(Self.character(closer))'")
            }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                expectingKey = closer == UInt8(ascii: "}")
                return
            }
            guard bytes[position] == closer else {
                throw syntax("unexpected \(found()): expected ',' or '\(Self.character(closer))'")
            }
            position += 1
            closers.removeLast()
        }
    }

    // MARK: - Helpers

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
            default: return
            }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func checkLength(_ text: String, from offset: Int, _ location: SourceLocation) {
        guard text.utf8.count > LoadingLimits.maximumScalarLength else { return }
        guard let message = LoadingLimits.scalarTooLong(text.unicodeScalars.count) else { return }
        limit(at: offset, location, message)
    }

    /// Keeps the first limit exceeded in document order.
    private mutating func limit(at offset: Int, _ location: SourceLocation, _ message: String) {
        guard violation.map({ offset < $0.offset }) ?? true else { return }
        violation = (offset, .error(at: location, code: "limit-exceeded", message))
    }

    /// What is at the current position, for messages: `'x'`, or `the end of the line`.
    private func found() -> String {
        guard position < bytes.count else { return "end of the line" }
        let byte = bytes[position]
        if byte >= 0x80 {
            var end = position + 1
            while end < bytes.count, end - position < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return "'\(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self))'"
        }
        return "'\(Self.character(byte))'"
    }

    private static func character(_ byte: UInt8) -> String {
        if byte < 0x20 || byte == 0x7F { return codePoint(UInt32(byte)) }
        return String(UnicodeScalar(byte))
    }

    private static func codePoint(_ scalar: UInt32) -> String {
        let digits = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private mutating func syntax(_ message: String) -> Failure {
        syntax(at: position, message)
    }

    private mutating func syntax(at offset: Int, _ message: String) -> Failure {
        Failure(diagnostic: .error(at: locator.location(at: min(offset, bytes.count), in: bytes), code: "json-syntax", message))
    }
}
