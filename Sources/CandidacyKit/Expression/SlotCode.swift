/// A top-level patient value reduced to a tag and 64 bits, worked out once per patient, so that a
/// ``ConditionKernel`` compares flags, enum values and numbers without copying a ``Value``.
///
/// An enum field's string is its position among the profile's listed values (a *symbol*); a
/// string of a field with no list, a list, a record and a date are ``Tag/other``, which the
/// kernel reads as a value instead.
struct SlotCode: Sendable, Hashable {
    /// What the payload holds.
    enum Tag: UInt8, Sendable {
        /// The patient lacks the field.
        case absent
        /// A bool: 0 or 1.
        case bool
        /// An int.
        case int
        /// A double's bit pattern.
        case double
        /// The position of the string among the field's listed values.
        case symbol
        /// Anything else.
        case other
    }

    let tag: Tag
    let payload: Int64

    /// The code of an absent field.
    static let absent = SlotCode(tag: .absent, payload: 0)

    /// A code made of its parts (as ``FastPatientReader`` makes them while reading a line).
    init(tag: Tag, payload: Int64) {
        self.tag = tag
        self.payload = payload
    }

    /// The code of `value`, a field whose listed values (when an enum with at most 64) are `symbols`.
    init(_ value: Value?, symbols: [String]?) {
        switch value {
        case nil: (tag, payload) = (.absent, 0)
        case .bool(let bool)?: (tag, payload) = (.bool, bool ? 1 : 0)
        case .int(let int)?: (tag, payload) = (.int, int)
        case .double(let double)?: (tag, payload) = (.double, Int64(bitPattern: double.bitPattern))
        case .string(let text)?:
            if let symbols, let position = symbols.firstIndex(where: { Value.sameScalars($0, text) }) {
                (tag, payload) = (.symbol, Int64(position))
            } else {
                (tag, payload) = (.other, 0)
            }
        default: (tag, payload) = (.other, 0)
        }
    }

    /// The codes of one patient's values in `layout`'s slots.
    static func codes(of values: [Value?], in layout: FieldSlots) -> [SlotCode] {
        var codes: [SlotCode] = []
        codes.reserveCapacity(values.count)
        for index in values.indices {
            codes.append(SlotCode(values[index], symbols: index < layout.symbols.count ? layout.symbols[index] : nil))
        }
        return codes
    }
}
