/// Writes compact JSON straight into bytes, byte for byte as ``JSONValue/rendered(pretty:)``
/// writes it with `pretty: false`, for the lines of a batch and every ``JSONWriter``.
///
/// A growable buffer of its own: an append is a capacity check and a copy, where
/// `Array.append(contentsOf:)` costs a call and a uniqueness check on every append (a tenth of a
/// full report's cost). Copies share the buffer until one of them writes (copy on write).
struct JSONBytes {
    /// The buffer; freed with it.
    private final class Storage {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = Swift.max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        func copy() -> Storage {
            let copy = Storage(capacity: capacity)
            copy.base.update(from: base, count: count)
            copy.count = count
            return copy
        }

        func grow(toHold total: Int) {
            let capacity = Swift.max(total, 2 * self.capacity)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: base, count: count)
            base.deallocate()
            base = grown
            self.capacity = capacity
        }

        deinit {
            base.deallocate()
        }
    }

    private var storage: Storage

    init(capacity: Int = 256) {
        storage = Storage(capacity: capacity)
    }

    /// The bytes written so far (a copy).
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// How many bytes are written.
    var count: Int {
        storage.count
    }

    /// Takes the bytes written so far, leaving the buffer empty.
    mutating func takeBytes() -> [UInt8] {
        defer { storage = Storage(capacity: 256) }
        return bytes
    }

    /// Room for `more` bytes, in a buffer of this value's own.
    @inline(__always)
    private mutating func prepare(_ more: Int) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        if storage.count + more > storage.capacity { storage.grow(toHold: storage.count + more) }
    }

    /// Makes room for at least `capacity` bytes in all.
    mutating func reserveCapacity(_ capacity: Int) {
        prepare(Swift.max(0, capacity - storage.count))
    }

    @inline(__always)
    mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let start = buffer.baseAddress, !buffer.isEmpty else { return }
        prepare(buffer.count)
        (storage.base + storage.count).update(from: start, count: buffer.count)
        storage.count += buffer.count
    }

    /// A copy of bytes written before, `range` of ``count``.
    mutating func appendCopy(of range: Range<Int>) {
        guard !range.isEmpty else { return }
        prepare(range.count)
        (storage.base + storage.count).update(from: storage.base + range.lowerBound, count: range.count)
        storage.count += range.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// `count` copies of a byte.
    mutating func append(_ byte: UInt8, count: Int) {
        guard count > 0 else { return }
        prepare(count)
        (storage.base + storage.count).update(repeating: byte, count: count)
        storage.count += count
    }

    /// A literal's bytes, as they are (read in place: no closure for a literal's pointer).
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        if text.hasPointerRepresentation {
            append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        } else {
            text.withUTF8Buffer { append($0) }
        }
    }

    /// A string's UTF-8 bytes, unescaped.
    mutating func utf8(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        prepare(1)
        storage.base[storage.count] = value
        storage.count += 1
    }

    /// `"key":`, its bytes copied in one piece.
    mutating func key(_ text: StaticString) {
        guard text.hasPointerRepresentation else {
            // A one-character literal may be stored as its scalar.
            byte(UInt8(ascii: "\""))
            raw(text)
            raw("\":")
            return
        }
        let count = text.utf8CodeUnitCount
        prepare(count + 3)
        let end = storage.base + storage.count
        end[0] = UInt8(ascii: "\"")
        (end + 1).update(from: text.utf8Start, count: count)
        end[count + 1] = UInt8(ascii: "\"")
        end[count + 2] = UInt8(ascii: ":")
        storage.count += count + 3
    }

    mutating func int(_ value: Int) {
        int(Int64(value))
    }

    /// Decimal digits, no leading zeros, `-` for negatives (as `String(value)` writes them).
    mutating func int(_ value: Int64) {
        if value >= 0, value < 10 {
            byte(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // Digits from the lowest, into a buffer that fits every Int64 ("-9223372036854775808").
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
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
            append(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// A JSON string: runs of bytes that need no escape are copied at once; `"`, `\` and the
    /// controls (ASCII, never inside a multi-byte UTF-8 sequence) are escaped.
    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                raw("\"\"")
                return
            }
            var index = JSONValue.firstEscape(in: bytes, from: 0)
            // Most strings need no escape: then one reservation, the quotes and one copy.
            if index == bytes.count {
                prepare(bytes.count + 2)
                let end = storage.base + storage.count
                end[0] = UInt8(ascii: "\"")
                (end + 1).update(from: base, count: bytes.count)
                end[bytes.count + 1] = UInt8(ascii: "\"")
                storage.count += bytes.count + 2
                return
            }
            byte(UInt8(ascii: "\""))
            // Each run that needs no escape is copied at once, then the byte that does is escaped.
            var start = 0
            while index < bytes.count {
                if start < index { append(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                let byte = bytes[index]
                switch byte {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    let digits: StaticString = "0123456789abcdef"
                    raw("\\u00")
                    self.byte(digits.utf8Start[Int(byte >> 4)])
                    self.byte(digits.utf8Start[Int(byte & 0x0F)])
                }
                start = index + 1
                index = JSONValue.firstEscape(in: bytes, from: start)
            }
            if start < bytes.count { append(UnsafeBufferPointer(rebasing: bytes[start...])) }
            byte(UInt8(ascii: "\""))
        }
    }

    /// A date as a JSON string: the bytes `string(date.description)` writes (`"YYYY-MM-DD"`),
    /// without making the string when the year has four digits.
    mutating func date(_ date: CivilDate) {
        guard (0...9999).contains(date.year), (1...12).contains(date.month), (1...31).contains(date.day) else {
            string(date.description)
            return
        }
        prepare(12)
        let digits = UInt8(ascii: "0")
        let (year, month, day) = (date.year, date.month, date.day)
        let bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            UInt8(ascii: "\""), digits + UInt8(year / 1000), digits + UInt8(year / 100 % 10), digits + UInt8(year / 10 % 10),
            digits + UInt8(year % 10), UInt8(ascii: "-"), digits + UInt8(month / 10), digits + UInt8(month % 10),
            UInt8(ascii: "-"), digits + UInt8(day / 10), digits + UInt8(day % 10), UInt8(ascii: "\""))
        withUnsafeBytes(of: bytes) { append(UnsafeBufferPointer(start: $0.baseAddress?.assumingMemoryBound(to: UInt8.self), count: 12)) }
    }

    /// `["a","b"]`
    mutating func strings(_ items: [String]) {
        byte(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { byte(UInt8(ascii: ",")) }
            string(item)
        }
        byte(UInt8(ascii: "]"))
    }
}
