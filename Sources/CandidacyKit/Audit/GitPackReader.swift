import Foundation

/// Reads a rule pack folder as it was at a git revision, so that a change can be diffed
/// against the pack it replaces: `candidacy diff --git main Rules`.
///
/// The folder must exist in the working tree (git is run in it to find the repository); its
/// files are read from the revision with `git ls-tree` and `git cat-file`, byte for byte, and
/// loaded with ``RulePackLoader/load(files:path:)`` under the path `REV:folder`, so that
/// locations read like `main:Rules/prp.yaml:19:5`. Subfolders and symbolic links are not read,
/// as ``RulePackLoader/load(directory:)`` reads only the files directly in the folder.
public enum GitPackReader {
    /// Loads the pack in `directory` as it was at `revision`.
    ///
    /// - Throws: ``DiagnosticError`` of kind `.unreadable` when git cannot be run, the folder is
    ///   not in a git repository, the revision names no commit, or the folder does not exist at
    ///   that revision; otherwise what ``RulePackLoader/load(files:path:)`` throws.
    public static func load(revision: String, directory: String) throws(DiagnosticError) -> RulePack {
        let folder = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let path = "\(revision):\(folder)"
        return try RulePackLoader.load(files: files(revision: revision, directory: folder, label: path), path: path)
    }

    /// The pack files directly in `directory` at `revision`, named by their base names.
    static func files(revision: String, directory: String, label: String) throws(DiagnosticError) -> [PackFile] {
        func fail(_ message: String) -> DiagnosticError {
            DiagnosticError(
                .error(at: SourceLocation(file: label, line: 1, column: 1), code: "unreadable-file", message),
                kind: .unreadable)
        }
        guard !revision.isEmpty, !revision.hasPrefix("-") else {
            throw fail("cannot read the rule pack: '\(revision)' is not a git revision")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw fail("cannot read the rule pack: no such folder '\(directory)' here to find its git repository in")
        }
        let prefix = try text(git(["rev-parse", "--show-prefix"], in: directory, failure: fail))
        let root = try text(git(["rev-parse", "--show-toplevel"], in: directory, failure: fail))
        do {
            _ = try git(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], in: root, failure: fail)
        } catch {
            throw fail("cannot read the rule pack: '\(revision)' names no commit of the repository at \(root)")
        }
        var arguments = ["ls-tree", "-z", revision]
        if !prefix.isEmpty { arguments += ["--", prefix] }
        let listing = try git(arguments, in: root, failure: fail)
        var files: [PackFile] = []
        for entry in listing.split(separator: 0) {
            // "<mode> SP <type> SP <object> TAB <path>"
            guard let tab = entry.firstIndex(of: 9) else { continue }
            let fields = String(decoding: entry[entry.startIndex..<tab], as: UTF8.self).split(separator: " ")
            let name = String(decoding: entry[(tab + 1)...], as: UTF8.self).split(separator: "/").last.map(String.init)
            guard fields.count == 3, fields[1] == "blob", fields[0] != "120000", let name else { continue }
            let contents = try git(["cat-file", "blob", String(fields[2])], in: root, failure: fail)
            files.append(PackFile(path: name, contents: contents))
        }
        if files.isEmpty {
            throw fail("cannot read the rule pack: the folder '\(prefix.isEmpty ? "." : prefix)' has no files at \(revision)")
        }
        return files
    }

    /// Runs git in a folder and returns its standard output.
    private static func git(
        _ arguments: [String], in folder: String, failure: (String) -> DiagnosticError
    ) throws(DiagnosticError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw failure("cannot read the rule pack: git cannot be run (\(error.localizedDescription))")
        }
        let errorData = Locked()
        let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: errorData.wait(), as: UTF8.self)
            .split(separator: "\n").first.map(String.init) ?? ""
        guard process.terminationStatus == 0 else {
            let detail = message.isEmpty ? "git \(arguments.first ?? "") failed" : message
            throw failure("cannot read the rule pack: \(detail)")
        }
        return [UInt8](data)
    }

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Standard error's bytes, read on another thread so that neither pipe can fill and block git.
    private final class Locked: @unchecked Sendable {
        private let condition = NSCondition()
        private var data: Data?

        func set(_ value: Data) {
            condition.lock()
            data = value
            condition.broadcast()
            condition.unlock()
        }

        func wait() -> Data {
            condition.lock()
            defer { condition.unlock() }
            while data == nil { condition.wait() }
            return data ?? Data()
        }
    }
}
