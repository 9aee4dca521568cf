/// Escapes text for XML 1.0 content and attribute values.
enum XMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` as entities. Characters XML 1.0 does not allow
    /// (controls other than tab, line feed and carriage return, lone surrogates, U+FFFE and
    /// U+FFFF) become U+FFFD. In attribute values, tab, line feed and carriage return become
    /// character references so that parsers keep them.
    static func escape(_ text: String, attribute: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r":
                output += attribute ? "&#\(scalar.value);" : String(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                output += "\u{FFFD}"
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
