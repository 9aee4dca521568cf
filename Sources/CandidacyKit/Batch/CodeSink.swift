/// Where ``Cursor/object(_:values:codes:keeping:)`` puts the codes of the values it reads: an
/// array of one code a field, or nowhere (a nested object's codes are not kept). Generic rather
/// than an empty array, whose mutation would make a new buffer for every nested object.
protocol CodeSink {
    /// Whether the sink keeps the codes of an object of `count` fields.
    func holds(_ count: Int) -> Bool
    /// Keeps `code` for the field at `position`.
    mutating func store(_ code: SlotCode, at position: Int)
}

extension Array: CodeSink where Element == SlotCode {
    /// An array of one code a field, overwritten in place.
    func holds(_ count: Int) -> Bool { self.count == count }

    @inline(__always)
    mutating func store(_ code: SlotCode, at position: Int) { self[position] = code }
}

/// Codes that are not kept.
struct DiscardedCodes: CodeSink {
    func holds(_ count: Int) -> Bool { false }

    mutating func store(_ code: SlotCode, at position: Int) {}
}
