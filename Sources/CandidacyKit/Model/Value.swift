/// A runtime value: a patient's data, a parameter, or the result of an expression.
///
/// Patient objects are ``Record``s, whose absent fields are *unknown*; CEL map literals
/// are ``Value/map(_:)``, whose absent keys are an error, as the CEL specification says.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case date(CivilDate)
    case list([Value])
    /// A CEL map, its entries in the order written; keys are unique under CEL equality.
    case map([MapEntry])
    /// An object of the patient profile; a declared field that is absent is unknown.
    case record(Record)
}

/// One key and value of a CEL map.
public struct MapEntry: Sendable, Hashable {
    public var key: Value
    public var value: Value

    public init(key: Value, value: Value) {
        self.key = key
        self.value = value
    }
}

/// An object of the patient profile: the fields that are present, by name.
///
/// A field the profile declares but the record lacks is *unknown*, never false or empty.
public struct Record: Sendable, Hashable {
    /// The fields that are present. An explicit `null` in the input is not stored.
    public var fields: [String: Value]

    public init(_ fields: [String: Value] = [:]) {
        self.fields = fields
    }

    /// The value at a dotted path such as `labs.platelet_count`, or `nil` when any part is absent.
    public func value(atPath path: [String]) -> Value? {
        guard let first = path.first, let value = fields[first] else { return nil }
        if path.count == 1 { return value }
        guard case .record(let inner) = value else { return nil }
        return inner.value(atPath: Array(path.dropFirst()))
    }
}

extension Value {
    /// The name of the value's type as users read it in messages: `int`, `string`, `list`…
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .date: "date"
        case .list: "list"
        case .map: "map"
        case .record: "object"
        }
    }
}
