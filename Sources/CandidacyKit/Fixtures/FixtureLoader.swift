import Foundation

/// Loads fixture files (DESIGN.md section 5) and finds them in folders.
///
/// A fixture is checked against the compiled pack it will run against: its `patient` against
/// the profile, as ``PatientLoader`` checks a patient file; its `expect` against the pack's
/// therapies, their rules and the six tiers. Every problem is a ``Diagnostic`` at its
/// `file:line:column`, saying what was found and what was expected, with "did you mean" for
/// near misses; one load reports as many problems as it can find.
public enum FixtureLoader {
    /// The keys of a fixture file, all required.
    public static let keys = ["description", "patient", "expect"]
    /// The keys of one therapy's expectation, at least one of them required.
    public static let expectationKeys = ["tier", "score", "because"]
    /// The extensions of the files ``files(under:)`` picks up.
    public static let fileExtensions = ["yaml", "yml", "json"]

    /// Loads the fixture in a file.
    ///
    /// - Throws: ``DiagnosticError``: `.unreadable` when the file cannot be read, `.invalid`
    ///   with every problem found in it otherwise.
    public static func load(file: String, pack: CompiledPack) throws(DiagnosticError) -> Fixture {
        let contents = try YAMLFrontEnd.readFile(atPath: file)
        return try load(contents: contents, file: file, pack: pack)
    }

    /// Loads a fixture from a file's bytes.
    ///
    /// - Parameters:
    ///   - contents: The file's bytes, YAML or JSON in UTF-8.
    ///   - file: The path to name in locations.
    ///   - pack: The pack whose profile, therapies and rules the fixture must use.
    /// - Throws: ``DiagnosticError`` of kind `.invalid` with every problem found.
    public static func load(contents: [UInt8], file: String, pack: CompiledPack) throws(DiagnosticError) -> Fixture {
        let document = try YAMLFrontEnd.parse(contents, file: file)
        var log = DiagnosticLog()
        guard let root = MappingReader.root(of: document, what: "fixture", keys: keys, log: &log) else {
            throw DiagnosticError(log.diagnostics)
        }
        var description: String?
        if let node = root.required("description", log: &log) {
            description = readDescription(node, log: &log)
        }
        var patient: Patient?
        if let node = root.required("patient", log: &log) {
            patient = readPatient(
                node, keyLocation: root.keyLocation("patient"), contents: contents, file: file, pack: pack, log: &log)
        }
        var expectations: [Fixture.Expectation]?
        if let node = root.required("expect", log: &log) {
            expectations = readExpectations(node, keyLocation: root.keyLocation("expect"), pack: pack, log: &log)
        }
        guard log.isEmpty, let description, let patient, let expectations else {
            throw DiagnosticError(log.diagnostics)
        }
        return Fixture(file: file, description: description, patient: patient, expectations: expectations)
    }

    // MARK: - Parts

    /// The one-line description: a non-empty string.
    private static func readDescription(_ node: YAMLNode, log: inout DiagnosticLog) -> String? {
        guard let text = ScalarReader.string(node, subject: "description", log: &log) else { return nil }
        guard !text.allSatisfy(\.isWhitespace) else {
            log.error(
                at: node.location, code: "wrong-type",
                "description: expected a line saying what the case is, found an empty string")
            return nil
        }
        return text
    }

    /// The patient: a mapping that records `as_of`, checked by ``PatientLoader``.
    private static func readPatient(
        _ node: YAMLNode, keyLocation: SourceLocation, contents: [UInt8], file: String, pack: CompiledPack,
        log: inout DiagnosticLog
    ) -> Patient? {
        guard let pairs = node.pairs else {
            log.error(
                at: node.location, code: "wrong-type",
                "patient: expected a mapping of patient fields, found \(ScalarReader.describe(node))")
            return nil
        }
        let profile = pack.pack.profile
        if let field = profile.field(named: "patient") {
            // PatientLoader would read the whole file as the patient.
            log.error(
                at: keyLocation, code: "unsupported-profile",
                "the profile declares a field named 'patient' (at \(field.location)), so a fixture's patient "
                    + "cannot be told apart from it: rename the field to use fixtures")
            return nil
        }
        var valid = true
        let asOf = pairs.first { $0.key.scalarText == "as_of" }
        if asOf == nil || asOf?.value.isNull == true {
            log.error(
                at: asOf?.key.location ?? keyLocation, code: "missing-as-of",
                "a fixture needs patient.as_of so that it never depends on today's date")
            valid = false
        }
        do {
            let patient = try PatientLoader.load(contents: contents, file: file, profile: profile)
            return valid ? patient : nil
        } catch {
            log.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// The expectations: a non-empty mapping from therapy ids of the pack to expectations.
    private static func readExpectations(
        _ node: YAMLNode, keyLocation: SourceLocation, pack: CompiledPack, log: inout DiagnosticLog
    ) -> [Fixture.Expectation]? {
        let therapyIDs = pack.therapies.map(\.therapy.id)
        let listing = therapyIDs.joined(separator: ", ")
        if node.isNull || node.pairs?.isEmpty == true {
            log.error(
                at: keyLocation, code: "empty-expect",
                "expect is empty: expected at least one therapy id (one of \(listing)) with its expected tier, score or because")
            return nil
        }
        guard let pairs = node.pairs else {
            log.error(
                at: node.location, code: "wrong-type",
                "expect: expected a mapping from therapy ids to expectations, found \(ScalarReader.describe(node))")
            return nil
        }
        var result: [Fixture.Expectation] = []
        var valid = true
        for pair in pairs {
            let id = pair.key.scalarText ?? ""
            let therapy = pack.therapies.first { $0.therapy.id == id }?.therapy
            if therapy == nil {
                let suggestion = Suggestion.didYouMean(id, in: therapyIDs)
                let hint = suggestion.isEmpty ? "; expected one of \(listing)" : suggestion
                log.error(
                    at: pair.key.location, code: "unknown-therapy",
                    "unknown therapy '\(ScalarReader.excerpt(id))' in expect\(hint)")
                valid = false
            }
            if let expectation = readExpectation(
                pair.value, id: id, location: pair.key.location, therapy: therapy, pack: pack, log: &log) {
                result.append(expectation)
            } else {
                valid = false
            }
        }
        return valid ? result : nil
    }

    /// One therapy's expectation. `therapy` is `nil` when the id is unknown; the rest is
    /// still checked, except the rules of `because`.
    private static func readExpectation(
        _ node: YAMLNode, id: String, location: SourceLocation, therapy: Therapy?, pack: CompiledPack,
        log: inout DiagnosticLog
    ) -> Fixture.Expectation? {
        let subject = ScalarReader.excerpt(id)
        guard node.pairs != nil else {
            log.error(
                at: node.location, code: "wrong-type",
                "\(subject): expected a mapping with tier, score or because, found \(ScalarReader.describe(node))")
            return nil
        }
        let errorsBefore = log.diagnostics.count
        guard let reader = MappingReader(node, what: "the expectation for \(subject)", keys: expectationKeys, log: &log)
        else { return nil }
        var expectation = Fixture.Expectation(therapy: id, location: location)

        if let value = reader.pair("tier")?.value {
            expectation.tier = readTier(value, subject: "\(subject).tier", log: &log)
            expectation.tierLocation = value.location
        }
        if let value = reader.pair("score")?.value {
            expectation.score = ScalarReader.int(value, subject: "\(subject).score", log: &log).flatMap { Int(exactly: $0) }
            expectation.scoreLocation = value.location
        }
        if let value = reader.pair("because")?.value,
            let rules = ScalarReader.stringList(value, subject: "\(subject).because", log: &log) {
            for (rule, ruleLocation) in rules {
                if expectation.because.contains(rule) {
                    log.error(
                        at: ruleLocation, code: "duplicate-rule",
                        "\(subject).because: '\(ScalarReader.excerpt(rule))' is listed twice")
                    continue
                }
                if let therapy {
                    checkRule(rule, at: ruleLocation, of: therapy, subject: subject, pack: pack, log: &log)
                }
                expectation.because.append(rule)
                expectation.becauseLocations.append(ruleLocation)
            }
        }

        guard log.diagnostics.count == errorsBefore else { return nil }
        if expectation.tier == nil, expectation.score == nil, expectation.because.isEmpty {
            log.error(
                at: node.location, code: "empty-expectation",
                "the expectation for \(subject) expects nothing: expected tier, score or because")
            return nil
        }
        return expectation
    }

    /// A tier, by its name in DESIGN.md 2.4.
    private static func readTier(_ node: YAMLNode, subject: String, log: inout DiagnosticLog) -> Tier? {
        let names = Tier.allCases.map(\.rawValue)
        let expected = "expected one of \(names.joined(separator: ", "))"
        guard let text = node.scalarText, !node.isNull else {
            log.error(
                at: node.location, code: "wrong-type",
                "\(subject): expected a tier (one of \(names.joined(separator: ", "))), found \(ScalarReader.describe(node))")
            return nil
        }
        guard let tier = Tier(rawValue: text) else {
            log.error(
                at: node.location, code: "unknown-value",
                "\(subject): unknown tier '\(ScalarReader.excerpt(text))'; \(expected)" + Suggestion.didYouMean(text, in: names))
            return nil
        }
        return tier
    }

    /// Checks that a rule of `because` is a rule of the therapy.
    private static func checkRule(
        _ rule: String, at location: SourceLocation, of therapy: Therapy, subject: String, pack: CompiledPack,
        log: inout DiagnosticLog
    ) {
        let ruleIDs = therapy.rules.map(\.id)
        guard !ruleIDs.contains(rule) else { return }
        let prefix = "\(subject).because: '\(ScalarReader.excerpt(rule))'"
        if let owner = pack.pack.therapies.first(where: { $0.rules.contains { $0.id == rule } }) {
            log.error(
                at: location, code: "unknown-rule",
                "\(prefix) is a rule of \(owner.id), not of \(therapy.id)")
            return
        }
        let suggestion = Suggestion.didYouMean(rule, in: ruleIDs)
        let hint = suggestion.isEmpty ? "; expected one of \(ruleIDs.joined(separator: ", "))" : suggestion
        log.error(at: location, code: "unknown-rule", "\(prefix) is not a rule of \(therapy.id)\(hint)")
    }

    // MARK: - Finding fixtures

    /// The fixture files under some folders: every `*.yaml`, `*.yml` and `*.json` file, at any
    /// depth, sorted by path within each folder, folders in the order given.
    ///
    /// A path that names a file is taken as it is, whatever its extension. Names starting with
    /// `.` are skipped, and so are symbolic links to folders, so that a link cannot make the
    /// walk loop; symbolic links to files are followed. A path listed twice, or found under
    /// two folders, appears once.
    ///
    /// - Throws: ``DiagnosticError`` of kind `.unreadable` when a path does not exist or a
    ///   folder cannot be listed.
    public static func files(under directories: [String]) throws(DiagnosticError) -> [String] {
        var result: [String] = []
        var seen = Set<String>()
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
                throw unreadable(directory, "no such file or folder")
            }
            var found: [String] = []
            if isDirectory.boolValue {
                try walk(directory, into: &found)
                found.sort()
            } else {
                found = [directory]
            }
            for file in found where seen.insert(file).inserted {
                result.append(file)
            }
        }
        return result
    }

    private static func walk(_ directory: String, into files: inout [String]) throws(DiagnosticError) {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory)
        } catch {
            throw unreadable(directory, "the folder cannot be listed")
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : "\(directory)/\(name)"
            let type = (try? manager.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            if type == .typeDirectory {
                try walk(path, into: &files)
                continue
            }
            guard fileExtensions.contains(where: { name.hasSuffix(".\($0)") }) else { continue }
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
    }

    private static func unreadable(_ path: String, _ reason: String) -> DiagnosticError {
        DiagnosticError(
            .error(at: SourceLocation(file: path, line: 1, column: 1), code: "unreadable-file", "cannot read: \(reason)"),
            kind: .unreadable)
    }
}
