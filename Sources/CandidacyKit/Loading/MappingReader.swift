/// Reads the keys of one YAML mapping that has a fixed set of keys, such as a rule.
///
/// Creating a reader reports a node that is not a mapping and every key not in the set
/// (with "did you mean"); ``required(_:log:)`` reports a missing key.
struct MappingReader {
    /// The mapping node.
    let node: YAMLNode
    /// What the mapping is, for messages: `rule`, `therapy file`, `field 'age'`.
    let what: String
    private let pairs: [YAMLPair]

    /// Reads `node` as a mapping whose keys are among `keys`, or logs why it is not one.
    init?(_ node: YAMLNode, what: String, keys: [String], log: inout DiagnosticLog) {
        guard let pairs = node.pairs else {
            log.error(
                at: node.location, code: "wrong-type",
                "expected a mapping, found \(ScalarReader.describe(node))")
            return nil
        }
        self.node = node
        self.what = what
        self.pairs = pairs
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            guard !keys.contains(key) else { continue }
            let suggestion = Suggestion.didYouMean(key, in: keys)
            let hint = suggestion.isEmpty ? "; expected one of \(keys.joined(separator: ", "))" : suggestion
            log.error(
                at: pair.key.location, code: "unknown-key",
                "unknown key '\(ScalarReader.excerpt(key))' in \(what)\(hint)")
        }
    }

    /// Reads the root of a document as a mapping; an empty document is an error at 1:1.
    static func root(
        of document: YAMLDocument, what: String, keys: [String], log: inout DiagnosticLog
    ) -> MappingReader? {
        guard let root = document.root, !(root.isNull && root.scalarText == "") else {
            log.error(at: document.start, code: "wrong-type", "expected a mapping, found an empty document")
            return nil
        }
        return MappingReader(root, what: what, keys: keys, log: &log)
    }

    /// The pair for `key`, null or not.
    func pair(_ key: String) -> YAMLPair? {
        pairs.first { $0.key.scalarText == key }
    }

    /// The value of `key`, or `nil` when it is absent or null.
    func optional(_ key: String) -> YAMLNode? {
        guard let value = pair(key)?.value, !value.isNull else { return nil }
        return value
    }

    /// The value of `key`; when the key is absent, logs "`what` is missing required key".
    /// A null value is returned, so that the typed reader reports "found null".
    func required(_ key: String, log: inout DiagnosticLog) -> YAMLNode? {
        guard let value = pair(key)?.value else {
            log.error(at: node.location, code: "missing-key", "\(what) is missing required key '\(key)'")
            return nil
        }
        return value
    }

    /// The location of `key` itself, or of the mapping when it is absent.
    func keyLocation(_ key: String) -> SourceLocation {
        pair(key)?.key.location ?? node.location
    }
}
