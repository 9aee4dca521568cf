/// Reads `profile.yaml` (DESIGN.md 2.1) into a ``ProfileSchema``.
enum ProfileLoader {
    static let typeKeywords = ["int", "number", "bool", "string", "date", "enum", "list", "object"]
    private static let specKeys = ["type", "unit", "min", "max", "description", "values", "of", "fields"]

    /// The profile, or `nil` when it has errors (all of them logged).
    static func load(_ document: YAMLDocument, log: inout DiagnosticLog) -> ProfileSchema? {
        let errorsBefore = log.diagnostics.count
        guard
            let root = MappingReader.root(
                of: document, what: "profile", keys: ["schema_version", "fields", "lint"], log: &log)
        else { return nil }
        var version: Int?
        if let node = root.required("schema_version", log: &log),
            let value = ScalarReader.int(node, log: &log) {
            if value == 1 {
                version = 1
            } else {
                log.error(at: node.location, code: "unsupported-version", "unsupported schema_version \(value): expected 1")
            }
        }
        var fields: [FieldSchema] = []
        if let node = root.required("fields", log: &log) {
            fields = objectFields(node, path: nil, log: &log) ?? []
        }
        var lint = LintSettings()
        if let node = root.optional("lint") {
            lint = LintSettingsLoader.load(node, log: &log) ?? lint
        }
        guard let version, log.diagnostics.count == errorsBefore else { return nil }
        return ProfileSchema(schemaVersion: version, fields: fields, file: document.file, lint: lint)
    }

    /// The fields of an object: a mapping from field name to field spec.
    private static func objectFields(_ node: YAMLNode, path: String?, log: inout DiagnosticLog) -> [FieldSchema]? {
        guard let pairs = node.pairs else {
            log.error(
                at: node.location, code: "wrong-type",
                "expected a mapping of field names to field specs, found \(ScalarReader.describe(node))")
            return nil
        }
        if pairs.isEmpty {
            log.error(at: node.location, code: "empty", "expected at least one field, found an empty mapping")
            return nil
        }
        var fields: [FieldSchema] = []
        for pair in pairs {
            let name = pair.key.scalarText ?? ""
            let fullName = path.map { "\($0).\(name)" } ?? name
            guard Identifier.isFieldName(name) else {
                log.error(
                    at: pair.key.location, code: "invalid-name",
                    "invalid field name '\(ScalarReader.excerpt(name))': expected lowercase letters, digits and _, "
                        + "starting with a letter or _")
                continue
            }
            if let field = spec(pair.value, name: name, fullName: fullName, what: "field '\(fullName)'",
                                location: pair.key.location, log: &log) {
                fields.append(field)
            }
        }
        return fields
    }

    /// One field spec: `{type, unit, min, max, description, values, of, fields}`.
    private static func spec(
        _ node: YAMLNode, name: String, fullName: String, what: String, location: SourceLocation,
        log: inout DiagnosticLog
    ) -> FieldSchema? {
        guard let reader = MappingReader(node, what: what, keys: specKeys, log: &log) else { return nil }
        var valid = true
        guard let typeNode = reader.required("type", log: &log),
            let keyword = ScalarReader.keyword(typeNode, name: "type", values: typeKeywords, log: &log)
        else { return nil }

        func only(_ key: String, for types: [String], description: String) {
            if !types.contains(keyword), reader.pair(key) != nil {
                log.error(
                    at: reader.keyLocation(key), code: "key-not-allowed",
                    "'\(key)' is only allowed for \(description), not for type \(keyword)")
                valid = false
            }
        }
        only("values", for: ["enum"], description: "type enum")
        only("of", for: ["list"], description: "type list")
        only("fields", for: ["object"], description: "type object")
        only("min", for: ["int", "number"], description: "types int and number")
        only("max", for: ["int", "number"], description: "types int and number")

        let type: FieldType
        switch keyword {
        case "int": type = .int
        case "number": type = .number
        case "bool": type = .bool
        case "string": type = .string
        case "date": type = .date
        case "enum":
            guard let valuesNode = reader.required("values", log: &log),
                let values = enumValues(valuesNode, log: &log)
            else { return nil }
            type = .enumeration(values)
        case "list":
            guard let ofNode = reader.required("of", log: &log),
                let item = spec(ofNode, name: name, fullName: fullName, what: "items of '\(fullName)'",
                                location: ofNode.location, log: &log)
            else { return nil }
            type = .list(item)
        default:
            guard let fieldsNode = reader.required("fields", log: &log),
                let fields = objectFields(fieldsNode, path: fullName, log: &log)
            else { return nil }
            type = .object(fields)
        }

        var minimum: Double?
        var maximum: Double?
        if keyword == "int" || keyword == "number" {
            if let node = reader.optional("min") {
                minimum = ScalarReader.number(node, log: &log)
                if minimum == nil { valid = false }
            }
            if let node = reader.optional("max") {
                maximum = ScalarReader.number(node, log: &log)
                if maximum == nil { valid = false }
            }
            if let minimum, let maximum, minimum > maximum {
                log.error(
                    at: reader.keyLocation("min"), code: "invalid-range",
                    "min \(Format.number(minimum)) is greater than max \(Format.number(maximum))")
                valid = false
            }
        }
        var unit: String?
        if let node = reader.optional("unit") {
            unit = ScalarReader.string(node, log: &log)
            if unit == nil { valid = false }
        }
        var description: String?
        if let node = reader.optional("description") {
            description = ScalarReader.string(node, log: &log)
            if description == nil { valid = false }
        }
        guard valid else { return nil }
        return FieldSchema(
            name: name, type: type, unit: unit, minimum: minimum, maximum: maximum,
            description: description, location: location)
    }

    /// The `values` of an enum: a non-empty list of distinct strings.
    private static func enumValues(_ node: YAMLNode, log: inout DiagnosticLog) -> [String]? {
        guard let items = ScalarReader.stringList(node, log: &log) else { return nil }
        guard !items.isEmpty else {
            log.error(at: node.location, code: "empty", "an enum needs at least one value, found an empty list")
            return nil
        }
        var seen: [String: SourceLocation] = [:]
        var valid = true
        for (value, location) in items {
            if let first = seen[value] {
                log.error(
                    at: location, code: "duplicate-value",
                    "duplicate value '\(ScalarReader.excerpt(value))': already listed at \(first.line):\(first.column)")
                valid = false
            } else {
                seen[value] = location
            }
        }
        return valid ? items.map(\.0) : nil
    }
}

/// The forms of names in rule packs.
enum Identifier {
    /// `[a-z_][a-z0-9_]*`: a field or parameter name, usable in CEL.
    static func isFieldName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// `[a-z0-9][a-z0-9-]*`: a therapy id.
    static func isTherapyID(_ text: String) -> Bool {
        isSlug(text, extra: ["-"])
    }

    /// `[a-z0-9][a-z0-9._-]*`: a rule or reference id.
    static func isID(_ text: String) -> Bool {
        isSlug(text, extra: ["-", "_", "."])
    }

    private static func isSlug(_ text: String, extra: Set<Unicode.Scalar>) -> Bool {
        func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        guard let first = text.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || extra.contains($0) }
    }
}

/// Number formatting for messages.
enum Format {
    /// `120` for a whole number, `2.5` otherwise.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
