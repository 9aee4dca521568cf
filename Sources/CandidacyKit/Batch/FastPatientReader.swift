#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the common JSON Lines patient straight into a ``Record``, in one pass over the bytes,
/// for cohorts: no node tree, no locations, no diagnostics.
///
/// It accepts only what ``JSONLineReader`` (the parser and ``PatientValidator`` behind
/// ``PatientLoader``) accepts and builds the same record; on anything else — a byte outside
/// printable ASCII, an escape in a string, an unknown or repeated key, a value of another type,
/// an enum value not listed, a number out of range or with more digits than it reads exactly, an
/// invalid date, `null` in a list, text after the object — it returns `nil`, and the batch reads
/// the line again through ``JSONLineReader``, which reports the error exactly. So the fast path
/// changes how quickly a line is read, never what is read or what error a bad line gets
/// (`FastPatientReaderTests` compares the two on every fixture, a generated cohort and
/// corrupted lines).
///
/// The record it builds has no value locations (``Patient/locations`` is empty): no batch output
/// shows them.
struct FastPatientReader: Sendable {
    /// How to read one field's value. Only a list's item is boxed, and an enum's values and an
    /// object's shape are shared objects: reading a field's kind (for every field of every
    /// line) copies at most one reference, none for a scalar.
    enum Kind: Sendable {
        case int(minimum: Double?, maximum: Double?)
        case number(minimum: Double?, maximum: Double?)
        case bool
        case string
        case date
        /// The listed values.
        case enumeration(Listed)
        indirect case list(Kind)
        case object(Nested)
    }

    /// An enum's listed values, as bytes and as the strings to store (shared, not copied).
    final class Listed: Sendable {
        let encoded: [[UInt8]]
        let values: [String]

        init(_ values: [String]) {
            encoded = values.map { Array($0.utf8) }
            self.values = values
        }
    }

    /// The shape of a nested object.
    final class Nested: Sendable {
        let shape: Shape

        init(_ shape: Shape) {
            self.shape = shape
        }
    }

    /// The fields of one object: names as bytes, bucketed by length for the key lookup.
    struct Shape: Sendable {
        /// The shape of the records read (``Record/init(shape:values:)``).
        var record: RecordShape
        var names: [String]
        var kinds: [Kind]
        /// `buckets[n]`: the positions (first declared first) of the fields whose name has `n` bytes.
        var buckets: [[(bytes: [UInt8], position: Int)]]
        /// Each field's key as it appears in a line, quotes included (`"age"`), tried first
        /// where the field follows the one before in the profile's order (lines written in
        /// that order need no lookup); empty for a repeated name, which only the lookup finds.
        var quotedKeys: [[UInt8]]
        /// Whether each key can be tracked in one 64-bit mask (a shape with more fields is not read
        /// fast).
        var isSmall: Bool

        /// The reader of objects with these fields, stored in `record` (made for these fields).
        init(_ fields: [FieldSchema], record: RecordShape) {
            self.record = record
            names = fields.map(\.name)
            kinds = zip(fields, record.nested).map { Kind($0, shape: $1) }
            let longest = fields.map(\.name.utf8.count).max() ?? 0
            buckets = Array(repeating: [], count: longest + 1)
            var seen: Set<String> = []
            quotedKeys = Array(repeating: [], count: fields.count)
            for (position, field) in fields.enumerated() where seen.insert(field.name).inserted {
                buckets[field.name.utf8.count].append((Array(field.name.utf8), position))
                // A name with a quote, a backslash or a control character is only looked up.
                if !field.name.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
                    quotedKeys[position] = [UInt8(ascii: "\"")] + Array(field.name.utf8) + [UInt8(ascii: "\"")]
                }
            }
            isSmall = fields.count <= 64
        }

        /// The position of the field named by `key`, or `nil` for a key the shape does not declare.
        func position(of key: UnsafeBufferPointer<UInt8>) -> Int? {
            guard key.count < buckets.count else { return nil }
            for candidate in buckets[key.count] where FastPatientReader.equal(candidate.bytes, key) {
                return candidate.position
            }
            return nil
        }
    }

    /// Whether two byte strings are equal (a plain loop: `elementsEqual` is generic and slow here).
    static func equal(_ expected: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard expected.count == bytes.count else { return false }
        return expected.withUnsafeBufferPointer { expected in
            // The first bytes usually differ when the strings do.
            guard let left = expected.baseAddress, let right = bytes.baseAddress, left[0] == right[0] else {
                return expected.isEmpty
            }
            return Value.sameBytes(left, right, count: bytes.count)
        }
    }

    /// The profile read.
    let profile: ProfileSchema
    let root: Shape
    /// Whether the profile declares a field `patient` (else a `patient` key is left to the slow
    /// path, which unwraps a fixture's patient).
    let declaresPatient: Bool
    /// The top-level fields whose values are built, one bit a position: the others are read and
    /// checked just the same (a line is accepted or left to the slow path exactly as before),
    /// but left out of the record.
    let kept: UInt64

    /// A reader for patients of `profile`, storing them in `shape`, which must be made for the
    /// profile's fields (a compiled pack's ``FieldSlots/shape``, whose conditions then read the
    /// records' fields by position); a shape of its own when `nil`.
    ///
    /// With `keeping`, only the top-level fields so named are kept in the records read: for a
    /// batch whose output reads no other field (a decisions line reads the fields its therapies'
    /// conditions name, and `id` and `as_of`).
    init(profile: ProfileSchema, shape: RecordShape? = nil, keeping: Set<String>? = nil) {
        self.profile = profile
        root = Shape(profile.fields, record: shape ?? RecordShape(fields: profile.fields))
        declaresPatient = profile.field(named: "patient") != nil
        var kept = UInt64.max
        if let keeping {
            kept = 0
            for (position, name) in root.names.enumerated() where position < 64 && keeping.contains(name) {
                kept |= 1 << UInt64(position)
            }
        }
        self.kept = kept
    }

    /// The shape of the records read.
    var shape: RecordShape { root.record }

    /// The record on a line, or `nil` when the line is not one the fast path reads (it may still
    /// be a valid patient: then the slow path reads it).
    func record(_ line: UnsafeBufferPointer<UInt8>) -> Record? {
        var unused: [Value?] = []
        return record(line, values: &unused)
    }

    /// ``record(_:)``, and the record's top-level values in the profile's field order.
    func record(_ line: UnsafeBufferPointer<UInt8>, values: inout [Value?]) -> Record? {
        var unused: [SlotCode] = []
        return record(line, values: &values, codes: &unused)
    }

    /// ``record(_:)``, and the record's top-level values in the profile's field order (`nil`
    /// for an absent field) in `values`, so that evaluating need not look them up by name (the
    /// record is stored in the same array: ``shape``'s positions), with their codes in `codes`
    /// (the same as ``SlotCode/init(_:symbols:)`` gives for the field's listed values; an array
    /// of the right size is overwritten in place).
    func record(_ line: UnsafeBufferPointer<UInt8>, values: inout [Value?], codes: inout [SlotCode]) -> Record? {
        var cursor = Cursor(bytes: line)
        guard Self.isPrintableASCII(line) else { return nil }
        cursor.skipSpace()
        let count = root.names.count
        // Both emptied in place when the caller keeps them from one line to the next (and the
        // last line's record is gone): no array is allocated, and none released element by
        // element through the generic value witnesses.
        if values.count == count {
            for position in 0..<count { values[position] = nil }
        } else {
            values = Self.absent(count)
        }
        if codes.count == count {
            for position in 0..<count { codes[position] = .absent }
        } else {
            codes = [SlotCode](repeating: .absent, count: count)
        }
        guard cursor.object(root, values: &values, codes: &codes, keeping: kept) else { return nil }
        cursor.skipSpace()
        return cursor.atEnd ? Record(shape: root.record, values: values) : nil
    }

    /// `count` absent values: room reserved, then appended (the array initialisers that take a
    /// count were not specialised for `Value?`, and cost more than reading a small object).
    @inline(__always)
    static func absent(_ count: Int) -> [Value?] {
        var values: [Value?] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(nil) }
        return values
    }

    /// Whether every byte is printable ASCII, a tab or a carriage return; thirty-two, then eight
    /// bytes at a time while none of them is outside the printable range.
    static func isPrintableASCII(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = line.baseAddress else { return true }
        var index = 0
        while index + 32 <= line.count {
            let raw = UnsafeRawPointer(base + index)
            let flagged =
                unprintableBits(raw.loadUnaligned(as: UInt64.self)) | unprintableBits(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                | unprintableBits(raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                | unprintableBits(raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            if flagged != 0 { break }
            index += 32
        }
        while index < line.count {
            if index + 8 <= line.count, !hasUnprintable(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = line[index]
            if byte < 0x20 || byte >= 0x7F, byte != 0x09, byte != 0x0D { return false }
            index += 1
        }
        return true
    }

    /// Whether any of the eight bytes of `word` is below 0x20 or above 0x7E (exact for the word
    /// as a whole: a carry out of a flagged byte can only flag another as well).
    @inline(__always)
    static func hasUnprintable(_ word: UInt64) -> Bool {
        unprintableBits(word) != 0
    }

    /// The high bit of each byte of `word` that ``hasUnprintable(_:)`` flags (and of none when
    /// it flags none): words' bits can be or-ed before one test.
    @inline(__always)
    static func unprintableBits(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word
        let above = (word &+ ones) | word
        return (below | above) & highs
    }

    /// The profile's field names, in the order of the values ``record(_:values:)`` gives.
    var fieldNames: [String] { root.names }
}

extension FastPatientReader.Kind {
    /// How to read `field`, whose objects (its own or its items') are stored in `shape`.
    init(_ field: FieldSchema, shape: RecordShape?) {
        switch field.type {
        case .int: self = .int(minimum: field.minimum, maximum: field.maximum)
        case .number: self = .number(minimum: field.minimum, maximum: field.maximum)
        case .bool: self = .bool
        case .string: self = .string
        case .date: self = .date
        case .enumeration(let values): self = .enumeration(FastPatientReader.Listed(values))
        case .list(let item): self = .list(Self(item, shape: shape))
        case .object(let fields):
            self = .object(FastPatientReader.Nested(FastPatientReader.Shape(fields, record: shape ?? RecordShape(fields: fields))))
        }
    }
}

/// A position in a line of printable ASCII; every reader returns `nil` for what it does not accept.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The code of the last value read (``SlotCode``): a bool, an int, a double, an enum's
    /// symbol when it lists at most 64 values, anything else `other`.
    var code = SlotCode.absent

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index == bytes.count }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        index += 1
        return true
    }

    /// The bytes between the quotes of a string without escapes.
    mutating func stringBytes() -> UnsafeBufferPointer<UInt8>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // Up to the first quote, backslash or control: the closing quote ends the string; an
        // escape, or a control JSON forbids in a string, is left to the slow path (it says which).
        index = JSONValue.firstEscape(in: bytes, from: index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        // A string that may be over the scalar limit is left to the slow path, which counts its
        // scalars and reports it as a .json file's would be.
        guard index - start <= LoadingLimits.maximumScalarLength else { return nil }
        index += 1
        return UnsafeBufferPointer(rebasing: bytes[start..<index - 1])
    }

    /// Takes `expected` (a whole quoted key) if it is next; nothing for an empty one.
    @inline(__always)
    mutating func take(bytes expected: [UInt8]) -> Bool {
        let count = expected.count
        guard count > 0, bytes.count - index >= count,
            FastPatientReader.equal(expected, UnsafeBufferPointer(rebasing: bytes[index..<index + count]))
        else { return false }
        index += count
        return true
    }

    /// Takes `word` (such as `null`) if it is next and not followed by more of a word.
    mutating func take(word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count, word.hasPointerRepresentation, let base = bytes.baseAddress,
            Value.sameBytes(base + index, word.utf8Start, count: count)
        else { return false }
        let end = index + count
        if end < bytes.count, Self.isWordByte(bytes[end]) { return false }
        index = end
        return true
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2E || byte == 0x2B || byte == 0x2D || byte == 0x5F
    }

    /// An object, as a record in the shape's ``FastPatientReader/Shape/record``.
    mutating func object(_ shape: FastPatientReader.Shape) -> Record? {
        var values = FastPatientReader.absent(shape.names.count)
        var codes = DiscardedCodes()
        guard object(shape, values: &values, codes: &codes) else { return nil }
        return Record(shape: shape.record, values: values)
    }

    /// An object, each field's value stored at its position in `values` (one `nil` for each
    /// field of the shape), and its code in `codes` when that has room for every field; `false`
    /// for one it does not accept. A field whose bit is not in `keeping` is read and checked
    /// but not built or stored.
    mutating func object<Codes: CodeSink>(
        _ shape: FastPatientReader.Shape, values: inout [Value?], codes: inout Codes, keeping: UInt64 = .max
    ) -> Bool {
        let coded = codes.holds(values.count)
        guard shape.isSmall, take(UInt8(ascii: "{")) else { return false }
        var seen: UInt64 = 0
        skipSpace()
        if take(UInt8(ascii: "}")) { return true }
        // The field expected next: the one after the last read, in the profile's order.
        var expected = 0
        while true {
            skipSpace()
            // The key of the field after the last one read, or of one of the three after it (a
            // line leaves out absent fields), as whole quoted bytes; else looked up.
            var position = -1
            var guess = expected
            while guess < shape.quotedKeys.count, guess < expected + 4 {
                if take(bytes: shape.quotedKeys[guess]) {
                    position = guess
                    break
                }
                guess += 1
            }
            if position < 0 {
                guard let key = stringBytes(), let found = shape.position(of: key) else { return false }
                position = found
            }
            expected = position + 1
            let bit: UInt64 = 1 << UInt64(position)
            guard seen & bit == 0 else { return false }
            seen |= bit
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipSpace()
            if current == UInt8(ascii: "n"), take(word: "null") {
                // An explicit null is an absent field.
            } else {
                let builds = keeping & bit != 0
                guard let value = value(shape.kinds[position], building: builds) else { return false }
                if builds {
                    values[position] = value
                    if coded { codes.store(code, at: position) }
                }
            }
            skipSpace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "}"))
        }
    }

    /// A value of `kind`, or `nil` for one it does not accept; unless `building`, the value is
    /// only read and checked, and `.null` stands for it (no string, list or record is made).
    mutating func value(_ kind: FastPatientReader.Kind, building: Bool = true) -> Value? {
        switch kind {
        case .int(let minimum, let maximum):
            guard let value = int(), Self.inRange(Double(value), minimum, maximum) else { return nil }
            code = SlotCode(tag: .int, payload: value)
            return .int(value)
        case .number(let minimum, let maximum):
            guard let value = number(), Self.inRange(value, minimum, maximum) else { return nil }
            code = SlotCode(tag: .double, payload: Int64(bitPattern: value.bitPattern))
            return .double(value)
        case .bool:
            // The first byte tells which word to try.
            if current == UInt8(ascii: "t"), take(word: "true") {
                code = SlotCode(tag: .bool, payload: 1)
                return .bool(true)
            }
            if current == UInt8(ascii: "f"), take(word: "false") {
                code = SlotCode(tag: .bool, payload: 0)
                return .bool(false)
            }
            return nil
        case .string:
            guard let text = stringBytes() else { return nil }
            code = SlotCode(tag: .other, payload: 0)
            return building ? .string(String(decoding: text, as: UTF8.self)) : .null
        case .date:
            guard let text = stringBytes(), let date = Self.date(text) else { return nil }
            code = SlotCode(tag: .other, payload: 0)
            return .date(date)
        case .enumeration(let listed):
            guard let text = stringBytes() else { return nil }
            let encoded = listed.encoded
            for index in encoded.indices where FastPatientReader.equal(encoded[index], text) {
                // The first listed value equal to the text, as `SlotCode(_:symbols:)` finds it.
                code = encoded.count <= 64 ? SlotCode(tag: .symbol, payload: Int64(index)) : SlotCode(tag: .other, payload: 0)
                return .string(listed.values[index])
            }
            return nil
        case .list(let item):
            guard take(UInt8(ascii: "[")) else { return nil }
            // A list's code, whatever its items' codes were.
            defer { code = SlotCode(tag: .other, payload: 0) }
            var items: [Value] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return .list(items) }
            // Room for a patient's usual list at once, rather than regrowing it item by item.
            if building { items.reserveCapacity(4) }
            var count = 0
            while true {
                skipSpace()
                // A list over the item limit is left to the slow path, which reports it.
                count += 1
                guard count <= LoadingLimits.maximumCollectionCount else { return nil }
                guard let element = value(item, building: building) else { return nil }
                if building { items.append(element) }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "]")) else { return nil }
                return .list(items)
            }
        case .object(let nested):
            defer { code = SlotCode(tag: .other, payload: 0) }
            guard building else {
                var none: [Value?] = []
                var noCodes = DiscardedCodes()
                return object(nested.shape, values: &none, codes: &noCodes, keeping: 0) ? .null : nil
            }
            return object(nested.shape).map { .record($0) }
        }
    }

    private static func inRange(_ value: Double, _ minimum: Double?, _ maximum: Double?) -> Bool {
        if let minimum, value < minimum { return false }
        if let maximum, value > maximum { return false }
        return true
    }

    /// A JSON integer (`-?(0|[1-9][0-9]*)`) of at most 18 digits, which always fits in 64 bits.
    mutating func int() -> Int64? {
        let negative = take(UInt8(ascii: "-"))
        let start = index
        var value: Int64 = 0
        while let byte = current, byte >= 0x30, byte <= 0x39 {
            guard index - start < 18 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
            index += 1
        }
        let digits = index - start
        guard digits > 0, !(digits > 1 && bytes[start] == 0x30) else { return nil }
        if let byte = current, Self.isWordByte(byte) { return nil }
        return negative ? -value : value
    }

    /// A JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?`, no exponent) with at most 15 significant
    /// digits and 22 decimals: its value is the quotient of two exactly representable doubles,
    /// which IEEE division rounds correctly — the same double `Double(String)` gives.
    mutating func number() -> Double? {
        let negative = take(UInt8(ascii: "-"))
        let start = index
        var mantissa: Int64 = 0
        var digits = 0
        while let byte = current, byte >= 0x30, byte <= 0x39 {
            guard digits < 15 else { return nil }
            mantissa = mantissa * 10 + Int64(byte - 0x30)
            digits += 1
            index += 1
        }
        guard digits > 0, !(digits > 1 && bytes[start] == 0x30) else { return nil }
        var decimals = 0
        if take(UInt8(ascii: ".")) {
            while let byte = current, byte >= 0x30, byte <= 0x39 {
                guard digits < 15, decimals < 22 else { return nil }
                mantissa = mantissa * 10 + Int64(byte - 0x30)
                digits += 1
                decimals += 1
                index += 1
            }
            guard decimals > 0 else { return nil }
        }
        if let byte = current, Self.isWordByte(byte) { return nil }
        let value = Double(mantissa) / Self.powersOfTen[decimals]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// `YYYY-MM-DD`, a day that exists.
    static func date(_ text: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var result = 0
            for index in range {
                let byte = text[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                result = result * 10 + Int(byte - 0x30)
            }
            return result
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }
}
