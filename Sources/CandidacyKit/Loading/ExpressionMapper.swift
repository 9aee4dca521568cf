/// Builds the ``ExpressionSource`` of a `when` scalar: its text, and where each of the text's
/// lines starts in the file.
///
/// - A plain scalar starts at its own location; a quoted one a column after its quote.
/// - A literal block scalar (`|`) maps exactly: text line *i* is source line *i* after the
///   header, starting at the block's indentation (that of its first non-blank line).
/// - Folded block scalars (`>`) and plain or quoted scalars that span lines are mapped by
///   finding, on the following source lines, the line on which each text line begins. This is
///   exact unless a quoted scalar holds escape sequences (`\"`, `\n`, `\u00e9`…) or a line
///   break escaped with `\`: positions after an escape on that line are then shifted by the
///   length difference between the escape and what it stands for.
enum ExpressionMapper {
    static func source(text: String, style: ScalarStyle, at location: SourceLocation, lines: [Substring]) -> ExpressionSource {
        let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        switch style {
        case .plain, .singleQuoted, .doubleQuoted:
            let start = style == .plain ? location : location.advanced(byColumns: 1)
            guard textLines.count > 1 else { return ExpressionSource(text: text, at: start) }
            var starts = [start]
            starts += follow(textLines.dropFirst(), from: location.line, lines: lines, file: location.file)
            return ExpressionSource(text: text, lineStarts: starts)
        case .literal:
            let indent = blockIndentation(after: location.line, lines: lines)
            let starts = textLines.indices.map { index in
                SourceLocation(file: location.file, line: location.line + 1 + index, column: indent + 1)
            }
            return ExpressionSource(text: text, lineStarts: starts.isEmpty ? [location] : starts)
        case .folded:
            let starts = follow(textLines[...], from: location.line, lines: lines, file: location.file)
            return ExpressionSource(text: text, lineStarts: starts.isEmpty ? [location] : starts)
        }
    }

    /// The start of each text line, searching forward from the 0-based source line `cursor`
    /// (the line after the one the scalar started on).
    private static func follow(
        _ textLines: ArraySlice<Substring>, from cursor: Int, lines: [Substring], file: String
    ) -> [SourceLocation] {
        var cursor = cursor
        var starts: [SourceLocation] = []
        for textLine in textLines {
            let wanted = textLine.drop { $0 == " " || $0 == "\t" }.prefix(12)
            var found: Int?
            if !wanted.isEmpty {
                var index = cursor
                while index < min(lines.count, cursor + 1_000), found == nil {
                    if lines[index].drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(wanted) { found = index }
                    index += 1
                }
            }
            let line = min(found ?? cursor, max(lines.count - 1, 0))
            let indent = lines.isEmpty ? 0 : indentation(of: lines[line])
            starts.append(SourceLocation(file: file, line: line + 1, column: indent + 1))
            cursor = line + 1
        }
        return starts
    }

    /// The indentation of the first non-blank line after the 1-based line `header`.
    private static func blockIndentation(after header: Int, lines: [Substring]) -> Int {
        var index = header
        while index < lines.count {
            if lines[index].contains(where: { $0 != " " && $0 != "\t" }) { return indentation(of: lines[index]) }
            index += 1
        }
        return 0
    }

    /// The number of leading spaces and tabs, in Unicode scalars.
    private static func indentation(of line: Substring) -> Int {
        line.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
    }
}
