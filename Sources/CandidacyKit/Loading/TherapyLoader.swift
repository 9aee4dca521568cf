/// Reads one therapy file (DESIGN.md 2.3) into a ``Therapy``. Checks within the file
/// (references named by `refs` and `ref`) and of `positions` against the profile happen here;
/// checks across the pack in ``RulePackLoader``.
enum TherapyLoader {
    static let keys = [
        "therapy", "title", "version", "review_by", "summary", "parameters", "references", "rules", "tiers",
        "positions", "program",
    ]
    static let ruleKeys = ["id", "kind", "title", "when", "points", "reason", "evidence", "first_line"]
    private static let programKeys = ["name", "purpose", "dose", "diagnoses", "refs"]
    private static let parameterKeys = ["value", "unit", "range", "description", "refs"]
    private static let referenceKeys = ["citation", "url", "grade"]
    private static let evidenceKeys = ["level", "direction", "refs"]
    private static let positionKeys = ["diagnosis", "source", "stance", "position", "grade", "ref"]

    /// A `refs` entry, checked once the file's references are known.
    private struct Citation {
        var id: String
        var location: SourceLocation
    }

    /// The therapy, or `nil` when the file has errors (all of them logged).
    ///
    /// - Parameter profile: The pack's profile, against which `positions` diagnoses are checked;
    ///   `nil` when it failed to load, which skips that check.
    static func load(_ document: YAMLDocument, profile: ProfileSchema?, log: inout DiagnosticLog) -> Therapy? {
        let errorsBefore = log.diagnostics.count
        guard let root = MappingReader.root(of: document, what: "therapy file", keys: keys, log: &log) else {
            return nil
        }
        var citations: [Citation] = []

        var id: String?
        if let node = root.required("therapy", log: &log), let text = ScalarReader.string(node, log: &log) {
            if Identifier.isTherapyID(text) {
                id = text
            } else {
                log.error(
                    at: node.location, code: "invalid-name",
                    "invalid therapy id '\(ScalarReader.excerpt(text))': expected lowercase letters, digits and -, "
                        + "starting with a letter or digit")
            }
        }
        let title = root.required("title", log: &log).flatMap { ScalarReader.string($0, log: &log) }
        let version = root.required("version", log: &log).flatMap { ScalarReader.string($0, log: &log) }
        let reviewByNode = root.optional("review_by")
        let reviewBy = reviewByNode.flatMap { ScalarReader.date($0, log: &log) }
        let summary = root.optional("summary").flatMap { ScalarReader.string($0, log: &log) }

        var parameters: [Parameter] = []
        if let node = root.optional("parameters") {
            parameters = self.parameters(node, citations: &citations, log: &log)
        }
        var references: [Reference] = []
        if let node = root.optional("references") {
            references = self.references(node, log: &log)
        }
        var rules: [Rule] = []
        if let node = root.required("rules", log: &log) {
            if let items = node.items, items.count > LoadingLimits.maximumRuleCount {
                log.error(
                    at: node.location, code: "limit-exceeded",
                    "the file has \(items.count) rules: a rule pack holds at most \(LoadingLimits.maximumRuleCount)")
            } else if let items = node.items {
                for item in items {
                    if let rule = rule(item, document: document, citations: &citations, log: &log) {
                        rules.append(rule)
                    }
                }
            } else {
                log.error(at: node.location, code: "wrong-type", "expected a list of rules, found \(ScalarReader.describe(node))")
            }
        }
        let tiers = root.required("tiers", log: &log).flatMap { self.tiers($0, log: &log) }
        var positions: [GuidelinePosition] = []
        if let node = root.optional("positions") {
            positions = self.positions(node, profile: profile, citations: &citations, log: &log)
        }

        var program: [ProgramItem] = []
        if let node = root.optional("program") {
            program = self.program(node, profile: profile, citations: &citations, log: &log)
        }

        let known = references.map(\.id)
        let knownSet = Set(known)
        var hinted = 0
        for citation in citations where !knownSet.contains(citation.id) {
            // "Did you mean" for the first 100 only: a file with thousands of unknown references
            // would otherwise take quadratic time to report.
            hinted += 1
            var hint = ""
            if known.isEmpty {
                hint = "; this file declares no references"
            } else if hinted <= 100 {
                hint = Suggestion.didYouMean(citation.id, in: known)
            }
            log.error(
                at: citation.location, code: "unknown-reference",
                "unknown reference '\(ScalarReader.excerpt(citation.id))': not declared under references in this file\(hint)")
        }

        guard let id, let title, let version, let tiers, log.diagnostics.count == errorsBefore else { return nil }
        var therapy = Therapy(
            id: id, title: title, version: version, reviewBy: reviewBy, summary: summary, parameters: parameters,
            references: references, rules: rules, tiers: tiers, positions: positions, file: document.file,
            location: root.keyLocation("therapy"), reviewByLocation: reviewByNode?.location)
        therapy.program = program
        return therapy
    }

    // MARK: - Parameters and references

    private static func parameters(
        _ node: YAMLNode, citations: inout [Citation], log: inout DiagnosticLog
    ) -> [Parameter] {
        guard let pairs = node.pairs else {
            log.error(
                at: node.location, code: "wrong-type",
                "expected a mapping of parameter names to parameters, found \(ScalarReader.describe(node))")
            return []
        }
        var parameters: [Parameter] = []
        for pair in pairs {
            let name = pair.key.scalarText ?? ""
            guard Identifier.isFieldName(name) else {
                log.error(
                    at: pair.key.location, code: "invalid-name",
                    "invalid parameter name '\(ScalarReader.excerpt(name))': expected lowercase letters, digits and _, "
                        + "starting with a letter or _")
                continue
            }
            guard
                let reader = MappingReader(
                    pair.value, what: "parameter '\(name)'", keys: parameterKeys, log: &log)
            else { continue }
            let value = reader.required("value", log: &log).flatMap { parameterValue($0, log: &log) }
            let unit = reader.optional("unit").flatMap { ScalarReader.string($0, log: &log) }
            let description = reader.optional("description").flatMap { ScalarReader.string($0, log: &log) }
            let range = reader.optional("range").flatMap { self.range($0, log: &log) }
            if let node = reader.optional("refs"), let refs = ScalarReader.stringList(node, log: &log) {
                citations += refs.map { Citation(id: $0.0, location: $0.1) }
                if let value {
                    parameters.append(
                        Parameter(
                            name: name, value: value, unit: unit, range: range, description: description,
                            refs: refs.map(\.0), location: pair.key.location))
                }
            } else if let value, reader.optional("refs") == nil {
                parameters.append(
                    Parameter(
                        name: name, value: value, unit: unit, range: range, description: description, refs: [],
                        location: pair.key.location))
            }
        }
        return parameters
    }

    /// A parameter's value: a plain int (`.int`), a plain decimal (`.double`), `true` or `false`,
    /// or any other scalar as a string.
    private static func parameterValue(_ node: YAMLNode, log: inout DiagnosticLog) -> Value? {
        guard let text = node.scalarText, !node.isNull else {
            log.error(
                at: node.location, code: "wrong-type",
                "expected a value (an int, a number, a bool or a string), found \(ScalarReader.describe(node))")
            return nil
        }
        guard node.isPlainScalar else { return .string(text) }
        if ScalarReader.isInt(text) { return ScalarReader.int(node, log: &log).map { .int($0) } }
        if ScalarReader.isNumber(text) { return ScalarReader.number(node, log: &log).map { .double($0) } }
        if text == "true" || text == "false" || ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()) {
            return ScalarReader.bool(node, log: &log).map { .bool($0) }
        }
        return .string(text)
    }

    /// `[low, high]`: two numbers, low ≤ high.
    private static func range(_ node: YAMLNode, log: inout DiagnosticLog) -> ClosedRange<Double>? {
        guard let items = node.items, items.count == 2 else {
            let found = node.items.map { "a list of \($0.count) items" } ?? ScalarReader.describe(node)
            log.error(at: node.location, code: "wrong-type", "expected a range [low, high] of two numbers, found \(found)")
            return nil
        }
        guard let low = ScalarReader.number(items[0], log: &log), let high = ScalarReader.number(items[1], log: &log) else {
            return nil
        }
        guard low <= high else {
            log.error(
                at: node.location, code: "invalid-range",
                "range low \(Format.number(low)) is greater than high \(Format.number(high))")
            return nil
        }
        return low...high
    }

    private static func references(_ node: YAMLNode, log: inout DiagnosticLog) -> [Reference] {
        guard let pairs = node.pairs else {
            log.error(
                at: node.location, code: "wrong-type",
                "expected a mapping of reference ids to references, found \(ScalarReader.describe(node))")
            return []
        }
        var references: [Reference] = []
        for pair in pairs {
            let id = pair.key.scalarText ?? ""
            guard Identifier.isID(id) else {
                log.error(
                    at: pair.key.location, code: "invalid-name",
                    "invalid reference id '\(ScalarReader.excerpt(id))': expected lowercase letters, digits, -, _ and ., "
                        + "starting with a letter or digit")
                continue
            }
            guard
                let reader = MappingReader(
                    pair.value, what: "reference '\(id)'", keys: referenceKeys, log: &log)
            else { continue }
            let citation = reader.optional("citation").flatMap { ScalarReader.string($0, log: &log) }
            let url = reader.optional("url").flatMap { ScalarReader.string($0, log: &log) }
            let grade = reader.optional("grade").flatMap { ScalarReader.string($0, log: &log) }
            references.append(
                Reference(id: id, citation: citation, url: url, grade: grade, location: pair.key.location))
        }
        return references
    }

    // MARK: - Guideline positions

    private static func positions(
        _ node: YAMLNode, profile: ProfileSchema?, citations: inout [Citation], log: inout DiagnosticLog
    ) -> [GuidelinePosition] {
        guard let items = node.items else {
            log.error(
                at: node.location, code: "wrong-type",
                "expected a list of guideline positions, found \(ScalarReader.describe(node))")
            return []
        }
        var positions: [GuidelinePosition] = []
        for item in items {
            if let position = position(item, profile: profile, citations: &citations, log: &log) {
                positions.append(position)
            }
        }
        return positions
    }

    private static func position(
        _ node: YAMLNode, profile: ProfileSchema?, citations: inout [Citation], log: inout DiagnosticLog
    ) -> GuidelinePosition? {
        let errorsBefore = log.diagnostics.count
        guard let reader = MappingReader(node, what: "guideline position", keys: positionKeys, log: &log) else {
            return nil
        }
        var diagnosis: String?
        if let node = reader.required("diagnosis", log: &log), let text = ScalarReader.string(node, log: &log) {
            if let profile { checkDiagnosis(text, at: node.location, profile: profile, log: &log) }
            diagnosis = text
        }
        let source = reader.required("source", log: &log).flatMap { ScalarReader.string($0, log: &log) }
        let stance = reader.required("stance", log: &log)
            .flatMap {
                ScalarReader.keyword($0, name: "stance", values: EvidenceDirection.allCases.map(\.rawValue), log: &log)
            }
            .flatMap(EvidenceDirection.init(rawValue:))
        let position = reader.required("position", log: &log).flatMap { ScalarReader.string($0, log: &log) }
        let grade = reader.optional("grade").flatMap { ScalarReader.string($0, log: &log) }
        var ref: String?
        if let node = reader.required("ref", log: &log), let text = ScalarReader.string(node, log: &log) {
            citations.append(Citation(id: text, location: node.location))
            ref = text
        }
        guard let diagnosis, let source, let stance, let position, let ref, log.diagnostics.count == errorsBefore
        else { return nil }
        return GuidelinePosition(
            diagnosis: diagnosis, source: source, stance: stance, position: position, grade: grade, ref: ref,
            location: node.location)
    }

    // MARK: - Program

    private static func program(
        _ node: YAMLNode, profile: ProfileSchema?, citations: inout [Citation], log: inout DiagnosticLog
    ) -> [ProgramItem] {
        guard let items = node.items else {
            log.error(at: node.location, code: "wrong-type", "expected a list of program items, found \(ScalarReader.describe(node))")
            return []
        }
        if items.isEmpty {
            log.error(at: node.location, code: "empty-program", "program is empty: list at least one item, or leave program out")
        }
        return items.compactMap { programItem($0, profile: profile, citations: &citations, log: &log) }
    }

    private static func programItem(
        _ node: YAMLNode, profile: ProfileSchema?, citations: inout [Citation], log: inout DiagnosticLog
    ) -> ProgramItem? {
        let errorsBefore = log.diagnostics.count
        guard let reader = MappingReader(node, what: "program item", keys: programKeys, log: &log) else { return nil }
        let name = reader.required("name", log: &log).flatMap { ScalarReader.string($0, log: &log) }
        let purpose = reader.required("purpose", log: &log).flatMap { ScalarReader.string($0, log: &log) }
        let dose = reader.required("dose", log: &log).flatMap { self.dose($0, log: &log) }
        var diagnoses: [String] = []
        if let node = reader.optional("diagnoses"), let list = ScalarReader.stringList(node, log: &log) {
            for (diagnosis, location) in list {
                if let profile { checkDiagnosis(diagnosis, at: location, profile: profile, log: &log) }
                diagnoses.append(diagnosis)
            }
        }
        var refs: [String] = []
        if let node = reader.optional("refs"), let list = ScalarReader.stringList(node, log: &log) {
            citations += list.map { Citation(id: $0.0, location: $0.1) }
            refs = list.map(\.0)
        }
        guard let name, let purpose, let dose, log.diagnostics.count == errorsBefore else { return nil }
        return ProgramItem(name: name, purpose: purpose, dose: dose, diagnoses: diagnoses, refs: refs, location: node.location)
    }

    /// A dose: a mapping with at least one of sets, repetitions, hold, duration, frequency, note.
    private static func dose(_ node: YAMLNode, log: inout DiagnosticLog) -> Dose? {
        guard let reader = MappingReader(node, what: "dose", keys: Dose.keys, log: &log) else { return nil }
        var parts: [(key: String, value: String)] = []
        for key in Dose.keys {
            if let value = reader.optional(key).flatMap({ ScalarReader.string($0, log: &log) }) { parts.append((key, value)) }
        }
        guard !parts.isEmpty else {
            // A dose with only unknown keys has had its error already.
            if node.pairs?.isEmpty == false { return nil }
            log.error(
                at: node.location, code: "empty-dose",
                "dose is empty: expected at least one of \(Dose.keys.joined(separator: ", "))")
            return nil
        }
        return Dose(parts: parts)
    }

    /// A position's diagnosis must be a value of the profile's enum field `diagnosis`.
    private static func checkDiagnosis(
        _ diagnosis: String, at location: SourceLocation, profile: ProfileSchema, log: inout DiagnosticLog
    ) {
        let name = GuidelinePosition.diagnosisField
        guard let field = profile.field(named: name) else {
            log.error(
                at: location, code: "no-diagnosis-field",
                "guideline positions need an enum field '\(name)' in \(profile.file), which declares none")
            return
        }
        guard case .enumeration(let values) = field.type else {
            log.error(
                at: location, code: "no-diagnosis-field",
                "guideline positions need the field '\(name)' of \(profile.file) to be an enum, "
                    + "but it is declared with type \(field.type.keyword)")
            return
        }
        if !values.contains(diagnosis) {
            log.error(
                at: location, code: "unknown-diagnosis",
                "unknown diagnosis '\(ScalarReader.excerpt(diagnosis))': not a value of the profile's field '\(name)' "
                    + "(\(values.joined(separator: ", ")))\(Suggestion.didYouMean(diagnosis, in: values))")
        }
    }

    // MARK: - Rules

    private static func rule(
        _ node: YAMLNode, document: YAMLDocument, citations: inout [Citation], log: inout DiagnosticLog
    ) -> Rule? {
        let errorsBefore = log.diagnostics.count
        guard let reader = MappingReader(node, what: "rule", keys: ruleKeys, log: &log) else { return nil }
        var id: String?
        if let node = reader.required("id", log: &log), let text = ScalarReader.string(node, log: &log) {
            if Identifier.isID(text) {
                id = text
            } else {
                log.error(
                    at: node.location, code: "invalid-name",
                    "invalid rule id '\(ScalarReader.excerpt(text))': expected lowercase letters, digits, -, _ and ., "
                        + "starting with a letter or digit")
            }
        }
        let kind = reader.required("kind", log: &log)
            .flatMap { ScalarReader.keyword($0, name: "kind", values: RuleKind.allCases.map(\.rawValue), log: &log) }
            .flatMap(RuleKind.init(rawValue:))
        let title = reader.required("title", log: &log).flatMap { ScalarReader.string($0, log: &log) }
        let when = reader.required("when", log: &log)
            .flatMap { ConditionLoader.condition($0, document: document, log: &log) }
        let reason = reader.optional("reason").flatMap { ScalarReader.string($0, log: &log) }

        var points = 0
        if let kind {
            let pointsNode = reader.pair("points")?.value
            switch kind {
            case .score:
                if let node = reader.required("points", log: &log) {
                    points = ScalarReader.int(node, log: &log).map { Int($0) } ?? 0
                }
            case .caution:
                if let node = pointsNode, !node.isNull {
                    points = ScalarReader.int(node, log: &log).map { Int($0) } ?? 0
                }
            case .exclude, .require:
                if pointsNode != nil {
                    log.error(
                        at: reader.keyLocation("points"), code: "key-not-allowed",
                        "points are not allowed on \(kind == .exclude ? "an" : "a") \(kind.rawValue) rule: "
                            + "only score and caution rules have points")
                }
            }
        }

        var evidence: Evidence?
        if let node = reader.optional("evidence") {
            evidence = self.evidence(node, citations: &citations, log: &log)
        }
        let firstLine = reader.optional("first_line").flatMap { ScalarReader.string($0, log: &log) }
        guard let id, let kind, let title, let when, log.diagnostics.count == errorsBefore else { return nil }
        var rule = Rule(
            id: id, kind: kind, title: title, when: when, points: points, reason: reason, evidence: evidence,
            location: node.location)
        rule.firstLine = firstLine
        if firstLine != nil { rule.firstLineLocation = reader.pair("first_line")?.value.location }
        return rule
    }

    private static func evidence(
        _ node: YAMLNode, citations: inout [Citation], log: inout DiagnosticLog
    ) -> Evidence? {
        guard let reader = MappingReader(node, what: "evidence", keys: evidenceKeys, log: &log) else { return nil }
        var level: Int?
        if let node = reader.required("level", log: &log), let value = ScalarReader.int(node, log: &log) {
            if (1...5).contains(value) {
                level = Int(value)
            } else {
                log.error(
                    at: node.location, code: "out-of-range",
                    "evidence level \(value) is out of range: expected 1 to 5 (Oxford CEBM 2011)")
            }
        }
        let direction = reader.required("direction", log: &log)
            .flatMap {
                ScalarReader.keyword($0, name: "direction", values: EvidenceDirection.allCases.map(\.rawValue), log: &log)
            }
            .flatMap(EvidenceDirection.init(rawValue:))
        var refs: [String] = []
        if let node = reader.optional("refs") {
            guard let list = ScalarReader.stringList(node, log: &log) else { return nil }
            refs = list.map(\.0)
            citations += list.map { Citation(id: $0.0, location: $0.1) }
        }
        guard let level, let direction else { return nil }
        return Evidence(level: level, direction: direction, refs: refs, location: node.location)
    }

    private static func tiers(_ node: YAMLNode, log: inout DiagnosticLog) -> Tiers? {
        guard let reader = MappingReader(node, what: "tiers", keys: ["recommended", "consider"], log: &log) else {
            return nil
        }
        let recommended = reader.required("recommended", log: &log).flatMap { ScalarReader.int($0, log: &log) }
        let consider = reader.required("consider", log: &log).flatMap { ScalarReader.int($0, log: &log) }
        guard let recommended, let consider else { return nil }
        guard consider <= recommended else {
            log.error(
                at: reader.keyLocation("consider"), code: "tier-order",
                "tiers.consider \(consider) is greater than tiers.recommended \(recommended): "
                    + "the consider band must start at or below the recommended one")
            return nil
        }
        return Tiers(
            recommended: Int(recommended), consider: Int(consider), location: node.location,
            recommendedLocation: reader.keyLocation("recommended"), considerLocation: reader.keyLocation("consider"))
    }
}
