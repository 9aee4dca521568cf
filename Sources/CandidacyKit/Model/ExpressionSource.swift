/// The text of a CEL expression as written in a rule file, with the means to map a
/// position inside the text back to the file's line and column.
public struct ExpressionSource: Sendable, Hashable {
    /// The expression's text, after YAML has removed quotes, escapes and indentation.
    public var text: String
    /// Where each line of `text` starts in the file; `lineStarts[0]` is where the text starts.
    ///
    /// A position on line `n` of the text (0-based), `k` Unicode scalars into that line,
    /// maps to `lineStarts[n]` advanced by `k` columns. Quoted scalars with escape
    /// sequences map only approximately; plain, single-line and block scalars map exactly.
    public var lineStarts: [SourceLocation]

    /// Creates a source whose text starts at one location and continues on the lines given.
    public init(text: String, lineStarts: [SourceLocation]) {
        self.text = text
        self.lineStarts = lineStarts
    }

    /// Creates a source written on one line at `location`.
    public init(text: String, at location: SourceLocation) {
        self.init(text: text, lineStarts: [location])
    }

    /// Where the expression starts in the file.
    public var location: SourceLocation { lineStarts[0] }

    /// The file location of the Unicode scalar at `offset` (0-based) in `text`.
    public func location(atScalarOffset offset: Int) -> SourceLocation {
        var line = 0
        var column = 0
        var index = 0
        for scalar in text.unicodeScalars {
            if index == offset { break }
            if scalar == "\n" {
                line += 1
                column = 0
            } else {
                column += 1
            }
            index += 1
        }
        let start = lineStarts[min(line, lineStarts.count - 1)]
        return start.advanced(byColumns: column)
    }
}
