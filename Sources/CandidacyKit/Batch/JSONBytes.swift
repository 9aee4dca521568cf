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

    /// `"key":`, its bytes copied in one piece.
    mutating func key(_ text: StaticString) {
        guard text.hasPointerRepresentation else {
            // A one-character literal may be stored as its scalar.
            bytes.append(UInt8(ascii: "\""))
            raw(text)
            bytes.append(contentsOf: "\":".utf8)
            return
        }
        let count = text.utf8CodeUnitCount
        let start = text.utf8Start
        let total = bytes.count + count + 3
        if bytes.capacity < total { bytes.reserveCapacity(Swift.max(total, 2 * bytes.capacity)) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func int(_ value: Int) {
        int(Int64(value))
    }

    /// Decimal digits, no leading zeros, `-` for negatives (as `String(value)` writes them).
    mutating func int(_ value: Int64) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // Digits from the lowest, into a buffer that fits every Int64 ("-9223372036854775808").
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var magnitude = value.magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
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
