/// Receives a JSON document as a sequence of events, in document order: the one way every
/// JSON output of Candidacy is produced, whether written straight to bytes (``JSONWriter``)
/// or built as a tree (``JSONTreeBuilder``).
///
/// Inside an object, each member is a key followed by exactly one value (a scalar, or a
/// whole array or object).
public protocol JSONSink {
    /// Opens an object.
    mutating func beginObject()
    /// Closes the innermost open object.
    mutating func endObject()
    /// Opens an array.
    mutating func beginArray()
    /// Closes the innermost open array.
    mutating func endArray()
    /// The next member's key, known when compiling (ASCII, nothing to escape).
    mutating func key(_ name: StaticString)
    /// The next member's key, known only at run time.
    mutating func key(named name: String)
    /// A string value.
    mutating func string(_ text: String)
    /// An integer value.
    mutating func int(_ value: Int64)
    /// A number value (`null` when not finite).
    mutating func double(_ value: Double)
    /// A Boolean value.
    mutating func bool(_ value: Bool)
    /// `null`.
    mutating func null()
    /// Members of the innermost open object, written before.
    mutating func members(_ fragment: JSONFragment)
    /// The next member's key, written before.
    mutating func key(_ key: JSONKey)
    /// A member's value that the document may hold again (a patient's list or object, which
    /// many steps read): a writer may copy the bytes it wrote for the very same value before.
    mutating func repeatedValue(_ value: Value)
}

extension JSONSink {
    public mutating func repeatedValue(_ value: Value) {
        self.value(value)
    }

    public mutating func members(_ fragment: JSONFragment) {
        eachMember(of: fragment)
    }

    /// The fragment's members one by one, as keys and values.
    mutating func eachMember(of fragment: JSONFragment) {
        for (name, member) in fragment.members {
            key(named: name)
            value(member)
        }
    }

    public mutating func key(_ known: JSONKey) {
        key(named: known.name)
    }

    /// A string value, or `null`.
    public mutating func string(orNull text: String?) {
        if let text { string(text) } else { null() }
    }

    /// An integer value.
    public mutating func int(_ value: Int) {
        int(Int64(value))
    }

    /// An array of strings.
    public mutating func strings(_ items: [String]) {
        beginArray()
        for item in items { string(item) }
        endArray()
    }

    /// A whole document given as a tree.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let scalar): bool(scalar)
        case .int(let scalar): int(scalar)
        case .double(let scalar): double(scalar)
        case .string(let scalar): string(scalar)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let members):
            beginObject()
            for (name, item) in members {
                key(named: name)
                self.value(item)
            }
            endObject()
        }
    }

    /// The JSON form of a runtime value: dates as `YYYY-MM-DD` strings, records as objects
    /// with sorted keys.
    public mutating func value(_ value: Value) {
        switch value {
        case .null: null()
        case .bool(let scalar): bool(scalar)
        case .int(let scalar): int(scalar)
        case .double(let scalar): double(scalar)
        case .string(let scalar): string(scalar)
        case .date(let date): string(date.description)
        case .list(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .map(let entries):
            beginObject()
            for entry in entries {
                key(named: ValueFormatter.plain(entry.key))
                self.value(entry.value)
            }
            endObject()
        case .record(let record):
            beginObject()
            record.forEachFieldSortedByName { name, value in
                key(named: name)
                self.value(value)
            }
            endObject()
        }
    }
}
