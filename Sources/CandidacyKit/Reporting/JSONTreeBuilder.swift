/// Builds a ``JSONValue`` tree from a document's events, for reports that embed a part
/// written by a ``JSONSink`` function (such as a step in `candidacy test --format json`).
public struct JSONTreeBuilder: JSONSink {
    /// An open container and what it holds so far.
    private enum Open {
        case array([JSONValue])
        case object([(String, JSONValue)], key: String?)
    }

    private var stack: [Open] = []
    /// The finished document, once the outermost value is complete.
    public private(set) var result: JSONValue?

    public init() {}

    /// The tree of the document `write` sends to a builder (`null` if it sends nothing).
    public static func build(_ write: (inout JSONTreeBuilder) -> Void) -> JSONValue {
        var builder = JSONTreeBuilder()
        write(&builder)
        return builder.result ?? .null
    }

    private mutating func add(_ value: JSONValue) {
        guard let top = stack.popLast() else {
            result = value
            return
        }
        // Consumed, so that the frame's array is uniquely referenced and grows in place: a
        // copy per added value made a list of n strings cost n² (issue 21).
        switch consume top {
        case .array(var items):
            items.append(value)
            stack.append(.array(items))
        case .object(var members, let key):
            members.append((key ?? "", value))
            stack.append(.object(members, key: nil))
        }
    }

    public mutating func beginObject() {
        stack.append(.object([], key: nil))
    }

    public mutating func endObject() {
        guard case .object(let members, _)? = stack.popLast() else { return }
        add(.object(members))
    }

    public mutating func beginArray() {
        stack.append(.array([]))
    }

    public mutating func endArray() {
        guard case .array(let items)? = stack.popLast() else { return }
        add(.array(items))
    }

    public mutating func key(_ name: StaticString) {
        key(named: name.description)
    }

    public mutating func key(named name: String) {
        guard case .object(let members, _)? = stack.popLast() else { return }
        stack.append(.object(members, key: name))
    }

    public mutating func string(_ text: String) { add(.string(text)) }

    public mutating func int(_ value: Int64) { add(.int(value)) }

    public mutating func double(_ value: Double) { add(.double(value)) }

    public mutating func bool(_ value: Bool) { add(.bool(value)) }

    public mutating func null() { add(.null) }
}
