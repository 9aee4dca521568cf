/// Checks that a file is text libyaml accepts: UTF-8 without NUL bytes or control characters,
/// reporting the first offending byte at its line and column.
enum TextCheck {
    /// Throws an `.invalid` error at the first byte that is not valid UTF-8, a NUL byte, or a
    /// control character YAML forbids (anything below U+0020 but tab, line feed and carriage
    /// return; U+007F to U+009F but U+0085; U+FFFE and U+FFFF).
    static func check(_ bytes: [UInt8], file: String) throws(DiagnosticError) {
        var line = 1
        var column = 1
        var index = 0
        var previousWasCR = false
        func fail(_ message: String) -> DiagnosticError {
            DiagnosticError(.error(at: SourceLocation(file: file, line: line, column: column), code: "not-text", message))
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard let (scalar, length) = decode(bytes, at: index) else {
                throw fail("invalid UTF-8 byte \(hex(byte)): expected UTF-8 text")
            }
            if scalar == 0 {
                throw fail("the file contains a NUL byte: expected UTF-8 text")
            }
            if !isAllowed(scalar) {
                throw fail("control character \(codePoint(scalar)) is not allowed in YAML")
            }
            if scalar == 0x0A {
                if !previousWasCR { line += 1 }
                column = 1
            } else if scalar == 0x0D {
                line += 1
                column = 1
            } else if !(index == 0 && scalar == 0xFEFF) {
                column += 1
            }
            previousWasCR = scalar == 0x0D
            index += length
        }
    }

    /// The location just after `prefix`, the text from the start of the file.
    static func location(of prefix: Substring.UnicodeScalarView, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        var previousWasCR = false
        for scalar in prefix {
            if scalar == "\n" {
                if !previousWasCR { line += 1 }
                column = 1
            } else if scalar == "\r" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            previousWasCR = scalar == "\r"
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private static func isAllowed(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09, 0x0A, 0x0D: true
        case 0x00..<0x20: false
        case 0x7F..<0x85, 0x86..<0xA0: false
        case 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// Decodes one UTF-8 sequence, rejecting overlong forms, surrogates and values above U+10FFFF.
    private static func decode(_ bytes: [UInt8], at index: Int) -> (UInt32, Int)? {
        let first = bytes[index]
        if first < 0x80 { return (UInt32(first), 1) }
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch first {
        case 0xC2...0xDF: (length, minimum, value) = (2, 0x80, UInt32(first & 0x1F))
        case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(first & 0x0F))
        case 0xF0...0xF4: (length, minimum, value) = (4, 0x10000, UInt32(first & 0x07))
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(next & 0x3F)
        }
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" + digits : digits)
    }

    private static func codePoint(_ scalar: UInt32) -> String {
        let digits = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension TextCheck {
    /// Rejects, before libyaml and Yams see it, a file that uses aliases and also has a
    /// complex mapping key (`? key`, a list or mapping as key, or an alias as key).
    ///
    /// Yams hashes every key to find duplicates, and hashing an alias of an alias bomb takes
    /// exponential time; keys in rule packs and patients are plain names, so such a file is
    /// never valid. The scan is textual and conservative: it also fires on text inside quotes
    /// or comments that looks like these forms, but only in files that contain an alias.
    static func checkAliasKeys(_ text: String, file: String) throws(DiagnosticError) {
        let scalars = Array(text.unicodeScalars)
        func isTokenStart(_ index: Int) -> Bool {
            index == 0 || [" ", "\t", "\n", "\r", "[", "{", ","].contains(scalars[index - 1])
        }
        func isAnchorCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
        func isColonIndicator(after index: Int) -> Bool {
            var next = index
            while next < scalars.count, scalars[next] == " " || scalars[next] == "\t" { next += 1 }
            guard next < scalars.count, scalars[next] == ":" else { return false }
            return next + 1 == scalars.count || [" ", "\t", "\n", "\r", ",", "}", "]"].contains(scalars[next + 1])
        }
        var hasAlias = false
        var complexKey: Int?
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "*", isTokenStart(index), index + 1 < scalars.count, isAnchorCharacter(scalars[index + 1]) {
                hasAlias = true
                var end = index + 1
                while end < scalars.count, isAnchorCharacter(scalars[end]) { end += 1 }
                if complexKey == nil, isColonIndicator(after: end) { complexKey = index }
                index = end
                continue
            }
            if complexKey == nil {
                if scalar == "?", isTokenStart(index),
                    index + 1 == scalars.count || [" ", "\t", "\n", "\r"].contains(scalars[index + 1]) {
                    complexKey = index
                } else if scalar == "]" || scalar == "}", isColonIndicator(after: index + 1) {
                    complexKey = index
                }
            }
            index += 1
        }
        guard hasAlias, let complexKey else { return }
        let location = location(of: Substring(String(String.UnicodeScalarView(scalars[..<complexKey]))).unicodeScalars, file: file)
        throw DiagnosticError(
            .error(
                at: location, code: "complex-key",
                "a complex mapping key (an alias, a list or a mapping) is not accepted in a file that uses aliases: "
                    + "keys are names"))
    }
}
