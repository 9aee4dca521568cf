/// Checks a parsed patient (a ``YAMLNode`` tree, from YAML or from JSON Lines and CSV) against
/// the profile and builds the ``Patient``: the one validator behind ``PatientLoader`` and the
/// batch readers, so that every front end reports the same errors with the same wording.
///
/// Every key must be a declared field; values must have the field's type, enum values must be
/// listed, numbers must lie in the field's range, dates must be real days. An explicit `null`
/// means the same as an absent field and is not stored. Build one per profile and reuse it: the
/// field lookups are indexed once.
struct PatientValidator: Sendable {
    /// The fields of one object type, with their names indexed.
    struct ObjectShape: Sendable {
        var fields: [FieldSchema]
        var names: [String]
        var index: [String: Int]
        /// The shape of each field's values, in the order of `fields`.
        var shapes: [Shape]

        init(_ fields: [FieldSchema]) {
            self.fields = fields
            names = fields.map(\.name)
            var index: [String: Int] = [:]
            for (position, field) in fields.enumerated() where index[field.name] == nil {
                index[field.name] = position
            }
            self.index = index
            shapes = fields.map(Shape.init)
        }
    }

    /// How to read a field's value: its schema, and the indexed shape of its items or fields.
    indirect enum Shape: Sendable {
        case scalar
        case list(FieldSchema, Shape)
        case object(ObjectShape)

        init(_ field: FieldSchema) {
            switch field.type {
            case .list(let item): self = .list(item, Shape(item))
            case .object(let fields): self = .object(ObjectShape(fields))
            default: self = .scalar
            }
        }
    }

    /// The profile's top-level fields.
    let root: ObjectShape
    /// Whether the profile declares a field `patient` (then a fixture's wrapper is not unwrapped).
    let declaresPatient: Bool

    init(profile: ProfileSchema) {
        root = ObjectShape(profile.fields)
        declaresPatient = profile.field(named: "patient") != nil
    }

    /// The patient in a document whose root is `root` (`nil` for an empty document).
    func patient(from root: YAMLNode?, file: String, start: SourceLocation) throws(DiagnosticError) -> Patient {
        guard let root, !(root.isNull && root.scalarText == "") else {
            throw DiagnosticError(.error(at: start, code: "wrong-type", "expected a mapping, found an empty document"))
        }
        var log = DiagnosticLog()
        var locations: [String: SourceLocation] = [:]
        let record = object(patientNode(in: root), shape: self.root, path: nil, locations: &locations, log: &log)
        guard let record, log.isEmpty else { throw DiagnosticError(log.diagnostics) }
        return Patient(file: file, record: record, locations: locations)
    }

    /// The patient mapping of a file: the whole document, or the `patient` value of a fixture
    /// (DESIGN.md section 5) when the profile itself declares no field called `patient`.
    private func patientNode(in root: YAMLNode) -> YAMLNode {
        guard !declaresPatient,
              let pair = root.pairs?.first(where: { $0.key.scalarText == "patient" }),
              pair.value.pairs != nil
        else { return root }
        return pair.value
    }

    /// An object: every key a declared field, every value of its field's type.
    private func object(
        _ node: YAMLNode, shape: ObjectShape, path: String?, locations: inout [String: SourceLocation],
        log: inout DiagnosticLog
    ) -> Record? {
        guard let pairs = node.pairs else {
            let subject = path.map { "\($0): " } ?? ""
            log.error(
                at: node.location, code: "wrong-type",
                "\(subject)expected a mapping, found \(ScalarReader.describe(node))", field: path)
            return nil
        }
        var values: [String: Value] = Dictionary(minimumCapacity: pairs.count)
        var valid = true
        for pair in pairs {
            let name = pair.key.scalarText ?? ""
            guard let position = shape.index[name] else {
                let place = path.map { " in \($0)" } ?? ""
                let suggestion = Suggestion.didYouMean(name, in: shape.names)
                let hint = suggestion.isEmpty && path != nil
                    ? "; expected one of \(shape.names.joined(separator: ", "))" : suggestion
                log.error(
                    at: pair.key.location, code: "unknown-field",
                    "unknown field '\(ScalarReader.excerpt(name))'\(place)\(hint)",
                    field: path.map { "\($0).\(name)" } ?? name)
                valid = false
                continue
            }
            if pair.value.isNull { continue }
            let fieldPath = path.map { "\($0).\(name)" } ?? name
            let field = shape.fields[position]
            if let value = value(
                pair.value, field: field, shape: shape.shapes[position], path: fieldPath, locations: &locations, log: &log) {
                values[name] = value
                locations[fieldPath] = pair.value.location
            } else {
                valid = false
            }
        }
        return valid ? Record(values) : nil
    }

    /// A value of a field's type.
    private func value(
        _ node: YAMLNode, field: FieldSchema, shape: Shape, path: String, locations: inout [String: SourceLocation],
        log: inout DiagnosticLog
    ) -> Value? {
        var scalarLog = DiagnosticLog()
        defer { log.append(contentsOf: scalarLog.diagnostics, field: path) }
        switch field.type {
        case .int:
            guard let value = ScalarReader.int(node, subject: path, log: &scalarLog),
                inRange(Double(value), node: node, field: field, path: path, log: &scalarLog)
            else { return nil }
            return .int(value)
        case .number:
            guard let value = ScalarReader.number(node, subject: path, log: &scalarLog),
                inRange(value, node: node, field: field, path: path, log: &scalarLog)
            else { return nil }
            return .double(value)
        case .bool:
            return ScalarReader.bool(node, subject: path, log: &scalarLog).map { .bool($0) }
        case .string:
            return ScalarReader.string(node, subject: path, log: &scalarLog).map { .string($0) }
        case .date:
            return ScalarReader.date(node, subject: path, log: &scalarLog).map { .date($0) }
        case .enumeration(let values):
            let expected = "expected one of \(values.joined(separator: ", "))"
            guard let text = node.scalarText else {
                scalarLog.error(
                    at: node.location, code: "wrong-type",
                    "\(path): \(expected), found \(ScalarReader.describe(node))")
                return nil
            }
            guard values.contains(text) else {
                scalarLog.error(
                    at: node.location, code: "unknown-value",
                    "'\(ScalarReader.excerpt(text))' is not a value of \(path); \(expected)"
                        + Suggestion.didYouMean(text, in: values))
                return nil
            }
            return .string(text)
        case .list(let item):
            guard let items = node.items else {
                scalarLog.error(
                    at: node.location, code: "wrong-type",
                    "\(path): expected a list, found \(ScalarReader.describe(node))")
                return nil
            }
            guard case .list(_, let itemShape) = shape else { return nil }
            var result: [Value] = []
            result.reserveCapacity(items.count)
            var valid = true
            for (index, element) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                if element.isNull {
                    log.error(
                        at: element.location, code: "wrong-type",
                        "\(itemPath): expected \(Self.article(item.type)), found null: list items cannot be null",
                        field: itemPath)
                    valid = false
                } else if let value = value(
                    element, field: item, shape: itemShape, path: itemPath, locations: &locations, log: &log) {
                    result.append(value)
                    locations[itemPath] = element.location
                } else {
                    valid = false
                }
            }
            return valid ? .list(result) : nil
        case .object:
            guard case .object(let objectShape) = shape else { return nil }
            return object(node, shape: objectShape, path: path, locations: &locations, log: &log).map { .record($0) }
        }
    }

    /// Checks a number against the field's `min` and `max`.
    private func inRange(
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
