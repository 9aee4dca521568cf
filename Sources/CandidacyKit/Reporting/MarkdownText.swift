/// Building blocks for Markdown output that keep text from a rule pack from being read as
/// formatting: escaped inline text, code spans and blocks that survive any backticks, and
/// GitHub-flavoured tables whose cells cannot break the table.
enum MarkdownText {
    /// The ASCII punctuation that CommonMark or GitHub-flavoured Markdown may read as inline
    /// formatting, links, HTML or table structure.
    private static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~"]

    /// `text` with Markdown's special characters escaped, and `&` escaped where it would start
    /// an entity (`&amp;`, `&#38;`); line breaks are kept.
    static func escape(_ text: String) -> String {
        var output = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            if special.contains(character) || (character == "&" && startsEntity(characters, at: index)) {
                output.append("\\")
            }
            output.append(character)
        }
        return output
    }

    /// `text` escaped, with every run of whitespace (line breaks included) made one space and
    /// the ends trimmed: one line, safe inside a paragraph, a list item or a table cell.
    static func inline(_ text: String) -> String {
        escape(collapsed(text))
    }

    /// `text` as a paragraph of its own: ``inline(_:)``, with a leading character that would
    /// start a list, a heading underline or a numbered item escaped.
    static func paragraph(_ text: String) -> String {
        let line = inline(text)
        guard let first = line.first else { return line }
        if "-+=".contains(first) { return "\\" + line }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let next = line.dropFirst(digits.count).first, next == "." || next == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        return line
    }

    /// `text` as one code span, its whitespace collapsed to single spaces; in a table (`inTable`),
    /// with `|` escaped as GitHub-flavoured Markdown requires even inside code.
    static func code(_ text: String, inTable: Bool = false) -> String {
        var content = collapsed(text)
        if content.isEmpty { return "" }
        let fence = String(repeating: "`", count: longestBacktickRun(in: content) + 1)
        if content.first == "`" || content.last == "`" || (content.first == " " && content.last == " ") {
            content = " " + content + " "
        }
        if inTable { content = content.replacingOccurrences(of: "|", with: "\\|") }
        return fence + content + fence
    }

    /// `text` as a fenced code block, each line prefixed with `indent` (to nest it in a list
    /// item); the fence is longer than any run of backticks in the text.
    static func codeBlock(_ text: String, language: String, indent: String) -> [String] {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(in: text) + 1))
        var lines = [indent + fence + language]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(line.isEmpty ? "" : indent + line)
        }
        lines.append(indent + fence)
        return lines
    }

    /// A table: a header row, its delimiter row and one row per entry. Cells must already be
    /// escaped (``inline(_:)``, ``code(_:inTable:)``); rows shorter than the header are padded.
    static func table(_ header: [String], _ rows: [[String]]) -> [String] {
        func row(_ cells: [String]) -> String {
            let padded = cells + Array(repeating: "", count: max(0, header.count - cells.count))
            return "|" + padded.map { $0.isEmpty ? " |" : " \($0) |" }.joined()
        }
        return [row(header), "|" + String(repeating: "---|", count: header.count)] + rows.map(row)
    }

    // MARK: - Helpers

    /// Whitespace runs made single spaces, ends trimmed.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private static func longestBacktickRun(in text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// Whether `&` at `index` begins something HTML would read as an entity: `&name;` or `&#…;`.
    private static func startsEntity(_ characters: [Character], at index: Int) -> Bool {
        var position = index + 1
        if position < characters.count, characters[position] == "#" { position += 1 }
        let start = position
        while position < characters.count, characters[position].isASCII,
            characters[position].isLetter || characters[position].isNumber
        {
            position += 1
        }
        return position > start && position < characters.count && characters[position] == ";"
    }
}
