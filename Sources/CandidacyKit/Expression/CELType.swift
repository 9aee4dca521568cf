/// The static type of a CEL expression, as the type checker sees it.
public indirect enum CELType: Sendable, Hashable, CustomStringConvertible {
    case int
    case double
    case bool
    case string
    case null
    case date
    /// A list whose elements have the given type.
    case list(CELType)
    /// A map from keys of the first type to values of the second.
    case map(CELType, CELType)
    /// An object with named fields: a patient object (`labs`, a `conservative_care` item) or `params`.
    case object(name: String, fields: [CELField])
    /// A string at run time whose allowed values are listed (a profile `enum` field).
    case enumeration([String])
    /// Any type; checked only at run time.
    case dyn

    /// The type of a profile field: `number` is `double`, `enum` an enumeration, `list` and `object` recursively.
    public init(_ schema: FieldSchema) {
        switch schema.type {
        case .int: self = .int
        case .number: self = .double
        case .bool: self = .bool
        case .string: self = .string
        case .date: self = .date
        case .enumeration(let values): self = .enumeration(values)
        case .list(let item): self = .list(CELType(item))
        case .object(let fields):
            self = .object(name: schema.name, fields: fields.map { CELField(name: $0.name, type: CELType($0)) })
        }
    }

    /// The type of a run-time value (lists of mixed types are `list(dyn)`).
    public init(of value: Value) {
        switch value {
        case .null: self = .null
        case .bool: self = .bool
        case .int: self = .int
        case .double: self = .double
        case .string: self = .string
        case .date: self = .date
        case .list(let items):
            self = .list(items.dropFirst().reduce(items.first.map(CELType.init(of:)) ?? .dyn) { CELType.join($0, CELType(of: $1)) })
        case .map(let entries):
            let key = entries.dropFirst().reduce(entries.first.map { CELType(of: $0.key) } ?? .dyn) { CELType.join($0, CELType(of: $1.key)) }
            let value = entries.dropFirst().reduce(entries.first.map { CELType(of: $0.value) } ?? .dyn) { CELType.join($0, CELType(of: $1.value)) }
            self = .map(key, value)
        case .record(let record):
            var fields: [CELField] = []
            record.forEachFieldSortedByName { name, value in fields.append(CELField(name: name, type: CELType(of: value))) }
            self = .object(name: "object", fields: fields)
        }
    }

    /// How messages name the type: `int`, `list(int)`, `map(string, int)`, `enum`, `object labs`.
    public var description: String {
        switch self {
        case .int: "int"
        case .double: "double"
        case .bool: "bool"
        case .string: "string"
        case .null: "null"
        case .date: "date"
        case .list(let element): "list(\(element))"
        case .map(let key, let value): "map(\(key), \(value))"
        case .object(let name, _): "object \(name)"
        case .enumeration: "enum"
        case .dyn: "dyn"
        }
    }

    /// The field of an object type with the given name.
    public func field(named name: String) -> CELField? {
        if case .object(_, let fields) = self { return fields.first { $0.name == name } }
        return nil
    }

    var isDyn: Bool { self == .dyn }
    var isNumeric: Bool { self == .int || self == .double }
    var isStringLike: Bool {
        if case .enumeration = self { return true }
        return self == .string
    }

    /// Whether values of the two types may be compared with `==` and `!=`: the same type,
    /// int with double, an enumeration with a string, `null` or `dyn` with anything.
    static func areComparable(_ lhs: CELType, _ rhs: CELType) -> Bool {
        switch (lhs, rhs) {
        case (.dyn, _), (_, .dyn), (.null, _), (_, .null): true
        case (.list(let a), .list(let b)): areComparable(a, b)
        case (.map(let ak, let av), .map(let bk, let bv)): areComparable(ak, bk) && areComparable(av, bv)
        case (.object(let a, _), .object(let b, _)): a == b
        default:
            lhs == rhs || (lhs.isNumeric && rhs.isNumeric) || (lhs.isStringLike && rhs.isStringLike)
        }
    }

    /// Whether values of the two types may be ordered with `<`, `<=`, `>`, `>=`.
    static func areOrderable(_ lhs: CELType, _ rhs: CELType) -> Bool {
        switch (lhs, rhs) {
        case (.dyn, .dyn): true
        case (.dyn, let other), (let other, .dyn):
            other.isNumeric || other.isStringLike || other == .bool || other == .date
        default:
            (lhs.isNumeric && rhs.isNumeric) || (lhs.isStringLike && rhs.isStringLike)
                || (lhs == .bool && rhs == .bool) || (lhs == .date && rhs == .date)
        }
    }

    /// The narrowest type both types fit: themselves when equal, `string` for strings and enumerations, else `dyn`.
    static func join(_ lhs: CELType, _ rhs: CELType) -> CELType {
        if lhs == rhs { return lhs }
        switch (lhs, rhs) {
        case (.list(let a), .list(let b)): return .list(join(a, b))
        case (.map(let ak, let av), .map(let bk, let bv)): return .map(join(ak, bk), join(av, bv))
        default: return lhs.isStringLike && rhs.isStringLike ? .string : .dyn
        }
    }
}

/// One field of an object type.
public struct CELField: Sendable, Hashable {
    /// The field's name.
    public var name: String
    /// Its type.
    public var type: CELType

    /// Creates a field.
    public init(name: String, type: CELType) {
        self.name = name
        self.type = type
    }
}
