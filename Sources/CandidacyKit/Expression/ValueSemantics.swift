#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CEL's equality and ordering of run-time values.
extension Value {
    /// CEL equality: values of different types are unequal, except that ints and doubles
    /// compare numerically; strings compare by Unicode scalar (no normalisation); NaN equals nothing.
    func celEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)): return Value.compare(a, b) == .equal
        case (.double(let a), .int(let b)): return Value.compare(b, a) == .equal
        case (.string(let a), .string(let b)): return Value.sameScalars(a, b)
        case (.date(let a), .date(let b)): return a == b
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.celEquals($1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for entry in a {
                guard let value = Value.lookup(entry.key, in: b), value.celEquals(entry.value) else { return false }
            }
            return true
        case (.record(let a), .record(let b)):
            guard a.count == b.count else { return false }
            var equal = true
            a.forEachField { name, value in
                if equal, !(b.field(name)?.celEquals(value) ?? false) { equal = false }
            }
            return equal
        default:
            return false
        }
    }

    /// Whether two strings hold the same Unicode scalars (no normalisation): the same UTF-8
    /// bytes, compared without decoding scalars.
    static func sameScalars(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        guard x.count == y.count else { return false }
        // The bytes in place where both strings have them contiguous (native strings: no copy).
        let inPlace = x.withContiguousStorageIfAvailable { left in
            y.withContiguousStorageIfAvailable { right in
                // `elementsEqual` is generic and slow here; the counts are equal.
                guard let left = left.baseAddress, let right = right.baseAddress else { return true }
                return memcmp(left, right, x.count) == 0
            }
        }
        if let inPlace, let same = inPlace { return same }
        var (a, b) = (a, b)
        return a.withUTF8 { left in
            b.withUTF8 { right in
                guard let left = left.baseAddress, let right = right.baseAddress else { return true }
                return memcmp(left, right, x.count) == 0
            }
        }
    }

    /// Whether `count` bytes at `left` and `right` are equal: eight at a time, then one at a
    /// time (a key, a listed value or a short string: cheaper than a call to `memcmp`).
    @inline(__always)
    static func sameBytes(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            let a = UnsafeRawPointer(left + offset).loadUnaligned(as: UInt64.self)
            let b = UnsafeRawPointer(right + offset).loadUnaligned(as: UInt64.self)
            if a != b { return false }
            offset += 8
        }
        while offset < count {
            if left[offset] != right[offset] { return false }
            offset += 1
        }
        return true
    }

    /// A measure of the work comparing, concatenating or searching the value takes: 1 for a
    /// scalar and a string of up to 16 UTF-8 bytes (one more per further 16), 1 plus the
    /// weights of the items of a list, map or record. Shared structure counts each time it is
    /// reached. Counting stops once it reaches `limit`, so measuring takes at most `limit`
    /// steps, however large the value.
    func weight(upTo limit: Int) -> Int {
        switch self {
        case .null, .bool, .int, .double, .date: return 1
        case .string(let text): return 1 + text.utf8.count / 16
        case .list(let items):
            var total = 1
            for item in items where total < limit { total += item.weight(upTo: limit - total) }
            return total
        case .map(let entries):
            var total = 1
            for entry in entries where total < limit {
                total += entry.key.weight(upTo: limit - total)
                total += entry.value.weight(upTo: Swift.max(limit - total, 1))
            }
            return total
        case .record(let record):
            var total = 1
            record.forEachField { _, value in
                if total < limit { total += value.weight(upTo: limit - total) }
            }
            return total
        }
    }

    /// The value stored under a key of a map, under CEL equality.
    static func lookup(_ key: Value, in entries: [MapEntry]) -> Value? {
        for entry in entries where entry.key.celEquals(key) { return entry.value }
        return nil
    }

    /// How two values order, `.unordered` for NaN, or `nil` when CEL defines no order between them.
    func celCompare(_ other: Value) -> Ordering? {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a < b ? .less : (a == b ? .equal : .greater)
        case (.double(let a), .double(let b)):
            if a.isNaN || b.isNaN { return .unordered }
            return a < b ? .less : (a == b ? .equal : .greater)
        case (.int(let a), .double(let b)): return Value.compare(a, b)
        case (.double(let a), .int(let b)): return Value.compare(b, a).reversed
        case (.string(let a), .string(let b)):
            if Value.sameScalars(a, b) { return .equal }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? .less : .greater
        case (.bool(let a), .bool(let b)): return a == b ? .equal : (!a ? .less : .greater)
        case (.date(let a), .date(let b)): return a < b ? .less : (a == b ? .equal : .greater)
        default: return nil
        }
    }

    /// Compares an int with a double exactly, without rounding the int.
    static func compare(_ int: Int64, _ double: Double) -> Ordering {
        if double.isNaN { return .unordered }
        if double >= 9_223_372_036_854_775_808.0 { return .less }
        if double < -9_223_372_036_854_775_808.0 { return .greater }
        let truncated = Int64(double.rounded(.towardZero))
        if int < truncated { return .less }
        if int > truncated { return .greater }
        let fraction = double - Double(truncated)
        return fraction > 0 ? .less : (fraction < 0 ? .greater : .equal)
    }

    /// The result of comparing two values.
    enum Ordering {
        case less, equal, greater, unordered

        var reversed: Ordering {
            switch self {
            case .less: .greater
            case .greater: .less
            case .equal, .unordered: self
            }
        }
    }
}
