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
///
/// A record is stored either by name (a dictionary) or, as the batch reader builds it, in the
/// positions of a ``RecordShape`` (its fields in the profile's order, `nil` for an absent one),
/// which a compiled condition reads without hashing a name. The two are the same record: equality,
/// hashing, ``fields`` and every lookup depend on the fields present alone, never on the storage.
public struct Record: Sendable, Hashable {
    /// The fields, in one object: copying a record (as every value read from a patient is
    /// copied) retains one reference, whichever way it is stored.
    private var storage: Storage

    private final class Storage: Sendable {
        /// The fields by name, when ``shape`` is `nil`.
        let named: [String: Value]
        /// The shape whose positions ``values`` follow, if the record is stored so.
        let shape: RecordShape?
        let values: [Value?]

        init(named: [String: Value]) {
            (self.named, shape, values) = (named, nil, [])
        }

        init(shape: RecordShape, values: [Value?]) {
            (named, self.shape, self.values) = ([:], shape, values)
        }

        static let empty = Storage(named: [:])
    }

    /// The fields that are present. An explicit `null` in the input is not stored.
    ///
    /// Reading it from a shaped record builds a dictionary: lookups use ``field(_:)``; setting
    /// it stores the record by name.
    public var fields: [String: Value] {
        get {
            guard let shape = storage.shape else { return storage.named }
            var fields: [String: Value] = Dictionary(minimumCapacity: storage.values.count)
            for (position, value) in storage.values.enumerated() {
                if let value, fields[shape.names[position]] == nil { fields[shape.names[position]] = value }
            }
            return fields
        }
        set { storage = Storage(named: newValue) }
    }

    public init(_ fields: [String: Value] = [:]) {
        storage = fields.isEmpty ? .empty : Storage(named: fields)
    }

    /// A record in `shape`'s positions: `values[i]` is the field `shape.names[i]`, `nil` when
    /// absent. `values` has one entry for each of the shape's names.
    init(shape: RecordShape, values: [Value?]) {
        storage = Storage(shape: shape, values: values)
    }

    /// The field `name`, or `nil` when it is absent.
    @inline(__always)
    public func field(_ name: String) -> Value? {
        guard let shape = storage.shape else { return storage.named[name] }
        return shape.position(of: name).flatMap { storage.values[$0] }
    }

    /// The field `name`, read at its position when the record is stored in one of `shapes`
    /// (each with the position of `name` in it, found when compiling); else as ``field(_:)``.
    @inline(__always)
    func field(_ name: String, in shapes: [(shape: RecordShape, position: Int)]) -> Value? {
        if let shape = storage.shape {
            for candidate in shapes where candidate.shape === shape { return storage.values[candidate.position] }
        }
        return field(name)
    }

    /// The field at `position` of `shape` (by identity) when the record is stored in that
    /// shape, `nil` inside for an absent field; `nil` when it is stored otherwise.
    @inline(__always)
    func field(at position: Int, ifStoredIn shape: ObjectIdentifier) -> Value?? {
        guard let stored = storage.shape, ObjectIdentifier(stored) == shape else { return nil }
        return .some(storage.values[position])
    }

    /// The number of fields present.
    public var count: Int {
        guard storage.shape != nil else { return storage.named.count }
        var count = 0
        for value in storage.values where value != nil { count += 1 }
        return count
    }

    /// The address of the record's storage: records with the same one hold the same fields.
    var storageIdentity: UInt {
        UInt(bitPattern: ObjectIdentifier(storage))
    }

    /// Calls `body` with each field present, in an unspecified order.
    func forEachField(_ body: (String, Value) -> Void) {
        if let shape = storage.shape {
            for (position, value) in storage.values.enumerated() {
                if let value { body(shape.names[position], value) }
            }
        } else {
            for (name, value) in storage.named { body(name, value) }
        }
    }

    /// Calls `body` with each field present in the order of their names.
    func forEachFieldSortedByName(_ body: (String, Value) -> Void) {
        if let shape = storage.shape {
            for position in shape.sortedPositions {
                if let value = storage.values[position] { body(shape.names[position], value) }
            }
            return
        }
        let fields = storage.named
        // The fields' positions sorted by name, in a buffer on the stack: no array of keys, and
        // no second lookup of each name.
        withUnsafeTemporaryAllocation(of: Dictionary<String, Value>.Index.self, capacity: fields.count) { order in
            var count = 0
            for index in fields.indices {
                order.initializeElement(at: count, to: index)
                count += 1
            }
            var sorted = UnsafeMutableBufferPointer(rebasing: order[..<count])
            sorted.sort { fields[$0].key < fields[$1].key }
            for index in sorted { body(fields[index].key, fields[index].value) }
            _ = sorted.deinitialize()
        }
    }

    public static func == (lhs: Record, rhs: Record) -> Bool {
        if lhs.storage === rhs.storage { return true }
        if lhs.storage.shape == nil, rhs.storage.shape == nil { return lhs.storage.named == rhs.storage.named }
        guard lhs.count == rhs.count else { return false }
        var equal = true
        lhs.forEachField { name, value in
            if equal, rhs.field(name) != value { equal = false }
        }
        return equal
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields)
    }

    /// The value at a dotted path such as `labs.platelet_count`, or `nil` when any part is absent.
    public func value(atPath path: [String]) -> Value? {
        guard let first = path.first, let value = field(first) else { return nil }
        if path.count == 1 { return value }
        guard case .record(let inner) = value else { return nil }
        return inner.value(atPath: Array(path.dropFirst()))
    }
}

extension Record: CustomDebugStringConvertible {
    /// The fields present, sorted by name, whichever way the record is stored.
    public var debugDescription: String {
        var parts: [String] = []
        forEachFieldSortedByName { name, value in parts.append("\(name): \(value)") }
        return "Record([" + parts.joined(separator: ", ") + "])"
    }
}

extension Value {
    /// For a list or a record, the address of its storage (while the value lives, no other
    /// value has it, and values with the same one are the same); `nil` for any other value.
    var storageIdentity: UInt? {
        switch self {
        case .list(let items): items.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
        case .record(let record): record.storageIdentity
        default: nil
        }
    }

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
