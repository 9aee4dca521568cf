/// Writes runtime values for people: `26`, `30.5`, `2026-10-02`, `physical_therapy`, lists and
/// objects in brackets and braces.
public enum ValueFormatter {
    /// The value as a person reads it; strings unquoted at the top level.
    public static func plain(_ value: Value) -> String {
        if case .string(let text) = value { return text }
        return nested(value)
    }

    /// The value with strings quoted, as inside lists.
    static func nested(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return bool ? "true" : "false"
        case .int(let int): return String(int)
        case .double(let double): return JSONValue.number(double)
        case .string(let string): return string
        case .date(let date): return date.description
        case .list(let items): return "[" + items.map(nested).joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.map { "\(nested($0.key)): \(nested($0.value))" }.joined(separator: ", ") + "}"
        case .record(let record):
            var fields: [String] = []
            record.forEachFieldSortedByName { key, value in fields.append("\(key): \(nested(value))") }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }

    /// `path = value`, or `path not recorded`.
    public static func observed(_ observed: ObservedValue) -> String {
        guard let value = observed.value else { return "\(observed.path) not recorded" }
        return "\(observed.path) = \(plain(value))"
    }
}
