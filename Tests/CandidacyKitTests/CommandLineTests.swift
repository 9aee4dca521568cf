import Foundation
import Testing

/// Runs the built `candidacy` binary, as a clinician or CI would, and checks exit codes and output.
@Suite struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// The `candidacy` executable beside the test bundle (`swift test` builds every product).
    static func binary() throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("candidacy"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("candidacy"),
            Bundle.main.bundleURL.appendingPathComponent("candidacy"),
        ]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "the candidacy executable was not built beside the tests")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL = root) throws -> Run {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                   errors: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryFile(_ name: String, _ contents: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: file)
        return file
    }

    /// The README's first command, run as written: it must work and explain every therapy.
    @Test func evaluatesTheReadmeCase() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let command = try #require(readme.split(separator: "\n").first { $0.hasPrefix("swift run candidacy evaluate ") })
        let arguments = command.split(separator: "#")[0].split(separator: " ").dropFirst(3).map(String.init)
        #expect(arguments.first == "evaluate")
        #expect(arguments.dropFirst().allSatisfy { $0.hasPrefix("Fixtures/") })
        let run = try Self.run(arguments)
        #expect(run.status == 0)
        #expect(run.output.contains("Decision support only"))
        for therapy in ["1. ", "2. ", "3. ", "prp", "stem-cell", "eswt", "Tier: ", "Guidelines for "] {
            #expect(run.output.contains(therapy))
        }
        #expect(!run.output.contains("\u{1B}["), "no colour when not on a terminal")
    }

    @Test(arguments: ["text", "json", "markdown"])
    func outputIsByteIdentical(_ format: String) throws {
        let arguments = ["evaluate", "--format", format, "Fixtures/eswt-tendinopathy-after-pt.yaml", "Fixtures/eswt-runner-no-care-recorded.yaml", "Fixtures/eswt-pregnant-oa.yaml"]
        let first = try Self.run(arguments)
        let second = try Self.run(arguments)
        #expect(first.status == 0)
        #expect(first.output == second.output)
        #expect(!first.output.isEmpty)
    }

    @Test func jsonHasOneDocumentPerPatient() throws {
        let run = try Self.run(["evaluate", "--format", "json", "Fixtures/eswt-pregnant-oa.yaml", "Fixtures/eswt-runner-no-care-recorded.yaml"])
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let keys = Set(object?.keys.map { $0 } ?? [])
            #expect(keys.isSuperset(of: ["schema_version", "patient", "as_of", "rule_pack", "engine", "therapies"]))
        }
    }

    @Test func worksFromAnyFolderWithTheShippedPack() throws {
        let inRepo = try Self.run(["evaluate", "--format", "json", Self.root.appendingPathComponent("Fixtures/eswt-pregnant-oa.yaml").path])
        let elsewhere = try Self.run(["evaluate", "--format", "json", Self.root.appendingPathComponent("Fixtures/eswt-pregnant-oa.yaml").path],
                                     in: FileManager.default.temporaryDirectory)
        #expect(elsewhere.status == 0)
        #expect(inRepo.output == elsewhere.output)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try Self.run(["evaluate"]).status == 64)
        #expect(try Self.run(["evaluate", "--format", "pdf", "Fixtures/eswt-pregnant-oa.yaml"]).status == 64)
        #expect(try Self.run(["evaluate", "--as-of", "2026-02-30", "Fixtures/eswt-pregnant-oa.yaml"]).status == 64)
        let therapy = try Self.run(["evaluate", "--therapy", "esw", "Fixtures/eswt-pregnant-oa.yaml"])
        #expect(therapy.status == 64)
        #expect(therapy.errors.contains("did you mean 'eswt'?"))
    }

    @Test func invalidPatientExits65WithLocation() throws {
        let file = try Self.temporaryFile("bad.yaml", "id: x\ndiagnossis: other\nage: 130\n")
        let run = try Self.run(["evaluate", file.path])
        #expect(run.status == 65)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("\(file.path):2:1: error: unknown field 'diagnossis'; did you mean 'diagnosis'?"))
        #expect(run.errors.contains("\(file.path):3:6: error:"))
    }

    @Test func unreadableFileExits66() throws {
        let run = try Self.run(["evaluate", "no/such/case.yaml"])
        #expect(run.status == 66)
        #expect(run.errors.contains("no/such/case.yaml"))
    }

    @Test func brokenPackExits65BeforeEvaluating() throws {
        let profile = try Self.temporaryFile("profile.yaml", "schema_version: 1\nfields:\n  age: { type: int }\n")
        let folder = profile.deletingLastPathComponent()
        try Data("therapy: t\ntitle: T\nversion: 1.0.0\nrules:\n  - { id: t-a, kind: exclude, title: A, when: 'agee > 3' }\ntiers: { recommended: 2, consider: 1 }\n".utf8)
            .write(to: folder.appendingPathComponent("t.yaml"))
        let patient = try Self.temporaryFile("p.yaml", "age: 3\n")
        let run = try Self.run(["evaluate", "--rules", folder.path, patient.path])
        #expect(run.status == 65)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("\(folder.path)/t.yaml:5:48: error: unknown identifier 'agee'; did you mean 'age'?"))
        let lint = try Self.run(["lint", folder.path])
        #expect(lint.status == 1)
        #expect(lint.output.contains("\(folder.path)/t.yaml:5:48: error:"))
    }

    @Test func lintPassesOnTheShippedPack() throws {
        let run = try Self.run(["lint", "Rules"])
        #expect(run.status == 0)
    }

    @Test func docPrintsTheRuleBook() throws {
        let run = try Self.run(["doc", "--rules", "Rules"])
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("# Candidacy rule book\n"))
        let committed = try? String(contentsOf: Self.root.appendingPathComponent("docs/RULEBOOK.md"), encoding: .utf8)
        #expect(run.output == committed, "regenerate docs/RULEBOOK.md with `swift run candidacy doc --rules Rules`")
        let elsewhere = try Self.run(["doc"], in: FileManager.default.temporaryDirectory)
        #expect(elsewhere.status == 0)
        #expect(elsewhere.output.hasPrefix("# Candidacy rule book\n"))
    }

    @Test func docReportsAnUnreadablePack() throws {
        let run = try Self.run(["doc", "--rules", "no-such-folder"])
        #expect(run.status == 66)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("no-such-folder:1:1: error: cannot read the rule pack: no such folder"))
    }
}
