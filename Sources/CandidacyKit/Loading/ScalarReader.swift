/// Reads typed values from ``YAMLNode``s by the form of the scalar, not by Yams' resolver.
///
/// Only plain scalars are typed: `true` and `false` are the booleans; an optional sign and
/// decimal digits make an int; an int, a decimal or an exponent form makes a number. A quoted
/// or block scalar is always a string. Dates are `YYYY-MM-DD`, plain or quoted. Null is a
/// plain `null`, `Null`, `NULL`, `~` or nothing. Every reader logs an error naming what it
/// found and what it expected, prefixed with `subject:` when one is given, and returns `nil`.
enum ScalarReader {
    /// YAML 1.1 booleans other than true and false, which are not accepted.
    private static let yaml11Booleans: Set<String> = ["yes", "no", "on", "off", "y", "n"]

    /// A string scalar: any non-null scalar's text.
    static func string(_ node: YAMLNode, subject: String? = nil, log: inout DiagnosticLog) -> String? {
        guard let text = node.scalarText, !node.isNull else {
            log.error(at: node.location, code: "wrong-type", prefixed(subject, "expected a string, found \(describe(node))"))
            return nil
        }
        return text
    }

    /// A plain decimal int, with an optional sign, that fits in 64 bits.
    static func int(_ node: YAMLNode, subject: String? = nil, log: inout DiagnosticLog) -> Int64? {
        guard node.isPlainScalar, let text = node.scalarText, isInt(text) else {
            log.error(at: node.location, code: "wrong-type", prefixed(subject, "expected an int, found \(describe(node))"))
            return nil
        }
        guard let value = Int64(text) else {
            log.error(
                at: node.location, code: "out-of-range",
                prefixed(subject, "int \(text) does not fit in 64 bits"))
            return nil
        }
        return value
    }

    /// A plain int or decimal number, possibly with an exponent, that is finite.
    static func number(_ node: YAMLNode, subject: String? = nil, log: inout DiagnosticLog) -> Double? {
        guard node.isPlainScalar, let text = node.scalarText, isNumber(text) else {
            log.error(at: node.location, code: "wrong-type", prefixed(subject, "expected a number, found \(describe(node))"))
            return nil
        }
        guard let value = Double(text), value.isFinite else {
            log.error(at: node.location, code: "out-of-range", prefixed(subject, "number \(text) is too large"))
            return nil
        }
        return value
    }

    /// A plain `true` or `false`; YAML 1.1 spellings such as `yes` get a message of their own.
    static func bool(_ node: YAMLNode, subject: String? = nil, log: inout DiagnosticLog) -> Bool? {
        if node.isPlainScalar, let text = node.scalarText {
            if text == "true" { return true }
            if text == "false" { return false }
            let lowered = text.lowercased()
            if yaml11Booleans.contains(lowered) {
                log.error(
                    at: node.location, code: "yaml11-boolean",
                    prefixed(subject, "'\(text)' is not a boolean: write true or false (YAML 1.1 booleans are not accepted)"))
                return nil
            }
            if lowered == "true" || lowered == "false" {
                log.error(
                    at: node.location, code: "wrong-type",
                    prefixed(subject, "'\(text)' is not a boolean: write true or false, in lowercase"))
                return nil
            }
        }
        log.error(at: node.location, code: "wrong-type", prefixed(subject, "expected a bool, found \(describe(node))"))
        return nil
    }

    /// A date written `YYYY-MM-DD`, plain or quoted, that exists.
    static func date(_ node: YAMLNode, subject: String? = nil, log: inout DiagnosticLog) -> CivilDate? {
        guard let text = node.scalarText, !node.isNull else {
            log.error(at: node.location, code: "wrong-type", prefixed(subject, "expected a date, found \(describe(node))"))
            return nil
        }
        guard let date = CivilDate(parsing: text) else {
            log.error(
                at: node.location, code: "invalid-date",
                prefixed(subject, "invalid date '\(excerpt(text))': expected YYYY-MM-DD, a real day"))
            return nil
        }
        return date
    }

    /// One of a fixed set of keywords, such as a rule's `kind`.
    static func keyword(
        _ node: YAMLNode, name: String, values: [String], log: inout DiagnosticLog
    ) -> String? {
        guard let text = node.scalarText, !node.isNull else {
            log.error(
                at: node.location, code: "wrong-type",
                "expected a \(name) (one of \(values.joined(separator: ", "))), found \(describe(node))")
            return nil
        }
        guard values.contains(text) else {
            log.error(
                at: node.location, code: "unknown-value",
                "unknown \(name) '\(excerpt(text))'; expected one of \(values.joined(separator: ", "))"
                    + Suggestion.didYouMean(text, in: values))
            return nil
        }
        return text
    }

    /// A list of strings, with the location of each.
    static func stringList(
        _ node: YAMLNode, subject: String? = nil, log: inout DiagnosticLog
    ) -> [(String, SourceLocation)]? {
        guard let items = node.items else {
            log.error(
                at: node.location, code: "wrong-type", prefixed(subject, "expected a list of strings, found \(describe(node))"))
            return nil
        }
        var result: [(String, SourceLocation)] = []
        var valid = true
        for item in items {
            if let text = string(item, subject: subject, log: &log) {
                result.append((text, item.location))
            } else {
                valid = false
            }
        }
        return valid ? result : nil
    }

    // MARK: - Forms

    /// Whether `text` is an optional sign followed by decimal digits.
    static func isInt(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if let first = scalars.first, first == "+" || first == "-" { scalars = scalars.dropFirst() }
        return !scalars.isEmpty && scalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// Whether `text` is a decimal number: `[+-]digits[.digits][e[+-]digits]` or `[+-].digits…`.
    static func isNumber(_ text: String) -> Bool {
        var scalars = Array(text.unicodeScalars)[...]
        if let first = scalars.first, first == "+" || first == "-" { scalars = scalars.dropFirst() }
        func digits() -> Int {
            let count = scalars.prefix { ("0"..."9").contains($0) }.count
            scalars = scalars.dropFirst(count)
            return count
        }
        var mantissa = digits()
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let first = scalars.first, first == "e" || first == "E" {
            scalars = scalars.dropFirst()
            if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return scalars.isEmpty
    }

    // MARK: - Messages

    /// What a node is, for "found …": `null`, `bool true`, `int 34`, `number 3.5`,
    /// `date 2026-10-02`, `string "abc"`, `a list`, `a mapping`.
    static func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .sequence(let items): return items.isEmpty ? "an empty list" : "a list"
        case .mapping(let pairs): return pairs.isEmpty ? "an empty mapping" : "a mapping"
        case .scalar(let text, let style):
            if style == .plain {
                if node.isNull { return "null" }
                if text == "true" || text == "false" { return "bool \(text)" }
                if isInt(text) { return "int \(text)" }
                if isNumber(text) { return "number \(text)" }
                if CivilDate(parsing: text) != nil { return "date \(text)" }
            }
            return "string \(quoted(text))"
        }
    }

    /// `text` in double quotes, with quotes, backslashes and line breaks escaped, shortened
    /// to 60 characters.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in excerpt(text) {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// `text`, shortened to 60 characters with an ellipsis.
    static func excerpt(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "…"
    }

    static func prefixed(_ subject: String?, _ message: String) -> String {
        guard let subject else { return message }
        return "\(subject): \(message)"
    }
}
