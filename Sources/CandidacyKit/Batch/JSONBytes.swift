/// Writes compact JSON straight into bytes, byte for byte as ``JSONValue/rendered(pretty:)``
/// writes it with `pretty: false`, for the lines of a batch.
struct JSONBytes {
    var bytes: [UInt8] = []

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// `"key":`
    mutating func key(_ text: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(text)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func int(_ value: Int) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A string, escaped as ``JSONValue`` escapes it (by the same code).
    mutating func string(_ text: String) {
        JSONValue.quote(text, into: &bytes)
    }

    /// `["a","b"]`
    mutating func strings(_ items: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(item)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
