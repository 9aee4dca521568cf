import ArgumentParser
import CandidacyKit
import Foundation

/// The `--rules` option shared by the subcommands that read a rule pack.
struct PackOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "The rule pack folder (default: Rules/ here, else the shipped pack).", completion: .directory)
    var rules: String?

    /// Loads and compiles the pack, or prints its errors and exits 65 (66 if unreadable).
    func compiledPack() throws -> CompiledPack {
        do {
            let pack = try loadPack()
            // The carried files' digest was worked out when they were embedded.
            return try CompiledPack(pack, knownDigest: PackDigest.Known(files: Self.shippedFiles, digest: ShippedRules.digest))
        } catch {
            throw Diagnostics.exit(reporting: error)
        }
    }

    /// Loads the pack without compiling its conditions: `--rules`, else `Rules/` in the working
    /// folder, else the pack the binary carries.
    ///
    /// Files with the same name and bytes as the carried pack's are not parsed again: the
    /// binary carries their parsed YAML (`scripts/embed-rules.py`), which keeps a cold start short.
    func loadPack() throws(DiagnosticError) -> RulePack {
        if let rules { return try RulePackLoader.load(directory: rules, known: Self.shippedFiles) }
        if FileManager.default.fileExists(atPath: "Rules/profile.yaml") {
            return try RulePackLoader.load(directory: "Rules", known: Self.shippedFiles)
        }
        return try RulePackLoader.load(files: Self.shippedFiles, path: "Rules")
    }

    /// The pack the binary carries, with each file's pre-parsed YAML.
    static var shippedFiles: [PackFile] {
        ShippedRules.files.map { file in
            PackFile(
                path: file.name, contents: Array(Data(base64Encoded: file.base64) ?? Data()),
                preparsed: Data(base64Encoded: file.preparsed).map { Array($0) })
        }
    }
}

/// Printing diagnostics to standard error and choosing the exit status.
enum Diagnostics {
    /// Prints the error's diagnostics and returns the exit code DESIGN.md section 4 assigns:
    /// 66 for an unreadable file, 65 for invalid content, 71 when the system refuses a thread.
    static func exit(reporting error: any Error) -> ExitCode {
        if let failure = error as? DiagnosticError {
            print(failure.description, to: &StandardError.stream)
            switch failure.kind {
            case .unreadable: return ExitCode(66)
            case .invalid: return ExitCode(65)
            case .system: return ExitCode(71)
            }
        }
        print("error: \(error)", to: &StandardError.stream)
        return ExitCode(65)
    }
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    nonisolated(unsafe) static var stream = StandardError()

    /// Diagnostics: a failed write cannot be reported anywhere else, and the command's exit
    /// status (65, 66 or 74) already says that something failed; a closed pipe ends the process.
    mutating func write(_ string: String) {
        try? Output.write(string, to: STDERR_FILENO)
    }
}
