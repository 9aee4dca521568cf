/// Turns byte offsets in a line of text into `file:line:column` locations, columns counted in
/// Unicode scalars as libyaml counts them.
///
/// Offsets are usually asked for in increasing order, so the scalars are counted once from
/// the previous answer; an earlier offset is counted again from the start. A table gives the
/// location of every byte instead, for text taken out of a quoted CSV cell, whose bytes sit at
/// other places in the file.
struct OffsetLocator {
    private let file: String
    private let line: Int
    private let firstColumn: Int
    private let isASCII: Bool
    /// The offset where counting starts (after a byte order mark), and its column.
    private let origin: Int
    private var cursor: Int
    private var cursorColumn: Int
    private let table: [(line: Int, column: Int)]?

    /// Locations in one line whose first byte (at `origin`) is at `column`.
    init(file: String, line: Int, column: Int = 1, origin: Int = 0, isASCII: Bool) {
        self.file = file
        self.line = line
        firstColumn = column
        self.isASCII = isASCII
        self.origin = origin
        cursor = origin
        cursorColumn = column
        table = nil
    }

    /// Locations looked up byte by byte; offsets at or past the end take the last entry's line
    /// and the column after it.
    init(file: String, table: [(line: Int, column: Int)], end: (line: Int, column: Int)) {
        self.file = file
        line = end.line
        firstColumn = end.column
        isASCII = true
        origin = 0
        cursor = 0
        cursorColumn = 0
        self.table = table + [end]
    }

    mutating func location(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        if let table {
            let entry = table[min(max(offset, 0), table.count - 1)]
            return SourceLocation(file: file, line: entry.line, column: entry.column)
        }
        if isASCII { return SourceLocation(file: file, line: line, column: firstColumn + offset - origin) }
        if offset < cursor {
            cursor = origin
            cursorColumn = firstColumn
        }
        var column = cursorColumn
        var index = cursor
        let end = min(offset, bytes.count)
        while index < end {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        cursor = end
        cursorColumn = column
        return SourceLocation(file: file, line: line, column: column)
    }
}
