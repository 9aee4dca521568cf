/// How a scalar was written in the source.
enum ScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// A literal block scalar, `|`.
    case literal
    /// A folded block scalar, `>`.
    case folded
}

/// A YAML node with its location: the loaders' own view of a parsed document, free of Yams types.
struct YAMLNode: Sendable, Equatable {
    /// What a node holds.
    enum Content: Sendable, Equatable {
        /// A scalar's text, exactly as YAML gives it, and how it was written.
        case scalar(String, ScalarStyle)
        /// A mapping's key/value pairs, in source order.
        case mapping([YAMLPair])
        /// A list's items, in source order.
        case sequence([YAMLNode])
    }

    /// What the node holds.
    var content: Content
    /// Where the node starts: its first character (for a quoted scalar, the quote; for a
    /// block scalar, the `|` or `>`).
    var location: SourceLocation

    /// The scalar's text, whatever its style; `nil` for a list or a mapping.
    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The mapping's pairs, or `nil`.
    var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The list's items, or `nil`.
    var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// Whether this is a plain scalar, the only form YAML types as null, bool or number.
    var isPlainScalar: Bool {
        if case .scalar(_, .plain) = content { return true }
        return false
    }

    /// Whether this is a null: a plain `null`, `Null`, `NULL`, `~` or nothing at all.
    var isNull: Bool {
        guard case .scalar(let text, .plain) = content else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }
}

/// One key and value of a mapping.
struct YAMLPair: Sendable, Equatable {
    var key: YAMLNode
    var value: YAMLNode
}

/// A parsed file: its root node (nil when the file holds no document) and its source lines,
/// which the loaders use to map multi-line expressions back to the file.
struct YAMLDocument: Sendable {
    /// The path of the file, as given.
    var file: String
    /// The root node, or `nil` for an empty file or one holding only comments.
    var root: YAMLNode?
    /// The source text split at line breaks, without the breaks.
    var lines: [Substring]

    /// The start of the file, for errors about the whole document.
    var start: SourceLocation { SourceLocation(file: file, line: 1, column: 1) }
}
