/// The declared type of a profile field (DESIGN.md 2.1).
public indirect enum FieldType: Sendable, Hashable {
    case int
    case number
    case bool
    case string
    case date
    /// One of the listed strings.
    case enumeration([String])
    /// A list whose items all follow one schema.
    case list(FieldSchema)
    /// An object with named fields, in declaration order.
    case object([FieldSchema])

    /// The type's name as `profile.yaml` spells it.
    public var keyword: String {
        switch self {
        case .int: "int"
        case .number: "number"
        case .bool: "bool"
        case .string: "string"
        case .date: "date"
        case .enumeration: "enum"
        case .list: "list"
        case .object: "object"
        }
    }
}

/// A field of the patient profile, or the item schema of a list field.
public struct FieldSchema: Sendable, Hashable {
    /// The field's name (for a list's item schema, the list's name).
    public var name: String
    /// Its type.
    public var type: FieldType
    /// The unit, such as `years` or `10^9/L`.
    public var unit: String?
    /// The smallest valid value of an `int` or `number`.
    public var minimum: Double?
    /// The largest valid value of an `int` or `number`.
    public var maximum: Double?
    /// A one-line description a clinician understands.
    public var description: String?
    /// Where the field is declared.
    public var location: SourceLocation

    public init(
        name: String, type: FieldType, unit: String? = nil, minimum: Double? = nil,
        maximum: Double? = nil, description: String? = nil, location: SourceLocation
    ) {
        self.name = name
        self.type = type
        self.unit = unit
        self.minimum = minimum
        self.maximum = maximum
        self.description = description
        self.location = location
    }

    /// The fields of an object type, or an empty list.
    public var fields: [FieldSchema] {
        if case .object(let fields) = type { return fields }
        return []
    }

    /// The field of an object type with the given name.
    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }
}

/// `profile.yaml`: every field a patient file may hold.
public struct ProfileSchema: Sendable, Hashable {
    /// The version of the profile format; 1 today.
    public var schemaVersion: Int
    /// The top-level fields, in declaration order.
    public var fields: [FieldSchema]
    /// The path of `profile.yaml`.
    public var file: String
    /// The pack's `lint:` block: the lint checks it switches off, each with its reason.
    public var lint: LintSettings

    public init(schemaVersion: Int, fields: [FieldSchema], file: String, lint: LintSettings = LintSettings()) {
        self.schemaVersion = schemaVersion
        self.fields = fields
        self.file = file
        self.lint = lint
    }

    /// The top-level field with the given name.
    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }

    /// The field at a dotted path such as `["labs", "platelet_count"]`.
    public func field(atPath path: [String]) -> FieldSchema? {
        guard let first = path.first, var current = field(named: first) else { return nil }
        for name in path.dropFirst() {
            guard let next = current.field(named: name) else { return nil }
            current = next
        }
        return current
    }
}
