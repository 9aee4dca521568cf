/// A JSON document with keys in a fixed order, written deterministically.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// An object, its keys in the order given.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.rendered(pretty: false) == rhs.rendered(pretty: false)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rendered(pretty: false))
    }

    /// The JSON text: compact on one line, or indented by two spaces.
    public func rendered(pretty: Bool) -> String {
        String(decoding: renderedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The JSON text as UTF-8 bytes, exactly the bytes of ``rendered(pretty:)``.
    public func renderedBytes(pretty: Bool) -> [UInt8] {
        var writer = JSONWriter(pretty: pretty, capacity: 4_096)
        writer.value(self)
        return writer.takeBytes()
    }

    /// A finite double in its shortest round-trip form; JSON has no infinities or NaN, so those are `null`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
        return String(value)
    }

    static func quote(_ text: String, into output: inout String) {
        var bytes: [UInt8] = []
        quote(text, into: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// A JSON string, escaped as every JSON output of Candidacy escapes it (by ``JSONBytes``).
    static func quote(_ text: String, into output: inout [UInt8]) {
        var bytes = JSONBytes(capacity: text.utf8.count + 2)
        bytes.string(text)
        output += bytes.bytes
    }

    /// The position of the first byte at or after `start` that a JSON string must escape (`"`,
    /// `\` or below 0x20), or `bytes.count` when there is none: eight bytes at a time while none
    /// of them does, then byte by byte. The one scanner of the string writer and the fast reader.
    @inline(__always)
    static func firstEscape(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count, !needsEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                index += 8
            }
        }
        while index < bytes.count, !needsEscape(byte: bytes[index]) { index += 1 }
        return index
    }

    /// Whether one byte needs an escape in a JSON string: `"`, `\` or below 0x20.
    @inline(__always)
    static func needsEscape(byte: UInt8) -> Bool {
        byte == 0x22 || byte == 0x5C || byte < 0x20
    }

    /// Whether any of eight bytes is `"`, `\` or below 0x20: the exact tests "has a zero
    /// byte" (`(x - 0x01…) & ~x & 0x80…`) and "has a byte below n" (`(x - n…) & ~x & 0x80…`).
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let below = (word &- ones &* 0x20) & ~word
        let quote = (quotes &- ones) & ~quotes
        let backslash = (backslashes &- ones) & ~backslashes
        return (below | quote | backslash) & highs != 0
    }
}

extension JSONValue {
    /// The JSON form of a runtime value: dates as `YYYY-MM-DD` strings, records as objects with
    /// sorted keys (as ``JSONSink/value(_:)-(Value)`` writes it).
    public init(_ value: Value) {
        self = JSONTreeBuilder.build { $0.value(value) }
    }
}
