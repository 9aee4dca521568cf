/// Reads the records of a CSV cohort (RFC 4180, a header row first) into ``Patient``s,
/// checked by the validator of ``PatientLoader``.
///
/// Each header cell names a profile field; a nested field is a dotted path
/// (`labs.platelet_count`). A `list` or `object` field is one cell holding JSON
/// (`[{"treatment":"physical_therapy","weeks":12,"response":"partial"}]`). An empty cell is
/// absent (unknown); an object whose cells are all empty is absent too. Other cells are read
/// by their field's type as a plain YAML scalar is: digits for an `int`, `true`/`false` for a
/// `bool`, `YYYY-MM-DD` for a date, the text itself for a `string`. Cells may be quoted, with
/// `""` for a quote, and may then hold commas and line breaks.
public struct CSVPatientReader: Sendable {
    /// How a column's cells are read.
    enum CellKind: Sendable {
        /// A `string` field: the text, whatever it looks like.
        case text
        /// An `int`, `number`, `bool`, `date` or `enum` field: typed by its form.
        case scalar
        /// A `list` or `object` field: JSON.
        case json
    }

    /// The columns feeding one object, by field name in header order.
    indirect enum Column: Sendable {
        case cell(index: Int, kind: CellKind)
        case object([(name: String, column: Column)])
    }

    let validator: PatientValidator
    let columns: [(name: String, column: Column)]
    /// The number of cells in every record.
    public let columnCount: Int
    /// Where the header row's cells are, for messages.
    let headerLocations: [SourceLocation]
    /// The header row and the file, as given, for ``rebound(to:)``.
    private let header: [UInt8]
    private let file: String

    /// Reads the header row and maps its cells to the profile's fields.
    ///
    /// - Throws: ``DiagnosticError`` with every bad column at its `file:1:column`: a column that
    ///   names no field (with "did you mean"), a dotted path into a list or a scalar, a column
    ///   named twice, or one that names an object whose fields have columns of their own.
    public init(header: some Collection<UInt8>, file: String, profile: ProfileSchema) throws(DiagnosticError) {
        self.header = Array(header)
        self.file = file
        var bytes = self.header
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.last == 0x0D { bytes.removeLast() }
        let cells = try bytes.withUnsafeBufferPointer { buffer throws(DiagnosticError) in
            try Self.cells(buffer, file: file, line: 1, jsonColumns: [])
        }
        var log = DiagnosticLog()
        var root: [(name: String, column: Column)] = []
        for (index, cell) in cells.enumerated() {
            let name = String(decoding: cell.content, as: UTF8.self)
            let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if let problem = Self.insert(path: path[...], index: index, fields: profile.fields, into: &root, prefix: nil) {
                log.error(at: cell.location, code: problem.code, "column '\(ScalarReader.excerpt(name))': \(problem.message)", field: name)
            }
        }
        guard log.isEmpty else { throw DiagnosticError(log.diagnostics) }
        validator = PatientValidator(profile: profile)
        columns = root
        columnCount = cells.count
        headerLocations = cells.map(\.location)
    }

    /// The same reader for `profile` (an equal profile, such as a batch worker's own copy of
    /// the pack's), or `nil` when its header does not map onto that profile.
    func rebound(to profile: ProfileSchema) -> CSVPatientReader? {
        try? CSVPatientReader(header: header, file: file, profile: profile)
    }

    /// Adds a column at `path` to the tree; the problem when it cannot be added.
    private static func insert(
        path: ArraySlice<String>, index: Int, fields: [FieldSchema], into columns: inout [(name: String, column: Column)],
        prefix: String?
    ) -> (code: String, message: String)? {
        guard let name = path.first else { return ("unknown-field", "an empty column name") }
        let names = fields.map(\.name)
        let here = prefix.map { "\($0).\(name)" } ?? name
        guard let field = fields.first(where: { $0.name == name }) else {
            let place = prefix.map { " in \($0)" } ?? ""
            return ("unknown-field", "unknown field '\(ScalarReader.excerpt(name))'\(place)" + Suggestion.didYouMean(name, in: names))
        }
        let existing = columns.firstIndex { $0.name == name }
        if path.count == 1 {
            guard existing == nil else {
                return ("duplicate-column", "\(here) has a column already (or columns for its fields)")
            }
            let kind: CellKind
            switch field.type {
            case .string: kind = .text
            case .list, .object: kind = .json
            default: kind = .scalar
            }
            columns.append((name, .cell(index: index, kind: kind)))
            return nil
        }
        guard case .object(let inner) = field.type else {
            let what = if case .list = field.type { "a list: write its items as JSON in one cell" } else { "not an object" }
            return ("wrong-type", "\(here) is \(what)")
        }
        var children: [(name: String, column: Column)] = []
        if let existing {
            guard case .object(let current) = columns[existing].column else {
                return ("duplicate-column", "\(here) has a column of its own already")
            }
            children = current
        }
        if let problem = insert(path: path.dropFirst(), index: index, fields: inner, into: &children, prefix: here) {
            return problem
        }
        if let existing {
            columns[existing].column = .object(children)
        } else {
            columns.append((name, .object(children)))
        }
        return nil
    }

    /// Reads one record.
    ///
    /// - Parameters:
    ///   - record: The record's bytes, without its final line break.
    ///   - file: The path to name in locations and as the patient's file.
    ///   - line: The line the record starts on.
    public func patient(record: some Collection<UInt8>, file: String, line: Int) throws(DiagnosticError) -> Patient {
        var bytes = Array(record)
        if bytes.last == 0x0D { bytes.removeLast() }
        let start = SourceLocation(file: file, line: line, column: 1)
        guard !bytes.isEmpty else {
            throw DiagnosticError(.error(at: start, code: "wrong-type", "blank line: expected a record of \(columnCount) cells"))
        }
        let root = try bytes.withUnsafeBufferPointer { buffer throws(DiagnosticError) in
            var isText = true
            for byte in buffer where byte >= 0x7F || (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) {
                isText = false
                break
            }
            if !isText {
                do throws(DiagnosticError) {
                    try TextCheck.check(Array(buffer), file: file)
                } catch {
                    throw DiagnosticError(error.diagnostics.map { diagnostic in
                        var moved = diagnostic
                        moved.location.line += line - 1
                        return moved
                    })
                }
            }
            let cells = try Self.cells(buffer, file: file, line: line, jsonColumns: jsonColumns)
            guard cells.count == columnCount else {
                throw DiagnosticError(.error(
                    at: start, code: "wrong-type",
                    "record has \(cells.count) \(cells.count == 1 ? "cell" : "cells"): the header has \(columnCount)"))
            }
            var log = DiagnosticLog()
            let node = object(columns, cells: cells, location: start, log: &log) ?? YAMLNode(content: .mapping([]), location: start)
            guard log.isEmpty else { throw DiagnosticError(log.diagnostics) }
            return node
        }
        return try validator.patient(from: root, file: file, start: start)
    }

    private var jsonColumns: Set<Int> {
        var result: Set<Int> = []
        func collect(_ columns: [(name: String, column: Column)]) {
            for (_, column) in columns {
                switch column {
                case .cell(let index, .json): result.insert(index)
                case .cell: break
                case .object(let inner): collect(inner)
                }
            }
        }
        collect(columns)
        return result
    }

    /// The mapping for an object's columns; `nil` when every cell is empty.
    private func object(
        _ columns: [(name: String, column: Column)], cells: [Cell], location: SourceLocation, log: inout DiagnosticLog
    ) -> YAMLNode? {
        var pairs: [YAMLPair] = []
        for (name, column) in columns {
            let value: YAMLNode?
            switch column {
            case .cell(let index, let kind):
                value = node(cells[index], kind: kind, log: &log)
            case .object(let inner):
                value = object(inner, cells: cells, location: location, log: &log)
            }
            guard let value else { continue }
            pairs.append(YAMLPair(key: YAMLNode(content: .scalar(name, .plain), location: value.location), value: value))
        }
        guard let first = pairs.first else { return nil }
        return YAMLNode(content: .mapping(pairs), location: first.value.location)
    }

    /// The node of one cell; `nil` when the cell is empty.
    private func node(_ cell: Cell, kind: CellKind, log: inout DiagnosticLog) -> YAMLNode? {
        guard !cell.content.isEmpty else { return nil }
        switch kind {
        case .text:
            return YAMLNode(content: .scalar(String(decoding: cell.content, as: UTF8.self), .doubleQuoted), location: cell.location)
        case .scalar:
            let text = String(decoding: cell.content, as: UTF8.self)
            // Only an empty cell is absent: a cell reading `null` is text, not YAML's null.
            let style: ScalarStyle = ["~", "null", "Null", "NULL"].contains(text) ? .singleQuoted : .plain
            return YAMLNode(content: .scalar(text, style), location: cell.location)
        case .json:
            let locator = OffsetLocator(
                file: cell.location.file, table: cell.positions,
                end: cell.positions.last.map { ($0.line, $0.column + 1) } ?? (cell.location.line, cell.location.column))
            do throws(DiagnosticError) {
                return try cell.content.withUnsafeBufferPointer { buffer throws(DiagnosticError) in
                    try JSONLineReader.parse(buffer, start: 0, locator: locator)
                }
            } catch {
                log.append(contentsOf: error.diagnostics)
                return nil
            }
        }
    }

    // MARK: - Cells

    /// One cell: its text (quotes removed), where it starts, and for JSON cells where each of
    /// its bytes is in the file.
    struct Cell {
        var content: [UInt8]
        var location: SourceLocation
        var positions: [(line: Int, column: Int)]
    }

    /// Splits a record into cells (RFC 4180).
    static func cells(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int, jsonColumns: Set<Int>
    ) throws(DiagnosticError) -> [Cell] {
        var cells: [Cell] = []
        var index = 0
        var currentLine = line
        var column = 1
        func advance() {
            let byte = bytes[index]
            if byte == 0x0A {
                currentLine += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        func fail(_ message: String) -> DiagnosticError {
            DiagnosticError(.error(at: SourceLocation(file: file, line: currentLine, column: column), code: "csv-syntax", message))
        }
        while true {
            let location = SourceLocation(file: file, line: currentLine, column: column)
            let tracks = jsonColumns.contains(cells.count)
            var cell = Cell(content: [], location: location, positions: [])
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                advance()
                while true {
                    guard index < bytes.count else {
                        throw DiagnosticError(.error(at: location, code: "csv-syntax", "unterminated quoted cell: expected a closing '\"'"))
                    }
                    if bytes[index] == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            if tracks { cell.positions.append((currentLine, column)) }
                            cell.content.append(UInt8(ascii: "\""))
                            advance()
                            advance()
                            continue
                        }
                        advance()
                        break
                    }
                    if tracks { cell.positions.append((currentLine, column)) }
                    cell.content.append(bytes[index])
                    advance()
                }
                if index < bytes.count, bytes[index] != UInt8(ascii: ",") {
                    throw fail("unexpected character after a closing quote: expected ',' or the end of the record")
                }
            } else {
                while index < bytes.count, bytes[index] != UInt8(ascii: ",") {
                    if bytes[index] == UInt8(ascii: "\"") {
                        throw fail("a quote inside an unquoted cell: quote the whole cell and write a quote in it as \"\"")
                    }
                    if tracks { cell.positions.append((currentLine, column)) }
                    cell.content.append(bytes[index])
                    advance()
                }
            }
            // The scalar limit of a .yaml or .json file (docs/LIMITS.md), with the same message;
            // a JSON cell (a list or object) is parsed under the JSON limits instead.
            if !tracks, cell.content.count > LoadingLimits.maximumScalarLength,
               let message = LoadingLimits.scalarTooLong(cell.content.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }) {
                throw DiagnosticError(.error(at: cell.location, code: "limit-exceeded", message))
            }
            cells.append(cell)
            guard index < bytes.count else { return cells }
            advance()  // the comma
        }
    }
}
