/// A YAML document's node tree in a compact binary form, so that the pack the binary carries is
/// not parsed again at every start (`scripts/embed-rules.py` writes it with libyaml's events,
/// and `ShippedRulesTests` checks that it decodes to exactly the tree ``YAMLFrontEnd`` parses).
///
/// The form is the nodes in pre-order: a kind byte (0 scalar, 1 list, 2 mapping), the line and
/// the column as unsigned LEB128 numbers, then for a scalar its style byte (0 plain, 1 single-
/// quoted, 2 double-quoted, 3 literal, 4 folded), its length in bytes and its UTF-8 bytes; for a
/// list or a mapping its count of items or pairs, then the items, or each key and value. An
/// empty archive is an empty document.
enum PreparsedYAML {
    /// The archive of a document's root node.
    static func encode(_ root: YAMLNode?) -> [UInt8] {
        var bytes: [UInt8] = []
        if let root { encode(root, into: &bytes) }
        return bytes
    }

    private static func encode(_ node: YAMLNode, into bytes: inout [UInt8]) {
        func number(_ value: Int) {
            var rest = UInt64(max(0, value))
            repeat {
                let low = UInt8(rest & 0x7F)
                rest >>= 7
                bytes.append(rest == 0 ? low : low | 0x80)
            } while rest != 0
        }
        switch node.content {
        case .scalar(let text, let style):
            bytes.append(0)
            number(node.location.line)
            number(node.location.column)
            bytes.append(styleCode(style))
            number(text.utf8.count)
            bytes.append(contentsOf: text.utf8)
        case .sequence(let items):
            bytes.append(1)
            number(node.location.line)
            number(node.location.column)
            number(items.count)
            for item in items { encode(item, into: &bytes) }
        case .mapping(let pairs):
            bytes.append(2)
            number(node.location.line)
            number(node.location.column)
            number(pairs.count)
            for pair in pairs {
                encode(pair.key, into: &bytes)
                encode(pair.value, into: &bytes)
            }
        }
    }

    private static func styleCode(_ style: ScalarStyle) -> UInt8 {
        switch style {
        case .plain: 0
        case .singleQuoted: 1
        case .doubleQuoted: 2
        case .literal: 3
        case .folded: 4
        }
    }

    /// The document an archive holds, with `text` (the file's bytes) for its source lines; `nil`
    /// when the archive is malformed (then the caller parses the text).
    static func document(_ archive: [UInt8], text: [UInt8], file: String) -> YAMLDocument? {
        var body = text[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let lines = YAMLFrontEnd.splitLines(String(decoding: body, as: UTF8.self))
        if archive.isEmpty { return YAMLDocument(file: file, root: nil, lines: lines) }
        var reader = Reader(bytes: archive, file: file)
        guard let root = reader.node(depth: 1), reader.index == archive.count else { return nil }
        return YAMLDocument(file: file, root: root, lines: lines)
    }

    private struct Reader {
        let bytes: [UInt8]
        let file: String
        var index = 0

        mutating func number() -> Int? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count, shift < 63 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value <= UInt64(Int.max) ? Int(value) : nil }
                shift += 7
            }
            return nil
        }

        mutating func node(depth: Int) -> YAMLNode? {
            guard depth <= LoadingLimits.maximumNestingDepth + 1, index < bytes.count else { return nil }
            let kind = bytes[index]
            index += 1
            guard let line = number(), let column = number() else { return nil }
            let location = SourceLocation(file: file, line: line, column: column)
            switch kind {
            case 0:
                guard index < bytes.count, let style = Self.style(bytes[index]) else { return nil }
                index += 1
                guard let length = number(), length <= bytes.count - index else { return nil }
                let text = String(decoding: bytes[index..<index + length], as: UTF8.self)
                index += length
                return YAMLNode(content: .scalar(text, style), location: location)
            case 1:
                guard let count = number(), count <= bytes.count - index else { return nil }
                var items: [YAMLNode] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard let item = node(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                return YAMLNode(content: .sequence(items), location: location)
            case 2:
                guard let count = number(), count <= bytes.count - index else { return nil }
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity(count)
                for _ in 0..<count {
                    guard let key = node(depth: depth + 1), let value = node(depth: depth + 1) else { return nil }
                    pairs.append(YAMLPair(key: key, value: value))
                }
                return YAMLNode(content: .mapping(pairs), location: location)
            default:
                return nil
            }
        }

        static func style(_ code: UInt8) -> ScalarStyle? {
            switch code {
            case 0: .plain
            case 1: .singleQuoted
            case 2: .doubleQuoted
            case 3: .literal
            case 4: .folded
            default: nil
            }
        }
    }
}
