import Foundation

/// Loads a rule pack: `profile.yaml` and one YAML file per therapy (DESIGN.md 2.1 and 2.3).
///
/// Every problem in every file is reported in one ``DiagnosticError``, sorted by location:
/// YAML syntax, unknown or missing keys, wrong types, duplicate rule or therapy ids, `refs`
/// naming no reference of their file, `positions` naming a diagnosis the profile does not list. Conditions are read as text; their CEL is checked by
/// another layer. Locations name each file as the pack's path joined with the file name,
/// such as `Rules/eswt.yaml`.
public enum RulePackLoader {
    /// The name of the profile schema file in a pack.
    public static let profileFileName = "profile.yaml"

    /// Loads the pack in a folder: `profile.yaml` and every other `*.yaml` or `*.yml` file
    /// directly in it (subfolders are not read), therapies sorted by file name.
    ///
    /// - Parameter directory: The folder, as the user gave it; locations start with it.
    /// - Throws: ``DiagnosticError`` of kind ``DiagnosticError/Kind/unreadable`` when the folder,
    ///   its `profile.yaml` or one of its files cannot be read, or of kind
    ///   ``DiagnosticError/Kind/invalid`` with every problem found in the files.
    /// - Parameter known: Files whose parsed form is known, such as the pack the binary
    ///   carries: a file of the folder with the same name and bytes as one of them is not
    ///   parsed again (the pack is the same either way).
    public static func load(directory: String, known: [PackFile] = []) throws(DiagnosticError) -> RulePack {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let folder = SourceLocation(file: directory, line: 1, column: 1)
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            let reason = manager.fileExists(atPath: directory) ? "it is not a folder" : "no such folder"
            throw DiagnosticError(
                .error(at: folder, code: "unreadable-file", "cannot read the rule pack: \(reason)"), kind: .unreadable)
        }
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else {
            throw DiagnosticError(
                .error(at: folder, code: "unreadable-file", "cannot read the rule pack: the folder cannot be listed"),
                kind: .unreadable)
        }
        var selected = names.filter(isPackFileName).filter { name in
            var isFolder: ObjCBool = false
            return manager.fileExists(atPath: join(directory, name), isDirectory: &isFolder) && !isFolder.boolValue
        }
        if !selected.contains(profileFileName) { selected.append(profileFileName) }
        var files: [PackFile] = []
        var unreadable: [Diagnostic] = []
        for name in selected.sorted() {
            do {
                files.append(PackFile(path: name, contents: try YAMLFrontEnd.readFile(atPath: join(directory, name))))
            } catch {
                if error.kind == .unreadable { unreadable += error.diagnostics } else {
                    files.append(PackFile(path: name, contents: []))
                    unreadable += error.diagnostics
                }
            }
        }
        if !unreadable.isEmpty {
            let kind: DiagnosticError.Kind =
                unreadable.contains { $0.code == "unreadable-file" } ? .unreadable : .invalid
            throw DiagnosticError(unreadable, kind: kind)
        }
        if !known.isEmpty {
            for index in files.indices {
                if let match = known.first(where: { $0.path == files[index].path && $0.contents == files[index].contents }) {
                    files[index].preparsed = match.preparsed
                }
            }
        }
        return try load(files: files, path: directory)
    }

    /// Loads a pack from files in memory, as the command-line tool does with the pack it carries.
    ///
    /// - Parameters:
    ///   - files: The pack's files, each with its name in the pack (such as `eswt.yaml`) as
    ///     `path`; one must be `profile.yaml`. Names not ending in `.yaml` or `.yml` are skipped.
    ///   - path: The pack's folder, for locations: `Rules` gives `Rules/eswt.yaml:3:7`.
    /// - Returns: The pack; its ``RulePack/files`` are `profile.yaml` then the therapy files
    ///   sorted by name, with their paths joined to `path` and their exact bytes.
    /// - Throws: ``DiagnosticError``: `.unreadable` when `profile.yaml` is missing, `.invalid`
    ///   with every problem found otherwise.
    public static func load(files: [PackFile], path: String) throws(DiagnosticError) -> RulePack {
        try load(files: files, path: path, profile: nil)
    }

    /// Loads a pack whose `profile.yaml` has already been loaded, reading only its therapy
    /// files: the same pack as ``load(files:path:)`` gives when `profile` is what that file
    /// loads to, without parsing it again (for tools that load many therapy files beside one
    /// profile, such as the fuzz targets).
    ///
    /// - Parameters:
    ///   - files: The pack's files, `profile.yaml` among them (its bytes are kept for the
    ///     pack's digest, not read).
    ///   - path: The pack's folder, for locations.
    ///   - profile: The profile that `profile.yaml` loads to.
    public static func load(files: [PackFile], path: String, profile: ProfileSchema) throws(DiagnosticError) -> RulePack {
        try load(files: files, path: path, profile: .some(profile))
    }

    private static func load(files: [PackFile], path: String, profile loaded: ProfileSchema?) throws(DiagnosticError)
        -> RulePack
    {
        let named = files.filter { isPackFileName(fileName($0.path)) }
        guard let profileFile = named.first(where: { $0.path == profileFileName }) else {
            throw DiagnosticError(
                .error(
                    at: SourceLocation(file: join(path, profileFileName), line: 1, column: 1), code: "unreadable-file",
                    "cannot read the file: no such file (a rule pack needs a profile.yaml)"),
                kind: .unreadable)
        }
        let therapyFiles = named.filter { $0.path != profileFile.path }.sorted { $0.path < $1.path }
        let ordered = [profileFile] + therapyFiles
        let packFiles = ordered.map { PackFile(path: join(path, $0.path), contents: $0.contents) }

        var log = DiagnosticLog()
        var profile = loaded
        if profile == nil {
            do {
                let document = try parse(profileFile, as: packFiles[0].path)
                profile = ProfileLoader.load(document, log: &log)
            } catch {
                log.append(contentsOf: error.diagnostics)
            }
        }

        var therapies: [Therapy] = []
        var ruleCount = 0
        for (original, file) in zip(ordered, packFiles).dropFirst() {
            do {
                let document = try parse(original, as: file.path)
                if let therapy = TherapyLoader.load(document, profile: profile, log: &log) {
                    therapies.append(therapy)
                    ruleCount += therapy.rules.count
                    if ruleCount > LoadingLimits.maximumRuleCount {
                        // The rest of the pack is not read: its size alone makes it invalid.
                        let first = therapy.rules[therapy.rules.count - (ruleCount - LoadingLimits.maximumRuleCount)]
                        log.error(
                            at: first.location, code: "limit-exceeded",
                            "rule '\(first.id)' is past the pack's limit: a rule pack holds at most "
                                + "\(LoadingLimits.maximumRuleCount) rules")
                        break
                    }
                }
            } catch {
                log.append(contentsOf: error.diagnostics)
            }
        }
        checkUniqueness(therapies, log: &log)

        guard let profile, log.isEmpty else { throw DiagnosticError(log.diagnostics) }
        return RulePack(path: path, profile: profile, therapies: therapies, files: packFiles)
    }

    /// The same pack loaded again from its files' bytes: an equal pack whose values share no
    /// storage with `pack`'s (for a thread of its own), or `nil` if it does not load to an
    /// equal pack (it always should: loading is deterministic).
    static func copy(of pack: RulePack) -> RulePack? {
        let prefix = join(pack.path, "")
        var files: [PackFile] = []
        for file in pack.files {
            guard file.path.hasPrefix(prefix) else { return nil }
            files.append(PackFile(path: String(file.path.dropFirst(prefix.count)), contents: file.contents))
        }
        guard let copy = try? load(files: files, path: pack.path), copy == pack else { return nil }
        return copy
    }

    /// A file's document: its preparsed form when it has a well-formed one, else parsed.
    private static func parse(_ file: PackFile, as path: String) throws(DiagnosticError) -> YAMLDocument {
        if let archive = file.preparsed, let document = PreparsedYAML.document(archive, text: file.contents, file: path) {
            return document
        }
        return try YAMLFrontEnd.parse(file.contents, file: path)
    }

    /// Duplicate therapy ids and rule ids across the pack: an error at each later one.
    private static func checkUniqueness(_ therapies: [Therapy], log: inout DiagnosticLog) {
        var therapyIDs: [String: SourceLocation] = [:]
        var ruleIDs: [String: SourceLocation] = [:]
        func claim(_ id: String, kind: String, at location: SourceLocation, in seen: inout [String: SourceLocation]) {
            if let first = seen[id] {
                log.error(at: location, code: "duplicate-id", "duplicate \(kind) id '\(id)': already declared at \(first)")
            } else {
                seen[id] = location
            }
        }
        for therapy in therapies {
            claim(therapy.id, kind: "therapy", at: therapy.location, in: &therapyIDs)
            for rule in therapy.rules { claim(rule.id, kind: "rule", at: rule.location, in: &ruleIDs) }
        }
        let ids = therapies.map(\.id)
        for therapy in therapies {
            for rule in therapy.rules {
                guard let firstLine = rule.firstLine, !ids.contains(firstLine) else { continue }
                log.error(
                    at: rule.firstLineLocation ?? rule.location, code: "unknown-therapy",
                    "first_line '\(firstLine)' is not a therapy of this pack; expected one of \(ids.joined(separator: ", "))"
                        + Suggestion.didYouMean(firstLine, in: ids))
            }
        }
    }

    private static func isPackFileName(_ name: String) -> Bool {
        !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `folder/name`, or `name` alone when the folder is empty.
    static func join(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
