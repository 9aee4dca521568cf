/// The fields of one kind of profile object in order, for records stored by position
/// (``Record/init(shape:values:)``): the batch reader fills them, and a compiled condition that
/// selects a field finds its position once, when compiling, for the shapes it may meet.
///
/// A class, compared by identity: one per object of a compiled pack's profile.
final class RecordShape: Sendable {
    /// The field names, in the profile's order (a repeated name is read at its first position).
    let names: [String]
    /// The shape of each field's objects: of the field itself when it is an object, of its
    /// items (at any depth) when it is a list of objects; `nil` for any other field.
    let nested: [RecordShape?]
    /// The positions in the order of their names (the first of a repeated name only), as a
    /// record's fields are written.
    let sortedPositions: [Int]
    /// The position of each name (its first).
    private let index: [String: Int]

    /// The shape of objects with these fields, and of every object nested in them.
    init(fields: [FieldSchema]) {
        let names = fields.map(\.name)
        self.names = names
        nested = fields.map { Self.objectFields(of: $0.type).map(RecordShape.init(fields:)) }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.index = index
        sortedPositions = index.values.sorted { names[$0] < names[$1] }
    }

    /// Whether the shape was made for `fields` (the same names in order, at every depth), as a
    /// reader of those fields must check before storing records in it.
    func isMade(for fields: [FieldSchema]) -> Bool {
        guard names == fields.map(\.name) else { return false }
        for (field, shape) in zip(fields, nested) {
            switch (Self.objectFields(of: field.type), shape) {
            case (nil, nil): continue
            case (let inner?, let shape?): if !shape.isMade(for: inner) { return false }
            default: return false
            }
        }
        return true
    }

    /// The position of `name`, or `nil` for a name the shape lacks.
    @inline(__always)
    func position(of name: String) -> Int? {
        index[name]
    }

    /// This shape and every shape nested in it, depth first.
    var all: [RecordShape] {
        [self] + nested.flatMap { $0?.all ?? [] }
    }

    /// The fields of the objects a field of `type` holds, directly or as list items.
    private static func objectFields(of type: FieldType) -> [FieldSchema]? {
        switch type {
        case .object(let fields): fields
        case .list(let item): objectFields(of: item.type)
        default: nil
        }
    }
}
