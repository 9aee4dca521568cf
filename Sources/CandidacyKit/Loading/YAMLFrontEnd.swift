import Foundation
internal import Yams

/// Reads YAML (and JSON, which libyaml parses as YAML) into ``YAMLDocument``s.
///
/// This is the only file that touches Yams: it checks the bytes, lets libyaml compose the
/// node tree, and converts that tree, enforcing ``LoadingLimits`` as it goes. Every failure
/// is a ``DiagnosticError`` at the line and column where the problem is.
enum YAMLFrontEnd {
    /// Reads a file's bytes: a missing, unreadable or non-regular file is an `.unreadable`
    /// error naming it; one larger than ``LoadingLimits/maximumFileSize`` is `.invalid`.
    static func readFile(atPath path: String) throws(DiagnosticError) -> [UInt8] {
        let start = SourceLocation(file: path, line: 1, column: 1)
        func unreadable(_ reason: String) -> DiagnosticError {
            DiagnosticError(.error(at: start, code: "unreadable-file", "cannot read the file: \(reason)"), kind: .unreadable)
        }
        // stat follows symbolic links: a link to a regular file is read like the file itself.
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            var link = stat()
            let isLink = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
            switch code {
            case ELOOP: throw unreadable("it is a symbolic link in a loop")
            case ENOENT where isLink: throw unreadable("it is a symbolic link to a missing file")
            case ENOENT, ENOTDIR: throw unreadable("no such file")
            case EACCES: throw unreadable("permission denied")
            default: throw unreadable(String(cString: strerror(code)))
            }
        }
        let type = status.st_mode & S_IFMT
        guard type != S_IFDIR else { throw unreadable("it is a folder") }
        guard type == S_IFREG else {
            var link = stat()
            let viaLink = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
            let kind = switch type {
            case S_IFCHR: "a character device"
            case S_IFBLK: "a block device"
            case S_IFIFO: "a named pipe"
            case S_IFSOCK: "a socket"
            default: "not a regular file"
            }
            throw unreadable(viaLink ? "it is a symbolic link to \(kind), not a regular file" : "it is \(kind), not a regular file")
        }
        if Int(status.st_size) > LoadingLimits.maximumFileSize {
            throw DiagnosticError(tooLarge(Int(status.st_size), at: start))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw unreadable("permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: LoadingLimits.maximumFileSize + 1) ?? Data()
        } catch {
            throw unreadable("read failed")
        }
        guard data.count <= LoadingLimits.maximumFileSize else {
            throw DiagnosticError(tooLarge(data.count, at: start))
        }
        return [UInt8](data)
    }

    private static func tooLarge(_ size: Int, at location: SourceLocation) -> Diagnostic {
        .error(
            at: location, code: "limit-exceeded",
            "file is \(size) bytes: at most \(LoadingLimits.maximumFileSize) bytes are accepted")
    }

    /// Parses one YAML document from a file's bytes.
    static func parse(_ bytes: [UInt8], file: String) throws(DiagnosticError) -> YAMLDocument {
        if bytes.count > LoadingLimits.maximumFileSize {
            throw DiagnosticError(tooLarge(bytes.count, at: SourceLocation(file: file, line: 1, column: 1)))
        }
        try TextCheck.check(bytes, file: file)
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let text = String(decoding: body, as: UTF8.self)
        try TextCheck.checkAliasKeys(text, file: file)
        let lines = splitLines(text)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, Resolver.basic, Constructor.default, .utf8)
        } catch let error as YamlError {
            throw DiagnosticError(diagnostic(for: error, text: text, file: file))
        } catch {
            throw DiagnosticError(.error(
                at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-syntax", "cannot parse the YAML: \(error)"))
        }
        guard let node else { return YAMLDocument(file: file, root: nil, lines: lines) }
        var converter = Converter(file: file)
        let root: YAMLNode
        do {
            root = try converter.convert(node, depth: 1, parent: SourceLocation(file: file, line: 1, column: 1))
        } catch {
            throw DiagnosticError(error.diagnostic)
        }
        return YAMLDocument(file: file, root: root, lines: lines)
    }

    /// The text's lines without their breaks, as YAML counts them: a line ends at `\n`, `\r\n`
    /// or a lone `\r`. Split on UTF-8 bytes, not `Character`s (which would be far slower, and
    /// would see `\r\n` as one character that is not `\n`).
    static func splitLines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var lines: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lines.append(Substring(utf8[start..<index]))
                index = utf8.index(after: index)
                if byte == UInt8(ascii: "\r"), index != utf8.endIndex, utf8[index] == UInt8(ascii: "\n") {
                    index = utf8.index(after: index)
                }
                start = index
            } else {
                index = utf8.index(after: index)
            }
        }
        lines.append(Substring(utf8[start..<utf8.endIndex]))
        return lines
    }

    // MARK: - Yams errors

    /// Where a duplicated key is written again, for a better location than Yams gives (the
    /// first one): the next place, at or after the first, where the key, bare or quoted,
    /// starts a line at the same column or follows `{` or `,`, and is followed by `:`.
    private static func secondOccurrence(of key: String, after mark: Mark, in text: String, file: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        func isKeyAt(_ line: [Unicode.Scalar], _ column: Int) -> Bool {
            for spelling in spellings {
                let scalars = Array(spelling.unicodeScalars)
                guard column + scalars.count <= line.count, Array(line[column..<column + scalars.count]) == scalars else {
                    continue
                }
                let rest = line[(column + scalars.count)...].drop { $0 == " " || $0 == "\t" }
                if rest.first == ":" { return true }
            }
            return false
        }
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let keyColumn = mark.column - 1
        for index in (mark.line - 1)..<lines.count {
            let line = Array(lines[index].unicodeScalars)
            var before: Unicode.Scalar?
            for column in 0..<line.count {
                defer { if line[column] != " " && line[column] != "\t" { before = line[column] } }
                guard index > mark.line - 1 || column > keyColumn else { continue }
                // A block key at the first one's column, or a flow key after `{` or `,`.
                let startsKey = before == nil ? column == keyColumn : (before == "{" || before == ",")
                if startsKey, isKeyAt(line, column) {
                    return SourceLocation(file: file, line: index + 1, column: column + 1)
                }
            }
        }
        return nil
    }

    private static func diagnostic(for error: YamlError, text: String, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
        }
        func message(_ problem: String, _ context: YamlError.Context?) -> String {
            if problem.hasPrefix("Maximum nesting level reached") {
                return "lists and mappings nest too deeply: at most \(LoadingLimits.maximumNestingDepth) levels are accepted"
            }
            if problem == "but found another document" {
                return "found a second document: a file holds exactly one"
            }
            guard let context else { return problem }
            return "\(problem) (\(context.text) at \(context.mark.line):\(context.mark.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return .error(at: at(mark), code: "yaml-syntax", message(problem, context))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let first = at(context.mark)
            if duplicates.count == 1, let key = duplicates.first,
                let second = secondOccurrence(of: key, after: context.mark, in: text, file: file) {
                return .error(
                    at: second, code: "duplicate-key",
                    "duplicate key '\(key)': already written at \(first.line):\(first.column)")
            }
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key" : "keys"
            return .error(
                at: first, code: "duplicate-key",
                "duplicate \(noun) \(keys) in one mapping: each key may appear only once")
        case .reader(let problem, let offset, _, _):
            var location = SourceLocation(file: file, line: 1, column: 1)
            if let offset, let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) {
                location = TextCheck.location(of: text[..<index].unicodeScalars, file: file)
            }
            return .error(at: location, code: "yaml-syntax", problem)
        case .memory:
            return .error(at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-syntax", "out of memory while parsing")
        default:
            return .error(at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-syntax", "cannot parse the YAML: \(error)")
        }
    }
}

/// Why the conversion stopped: a limit was exceeded.
private struct ConversionStop: Error {
    var diagnostic: Diagnostic
}

/// Converts Yams nodes into ``YAMLNode``s, counting nodes as aliases are expanded.
private struct Converter {
    let file: String
    /// Nodes converted so far, aliases expanded.
    var nodeCount = 0
    /// The furthest position reached outside alias expansions. A node that starts before it
    /// can only be an alias of an earlier anchor.
    var furthest = (line: 0, column: 0)
    /// Where the alias expansion being converted was used (the collection holding the alias).
    var aliasSite: SourceLocation?

    init(file: String) {
        self.file = file
    }

    mutating func convert(_ node: Node, depth: Int, parent: SourceLocation) throws(ConversionStop) -> YAMLNode {
        let position = (line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        let location = SourceLocation(file: file, line: position.line, column: position.column)
        let enteredAlias = aliasSite == nil && position < furthest
        if enteredAlias { aliasSite = parent }
        defer { if enteredAlias { aliasSite = nil } }
        if aliasSite == nil, position > furthest { furthest = position }

        nodeCount += 1
        if nodeCount > LoadingLimits.maximumNodeCount {
            if let aliasSite {
                throw stop(aliasSite, "alias expansion exceeds \(LoadingLimits.maximumNodeCount) nodes")
            }
            throw stop(location, "the document has more than \(LoadingLimits.maximumNodeCount) nodes")
        }
        if depth > LoadingLimits.maximumNestingDepth, node.scalar == nil {
            throw stop(
                aliasSite ?? location,
                "lists and mappings nest too deeply: at most \(LoadingLimits.maximumNestingDepth) levels are accepted")
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(content: .scalar(scalar.string, try style(of: scalar, at: location)), location: location)
        case .sequence(let sequence):
            try checkTag(sequence.tag, at: location)
            guard sequence.count <= LoadingLimits.maximumCollectionCount else {
                throw stop(
                    location,
                    "list has \(sequence.count) items: at most \(LoadingLimits.maximumCollectionCount) are accepted")
            }
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, depth: depth + 1, parent: location))
            }
            return YAMLNode(content: .sequence(items), location: location)
        case .mapping(let mapping):
            try checkTag(mapping.tag, at: location)
            guard mapping.count <= LoadingLimits.maximumCollectionCount else {
                throw stop(
                    location,
                    "mapping has \(mapping.count) keys: at most \(LoadingLimits.maximumCollectionCount) are accepted")
            }
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let convertedKey = try convert(key, depth: depth + 1, parent: location)
                guard convertedKey.scalarText != nil else {
                    let found = convertedKey.items != nil ? "a list" : "a mapping"
                    throw stop(convertedKey.location, "expected a key, found \(found): keys are names", code: "wrong-type")
                }
                pairs.append(YAMLPair(key: convertedKey, value: try convert(value, depth: depth + 1, parent: location)))
            }
            return YAMLNode(content: .mapping(pairs), location: location)
        case .alias:
            throw stop(location, "unexpected alias node")
        }
    }

    private func style(of scalar: Node.Scalar, at location: SourceLocation) throws(ConversionStop) -> ScalarStyle {
        var count = 0
        for _ in scalar.string.unicodeScalars {
            count += 1
        }
        if let message = LoadingLimits.scalarTooLong(count) { throw stop(location, message) }
        let style: ScalarStyle
        switch scalar.style {
        case .singleQuoted: style = .singleQuoted
        case .doubleQuoted: style = .doubleQuoted
        case .literal: style = .literal
        case .folded: style = .folded
        case .plain, .any: style = .plain
        }
        let tag = scalar.tag.rawValue
        if tag == Tag.Name.implicit.rawValue { return style }
        if tag == Tag.Name.str.rawValue {
            // `!!str 34` is a string, as a quoted scalar is.
            return style == .plain ? .singleQuoted : style
        }
        throw stop(location, "tag '\(tag)' is not accepted: values are typed by the field they fill", code: "yaml-tag")
    }

    private func checkTag(_ tag: Tag, at location: SourceLocation) throws(ConversionStop) {
        let name = tag.rawValue
        guard [Tag.Name.implicit, .seq, .map].contains(where: { $0.rawValue == name }) else {
            throw stop(location, "tag '\(name)' is not accepted: values are typed by the field they fill", code: "yaml-tag")
        }
    }

    private func stop(_ location: SourceLocation, _ message: String, code: String = "limit-exceeded") -> ConversionStop {
        ConversionStop(diagnostic: .error(at: location, code: code, message))
    }
}
