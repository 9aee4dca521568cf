/// Loads a patient file (DESIGN.md 2.2), YAML or JSON, and checks it against the profile.
///
/// Every key must be a declared field; values must have the field's type, enum values must be
/// listed, numbers must lie in the field's range, dates must be real days. An explicit `null`
/// means the same as an absent field and is not stored. `int` fields give `.int`, `number`
/// fields `.double` (a plain int included), `enum` and `string` fields `.string`, `date`
/// fields `.date`, `list` fields `.list` and `object` fields `.record`.
public enum PatientLoader {
    /// Loads the patient in a file.
    ///
    /// - Throws: ``DiagnosticError``: `.unreadable` when the file cannot be read, `.invalid`
    ///   with every problem found in it otherwise.
    public static func load(file: String, profile: ProfileSchema) throws(DiagnosticError) -> Patient {
        let contents = try YAMLFrontEnd.readFile(atPath: file)
        return try load(contents: contents, file: file, profile: profile)
    }

    /// Loads a patient from a file's bytes.
    ///
    /// - Parameters:
    ///   - contents: The file's bytes, YAML or JSON in UTF-8.
    ///   - file: The path to name in locations.
    ///   - profile: The schema the patient must follow.
    /// - Throws: ``DiagnosticError`` of kind `.invalid` with every problem found.
    public static func load(contents: [UInt8], file: String, profile: ProfileSchema) throws(DiagnosticError) -> Patient {
        let document = try YAMLFrontEnd.parse(contents, file: file)
        var log = DiagnosticLog()
        var locations: [String: SourceLocation] = [:]
        guard let root = document.root, !(root.isNull && root.scalarText == "") else {
            throw DiagnosticError(.error(at: document.start, code: "wrong-type", "expected a mapping, found an empty document"))
        }
        let record = object(patientNode(in: root, profile: profile), fields: profile.fields, path: nil, locations: &locations, log: &log)
        guard let record, log.isEmpty else { throw DiagnosticError(log.diagnostics) }
        return Patient(file: file, record: record, locations: locations)
    }

    /// The patient mapping of a file: the whole document, or the `patient` value of a fixture
    /// (DESIGN.md section 5) when the profile itself declares no field called `patient`.
    private static func patientNode(in root: YAMLNode, profile: ProfileSchema) -> YAMLNode {
        guard profile.field(named: "patient") == nil,
              let pair = root.pairs?.first(where: { $0.key.scalarText == "patient" }),
              pair.value.pairs != nil
        else { return root }
        return pair.value
    }

    /// An object: every key a declared field, every value of its field's type.
    private static func object(
        _ node: YAMLNode, fields: [FieldSchema], path: String?, locations: inout [String: SourceLocation],
        log: inout DiagnosticLog
    ) -> Record? {
        guard let pairs = node.pairs else {
            let subject = path.map { "\($0): " } ?? ""
            log.error(
                at: node.location, code: "wrong-type",
                "\(subject)expected a mapping, found \(ScalarReader.describe(node))")
            return nil
        }
        var values: [String: Value] = [:]
        var valid = true
        for pair in pairs {
            let name = pair.key.scalarText ?? ""
            guard let field = fields.first(where: { $0.name == name }) else {
                let place = path.map { " in \($0)" } ?? ""
                let names = fields.map(\.name)
                let suggestion = Suggestion.didYouMean(name, in: names)
                let hint = suggestion.isEmpty && path != nil ? "; expected one of \(names.joined(separator: ", "))" : suggestion
                log.error(
                    at: pair.key.location, code: "unknown-field",
                    "unknown field '\(ScalarReader.excerpt(name))'\(place)\(hint)")
                valid = false
                continue
            }
            if pair.value.isNull { continue }
            let fieldPath = path.map { "\($0).\(name)" } ?? name
            if let value = value(pair.value, field: field, path: fieldPath, locations: &locations, log: &log) {
                values[name] = value
                locations[fieldPath] = pair.value.location
            } else {
                valid = false
            }
        }
        return valid ? Record(values) : nil
    }

    /// A value of a field's type.
    private static func value(
        _ node: YAMLNode, field: FieldSchema, path: String, locations: inout [String: SourceLocation],
        log: inout DiagnosticLog
    ) -> Value? {
        switch field.type {
        case .int:
            guard let value = ScalarReader.int(node, subject: path, log: &log),
                inRange(Double(value), node: node, field: field, path: path, log: &log)
            else { return nil }
            return .int(value)
        case .number:
            guard let value = ScalarReader.number(node, subject: path, log: &log),
                inRange(value, node: node, field: field, path: path, log: &log)
            else { return nil }
            return .double(value)
        case .bool:
            return ScalarReader.bool(node, subject: path, log: &log).map { .bool($0) }
        case .string:
            return ScalarReader.string(node, subject: path, log: &log).map { .string($0) }
        case .date:
            return ScalarReader.date(node, subject: path, log: &log).map { .date($0) }
        case .enumeration(let values):
            let expected = "expected one of \(values.joined(separator: ", "))"
            guard let text = node.scalarText else {
                log.error(
                    at: node.location, code: "wrong-type",
                    "\(path): \(expected), found \(ScalarReader.describe(node))")
                return nil
            }
            guard values.contains(text) else {
                log.error(
                    at: node.location, code: "unknown-value",
                    "'\(ScalarReader.excerpt(text))' is not a value of \(path); \(expected)"
                        + Suggestion.didYouMean(text, in: values))
                return nil
            }
            return .string(text)
        case .list(let item):
            guard let items = node.items else {
                log.error(
                    at: node.location, code: "wrong-type",
                    "\(path): expected a list, found \(ScalarReader.describe(node))")
                return nil
            }
            var result: [Value] = []
            var valid = true
            for (index, element) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                if element.isNull {
                    log.error(
                        at: element.location, code: "wrong-type",
                        "\(itemPath): expected \(article(item.type)), found null: list items cannot be null")
                    valid = false
                } else if let value = value(element, field: item, path: itemPath, locations: &locations, log: &log) {
                    result.append(value)
                    locations[itemPath] = element.location
                } else {
                    valid = false
                }
            }
            return valid ? .list(result) : nil
        case .object(let fields):
            return object(node, fields: fields, path: path, locations: &locations, log: &log).map { .record($0) }
        }
    }

    /// Checks a number against the field's `min` and `max`.
    private static func inRange(
        _ value: Double, node: YAMLNode, field: FieldSchema, path: String, log: inout DiagnosticLog
    ) -> Bool {
        let tooLow = field.minimum.map { value < $0 } ?? false
        let tooHigh = field.maximum.map { value > $0 } ?? false
        guard tooLow || tooHigh else { return true }
        let unit = field.unit.map { " \($0)" } ?? ""
        let expected: String
        switch (field.minimum, field.maximum) {
        case (let minimum?, let maximum?): expected = "\(Format.number(minimum)) to \(Format.number(maximum))\(unit)"
        case (let minimum?, nil): expected = "at least \(Format.number(minimum))\(unit)"
        case (nil, let maximum?): expected = "at most \(Format.number(maximum))\(unit)"
        case (nil, nil): expected = ""
        }
        log.error(
            at: node.location, code: "out-of-range",
            "\(path) \(node.scalarText ?? Format.number(value)) is out of range: expected \(expected)")
        return false
    }

    private static func article(_ type: FieldType) -> String {
        switch type {
        case .int, .enumeration, .object: "an \(type.keyword)"
        default: "a \(type.keyword)"
        }
    }
}
