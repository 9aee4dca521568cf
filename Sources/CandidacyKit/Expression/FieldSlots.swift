/// The top-level patient fields of a compiled pack, each given a slot, so that the fast path
/// (``FastPath``) reads a field by index instead of hashing its name for every condition.
///
/// A compiled pack makes one and compiles every expression with it; the evaluator fills the
/// slots once per patient (``SlotValues``) and hands them to each therapy's activation. An
/// expression only reads slots filled for its own layout (checked by identity), so any other
/// activation is read by name, as before.
final class FieldSlots: Sendable {
    /// The field names, in slot order.
    let names: [String]
    /// The slot of each name.
    let index: [String: Int]
    /// Each slot's position among the profile's fields.
    let profilePositions: [Int]
    /// Whether slot `i` is the profile's field `i` for every field (no field is left out or
    /// repeated), so that values in the profile's order are already in slot order.
    let followsProfile: Bool
    /// The shape of the profile's records, and of every object in them: a batch reader given
    /// it stores what it reads in these shapes (``FastPatientReader/init(profile:shape:)``).
    let shape: RecordShape
    /// ``shape`` and the shapes nested in it.
    private let shapes: [RecordShape]
    /// Each slot's listed values, for an enum field with at most 64 of them: what a
    /// ``SlotCode``'s symbol counts in.
    let symbols: [[String]?]

    /// The slots of `id` and `as_of` (``Patient/id`` and ``Patient/asOf``), if the profile has them.
    let idSlot: Int?
    let asOfSlot: Int?

    /// Slots for the profile's top-level fields, but for any named like a variable the
    /// environment declares besides them (`params`), which the activation's variables shadow.
    init(profile: ProfileSchema, excluding variables: Set<String> = ["params"]) {
        var names: [String] = []
        var index: [String: Int] = [:]
        var positions: [Int] = []
        var symbols: [[String]?] = []
        for (position, field) in profile.fields.enumerated() where index[field.name] == nil && !variables.contains(field.name) {
            index[field.name] = names.count
            names.append(field.name)
            positions.append(position)
            if case .enumeration(let values) = field.type, values.count <= 64 { symbols.append(values) } else { symbols.append(nil) }
        }
        self.symbols = symbols
        idSlot = index[Patient.idField]
        asOfSlot = index[Patient.asOfField]
        self.names = names
        self.index = index
        self.profilePositions = positions
        self.followsProfile = positions == Array(profile.fields.indices)
        shape = RecordShape(fields: profile.fields)
        shapes = shape.all
    }

    /// The shapes of the profile that have a field `name`, each with its position: what a
    /// compiled selection of `name` reads a shaped record by.
    func positions(of name: String) -> [(shape: RecordShape, position: Int)] {
        shapes.compactMap { shape in shape.position(of: name).map { (shape, $0) } }
    }
}

/// A therapy's parameters as the record `params`, made once when its conditions are compiled:
/// their fast paths fold `params.NAME` to its value, and read it so from an activation whose
/// ``Activation/parameterSource`` is this object (checked by identity), by name from any other.
final class ParameterSource: Sendable {
    /// The parameters, by name.
    let values: Record

    init(_ parameters: [Parameter]) {
        var fields: [String: Value] = [:]
        for parameter in parameters { fields[parameter.name] = parameter.value }
        values = Record(fields)
    }
}

/// One patient's values in a ``FieldSlots`` layout: `nil` for a field the record lacks.
struct SlotValues: Sendable {
    let layout: FieldSlots
    let values: [Value?]
    /// The values' codes, slot by slot.
    let codes: [SlotCode]

    /// The patient's id as ``Patient/id`` gives it for the record these values are of, read from
    /// its slot (`file` when the record has none).
    func patientID(file: String) -> String {
        if let slot = layout.idSlot, case .string(let id)? = values[slot] { return id }
        return file
    }

    /// The patient's `as_of` as ``Patient/asOf`` gives it, read from its slot.
    var asOf: CivilDate? {
        if let slot = layout.asOfSlot, case .date(let date)? = values[slot] { return date }
        return nil
    }

    init(layout: FieldSlots, values: [Value?]) {
        self.init(layout: layout, values: values, codes: SlotCode.codes(of: values, in: layout))
    }

    /// Values with their codes already worked out (``SlotCode/codes(of:in:)``).
    init(layout: FieldSlots, values: [Value?], codes: [SlotCode]) {
        self.layout = layout
        self.values = values
        self.codes = codes
    }

    init(layout: FieldSlots, record: Record) {
        self.init(layout: layout, values: layout.names.map { record.field($0) })
    }

    /// The slots from a record's values already in the profile's field order (as
    /// ``FastPatientReader`` reads them: `nil` for an absent field), without looking a name up.
    ///
    /// The caller must have checked that those values follow the fields of the profile the
    /// layout was made for.
    init(layout: FieldSlots, profileValues: [Value?], codes profileCodes: [SlotCode] = []) {
        self.layout = layout
        // The same arrays when the slots follow the profile (no copy of every value).
        let follows = layout.followsProfile && profileValues.count == layout.names.count
        values = follows ? profileValues : layout.profilePositions.map { profileValues[$0] }
        codes = follows && profileCodes.count == profileValues.count ? profileCodes : SlotCode.codes(of: values, in: layout)
    }
}
