/// Writes a JSON document straight into UTF-8 bytes as its events arrive: compact on one line,
/// or indented by two spaces with `": "` after keys.
///
/// The one place where Candidacy's JSON layout is decided: ``JSONValue/rendered(pretty:)``
/// writes its tree through it, and the reports stream into it without building a tree.
public struct JSONWriter: JSONSink {
    /// The bytes so far, with the low-level appends of the batch lines.
    var output = JSONBytes()
    /// Whether to indent.
    public let pretty: Bool
    /// How many containers are open.
    private var depth = 0
    /// Whether the innermost open container has no element yet.
    private var empty = true
    /// Whether a key was written and its value not yet.
    private var afterKey = false
    /// The lists and objects written as members' values in the current document, by the
    /// identity of their storage (``Value/storageIdentity``), with where their bytes are; each
    /// value is kept, so that its storage cannot be freed and reused for another while it is here.
    private var repeated: [UInt: (value: Value, bytes: Range<Int>)] = [:]

    /// - Parameters:
    ///   - pretty: Indent by two spaces, one member or element a line.
    ///   - capacity: The bytes to reserve.
    public init(pretty: Bool, capacity: Int = 0) {
        self.pretty = pretty
        output.reserveCapacity(capacity)
    }

    /// The document's bytes so far.
    public var bytes: [UInt8] {
        output.bytes
    }

    /// Takes the bytes written so far, leaving the writer empty (and ready for a new document).
    public mutating func takeBytes() -> [UInt8] {
        if !repeated.isEmpty { repeated.removeAll(keepingCapacity: true) }
        return output.takeBytes()
    }

    /// Before a key, or a value that is not a member's: the comma and, when indenting, the line.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        if !empty { output.byte(UInt8(ascii: ",")) }
        empty = false
        if pretty { newline() }
    }

    private mutating func newline() {
        output.byte(0x0A)
        output.append(UInt8(ascii: " "), count: 2 * depth)
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        output.byte(bracket)
        depth += 1
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if !empty, pretty { newline() }
        output.byte(bracket)
        // The container that held this one has at least this element.
        empty = false
        // A document ends: the values it holds are not the next one's.
        if depth == 0, !repeated.isEmpty { repeated.removeAll(keepingCapacity: true) }
    }

    public mutating func beginObject() {
        open(UInt8(ascii: "{"))
    }

    public mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        open(UInt8(ascii: "["))
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    public mutating func key(_ name: StaticString) {
        separate()
        output.key(name)
        if pretty { output.byte(UInt8(ascii: " ")) }
        afterKey = true
    }

    public mutating func key(named name: String) {
        separate()
        output.string(name)
        output.byte(UInt8(ascii: ":"))
        if pretty { output.byte(UInt8(ascii: " ")) }
        afterKey = true
    }

    public mutating func string(_ text: String) {
        separate()
        output.string(text)
    }

    public mutating func int(_ value: Int64) {
        separate()
        output.int(value)
    }

    public mutating func double(_ value: Double) {
        separate()
        output.utf8(JSONValue.number(value))
    }

    public mutating func bool(_ value: Bool) {
        separate()
        output.raw(value ? "true" : "false")
    }

    public mutating func null() {
        separate()
        output.raw("null")
    }

    public mutating func members(_ fragment: JSONFragment) {
        guard !pretty else { return eachMember(of: fragment) }
        guard !fragment.compact.isEmpty else { return }
        if !empty { output.byte(UInt8(ascii: ",")) }
        empty = false
        output.append(fragment.compact)
    }

    /// Compact, a member's list or object written before in this document is copied from its
    /// earlier bytes (the same storage holds the same value, so the bytes are the same).
    public mutating func repeatedValue(_ value: Value) {
        guard !pretty, afterKey, let identity = value.storageIdentity else { return self.value(value) }
        if let known = repeated[identity] {
            afterKey = false
            output.appendCopy(of: known.bytes)
            return
        }
        let start = output.count
        self.value(value)
        repeated[identity] = (value, start..<output.count)
    }

    /// Opens `containers` objects or arrays with bytes made before, the value the writer
    /// expects next: `{"rule":…,"values":{` opens two, the innermost empty. Compact documents only.
    mutating func open(raw bytes: [UInt8], containers: Int) {
        separate()
        output.append(bytes)
        depth += containers
        empty = true
    }

    /// Closes `containers` open objects or arrays with bytes made before, which may then open
    /// `reopening` more, the innermost empty: `},"missing":[],"because":"met"}` closes two,
    /// `},"missing":[],"because":"met","items":[` closes one and opens one. Compact documents only.
    mutating func close(raw bytes: [UInt8], containers: Int, reopening: Int = 0) {
        depth -= containers
        output.append(bytes)
        if reopening > 0 {
            depth += reopening
            empty = true
            return
        }
        empty = false
        if depth == 0, !repeated.isEmpty { repeated.removeAll(keepingCapacity: true) }
    }

    /// How many bytes are written (where the next one goes).
    var count: Int {
        output.count
    }

    /// A value whose bytes this document already holds at `range` (a value written before, at
    /// the same depth of the same writer), copied.
    mutating func copiedValue(_ range: Range<Int>) {
        separate()
        output.appendCopy(of: range)
    }

    public mutating func key(_ key: JSONKey) {
        guard !pretty else { return self.key(named: key.name) }
        separate()
        output.append(key.compact)
        afterKey = true
    }
}
