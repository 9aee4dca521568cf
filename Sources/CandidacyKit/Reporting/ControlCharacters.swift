/// Control characters from input files made visible before text reaches a terminal: an id of
/// `x\u{1B}[2J` must not clear the screen, and a value must not rewrite the window title. JSON
/// output escapes them already (`\u001b`); text, Markdown and error messages use this.
public enum ControlCharacters {
    /// `text` with every C0 control, DEL and C1 control written as `\u{1B}`, except the scalars
    /// in `kept` (a whole report keeps its own line feeds).
    public static func escaped(_ text: String, keeping kept: Set<Unicode.Scalar> = []) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !kept.contains($0) }) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar), !kept.contains(scalar) {
                output.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    /// A whole document: its line feeds and tabs kept, every other control escaped.
    public static func escapedDocument(_ text: String) -> String {
        escaped(text, keeping: ["\n", "\t"])
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
