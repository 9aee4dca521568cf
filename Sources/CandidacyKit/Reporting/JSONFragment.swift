/// Members of a JSON object known before a document is written, kept both as a tree and as
/// compact bytes, so that a compact ``JSONWriter`` copies them instead of escaping them again.
public struct JSONFragment: Sendable {
    /// The members, in order.
    public let members: [(String, JSONValue)]
    /// `"a":1,"b":2`: the members as compact JSON, without braces.
    let compact: [UInt8]

    /// The members `write` sends between an object's braces.
    public init(_ write: (inout JSONTreeBuilder) -> Void) {
        let tree = JSONTreeBuilder.build { builder in
            builder.beginObject()
            write(&builder)
            builder.endObject()
        }
        if case .object(let members) = tree { self.members = members } else { self.members = [] }
        var writer = JSONWriter(pretty: false)
        writer.value(tree)
        compact = Array(writer.bytes.dropFirst().dropLast())
    }
}

/// A member's key known before a document is written, with its compact bytes (`"name":`).
public struct JSONKey: Sendable {
    /// The key.
    public let name: String
    /// `"name":`.
    let compact: [UInt8]

    public init(_ name: String) {
        self.name = name
        var output = JSONBytes()
        output.string(name)
        output.byte(UInt8(ascii: ":"))
        compact = output.bytes
    }
}
