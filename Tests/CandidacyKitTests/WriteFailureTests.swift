import Foundation
import Testing

/// Every subcommand that writes checks its writes: a full disk is an error naming the output and
/// the cause with exit 74 (`EX_IOERR`), and a reader that has gone ends the run quietly with the
/// status the shell gives `SIGPIPE` (issue 21). Nothing is lost without a word.
@Suite struct WriteFailureTests {
    /// A cohort of 300 JSON Lines records, written once for the suite.
    static let cohort: URL = {
        var lines = ""
        for index in 0..<300 {
            lines += #"{"id":"w\#(index)","as_of":"2026-10-02","diagnosis":"knee_osteoarthritis","age":60,"kl_grade":2}"# + "\n"
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-write-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("cohort.jsonl")
        try? Data(lines.utf8).write(to: file)
        return file
    }()

    /// Each subcommand that writes to standard output, with arguments that make it write.
    static let commands: [[String]] = [
        ["evaluate", "Fixtures/oa-kl2-after-hyaluronic-acid-prp-recommended.yaml"],
        ["evaluate", "--format", "json", "Fixtures/oa-kl2-after-hyaluronic-acid-prp-recommended.yaml", "Fixtures/oa-kl4-end-stage.yaml"],
        ["evaluate", "--format", "decisions", "COHORT"],
        ["evaluate", "--format", "json", "COHORT", "--jobs", "2"],
        ["evaluate", "--format", "text", "COHORT", "--jobs", "1"],
        ["lint", "Rules"],
        ["lint", "--list"],
        ["doc", "--rules", "Rules"],
        ["test", "Fixtures", "--filter", "oa-kl2"],
        ["diff", "Rules", "Rules", "--fixtures", "Fixtures"],
    ]

    static func arguments(_ arguments: [String]) -> [String] {
        arguments.map { $0 == "COHORT" ? cohort.path : $0 }
    }

    /// Runs the binary with the given standard output; returns how it ended and its standard error.
    static func run(_ arguments: [String], output: Any) throws -> (status: Int32, reason: Process.TerminationReason, errors: String) {
        let process = Process()
        process.executableURL = try CommandLineTests.binary()
        process.arguments = Self.arguments(arguments)
        process.currentDirectoryURL = CommandLineTests.root
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, String(decoding: errorData, as: UTF8.self))
    }

    @Test(arguments: commands)
    func aFullDiskIsAnErrorWithExit74(_ arguments: [String]) throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"), "/dev/full is not available")
        let run = try Self.run(arguments, output: full)
        #expect(run.reason == .exit)
        #expect(run.status == 74, "\(arguments): \(run.errors)")
        #expect(run.errors.contains("candidacy: error: cannot write to standard output: No space left on device"))
    }

    @Test(arguments: commands)
    func aClosedPipeEndsTheRunQuietly(_ arguments: [String]) throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let run = try Self.run(arguments, output: pipe)
        // Killed by SIGPIPE, as `cat` or `sort` would be (the shell shows 141), and nothing said.
        #expect(run.reason == .uncaughtSignal && run.status == SIGPIPE, "\(arguments): \(run.reason) \(run.status)")
        #expect(run.errors.isEmpty, "\(arguments): \(run.errors)")
    }

    /// `--summary` of a JSON cohort goes to standard error: when that fails, the run says so by
    /// its status.
    @Test func aFailedSummaryOnStandardErrorExits74() throws {
        let process = Process()
        process.executableURL = try CommandLineTests.binary()
        process.arguments = ["evaluate", "--format", "decisions", "--summary", Self.cohort.path]
        process.currentDirectoryURL = CommandLineTests.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/full")
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
    }
}
