import Foundation
import Testing
@testable import CandidacyKit

/// `candidacy diff` run as a reviewer would: exit codes, formats, and `--git` on a temporary
/// repository.
@Suite struct DiffCommandLineTests {
    static let root = CommandLineTests.root

    /// Runs git in a folder, with an identity of its own so that commits work anywhere.
    @discardableResult
    static func git(_ arguments: [String], in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Candidacy Tests", "-c", "user.email=tests@example.org",
                             "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + arguments
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self)
    }

    /// A temporary git repository with the shipped pack committed as `Rules/`, then
    /// `min_platelet_count` changed to 150 in the working tree.
    static func repository() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("Rules"), to: folder.appendingPathComponent("Rules"))
        try git(["init", "-q"], in: folder)
        try git(["add", "Rules"], in: folder)
        try git(["commit", "-q", "-m", "pack"], in: folder)
        let prp = folder.appendingPathComponent("Rules/prp.yaml")
        let text = try String(contentsOf: prp, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "  min_platelet_count:\n    value: 100\n", with: "  min_platelet_count:\n    value: 150\n").utf8)
            .write(to: prp)
        return folder
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func gitRevisionIsTheOldPack() throws {
        let repository = try Self.repository()
        let fixtures = Self.root.appendingPathComponent("Fixtures").path
        let run = try CommandLineTests.run(
            ["diff", "--git", "HEAD", "Rules", "--fixtures", fixtures, "--format", "json"], in: repository)
        #expect(run.status == 0, "\(run.errors)")
        let object = try Self.json(run.output)
        let old = try #require(object["old"] as? [String: Any])
        #expect(old["path"] as? String == "HEAD:Rules")
        let shipped = try CompiledPack(RulePackLoader.load(directory: Self.root.appendingPathComponent("Rules").path))
        #expect(old["digest"] as? String == shipped.digest, "the revision's files are read byte for byte")
        let changes = try #require(object["pack_changes"] as? [[String: Any]])
        #expect(changes.map { $0["summary"] as? String } == ["parameter min_platelet_count: 100 → 150"])
        let cases = try #require(object["case_changes"] as? [[String: Any]])
        #expect(cases.map { ($0["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } } == [
            "oa-platelets-100.yaml", "oa-platelets-101.yaml",
        ])

        // The same through the library, with the folder given by its absolute path.
        let pack = try GitPackReader.load(revision: "HEAD", directory: repository.appendingPathComponent("Rules").path + "/")
        #expect(pack.path == "HEAD:" + repository.appendingPathComponent("Rules").path)
        #expect(try CompiledPack(pack).digest == shipped.digest)
    }

    @Test func gitPackAtTheRepositoryRoot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-git-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Rules"), to: folder)
        try Self.git(["init", "-q"], in: folder)
        try Self.git(["add", "."], in: folder)
        try Self.git(["commit", "-q", "-m", "pack"], in: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("eswt.yaml"))
        let run = try CommandLineTests.run(
            ["diff", "--git", "HEAD", ".", "--fixtures", Self.root.appendingPathComponent("Fixtures/eswt-pregnant-oa.yaml").path],
            in: folder)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("eswt  therapy eswt removed: Extracorporeal shockwave therapy (ESWT)"))
        #expect(run.output.contains("eswt  contraindicated · score "))
        #expect(run.output.contains("→ not in the new pack"))
    }

    @Test func gitErrorsExit66() throws {
        let repository = try Self.repository()
        let fixtures = Self.root.appendingPathComponent("Fixtures").path
        let revision = try CommandLineTests.run(["diff", "--git", "no-such-branch", "Rules", "--fixtures", fixtures], in: repository)
        #expect(revision.status == 66)
        #expect(revision.output.isEmpty)
        #expect(revision.errors.contains("no-such-branch:Rules:1:1: error: cannot read the rule pack: 'no-such-branch' names no commit"))

        let option = try CommandLineTests.run(["diff", "--git=--output=x", "Rules", "--fixtures", fixtures], in: repository)
        #expect(option.status == 66)
        #expect(option.errors.contains("is not a git revision"))

        try FileManager.default.createDirectory(at: repository.appendingPathComponent("Empty"), withIntermediateDirectories: true)
        let missing = try CommandLineTests.run(["diff", "--git", "HEAD", "Empty", "--fixtures", fixtures], in: repository)
        #expect(missing.status == 66)
        #expect(missing.errors.contains("HEAD:Empty:1:1: error: cannot read the rule pack: the folder 'Empty/' has no files at HEAD"))

        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-nogit-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Rules"), to: plain)
        let notRepository = try CommandLineTests.run(["diff", "--git", "HEAD", plain.path, "--fixtures", fixtures])
        #expect(notRepository.status == 66)
        #expect(notRepository.errors.contains("not a git repository"))
    }

    @Test func exitsZeroWhenCasesMoveAndIsDeterministic() throws {
        let repository = try Self.repository()
        let arguments = ["diff", "Rules", repository.appendingPathComponent("Rules").path, "--fixtures", "Fixtures"]
        for format in ["text", "markdown", "json"] {
            let first = try CommandLineTests.run(arguments + ["--format", format])
            let second = try CommandLineTests.run(arguments + ["--format", format])
            #expect(first.status == 0)
            #expect(first.errors.isEmpty)
            #expect(!first.output.isEmpty)
            #expect(first.output == second.output)
        }
        let total = try FixtureLoader.files(under: [CommandLineTests.root.appendingPathComponent("Fixtures").path]).count
        let markdown = try CommandLineTests.run(arguments + ["--format", "markdown"])
        #expect(markdown.output.contains("**2 of \(total) cases change: 2 tiers.** \(total - 2) cases unchanged."))
        let same = try CommandLineTests.run(["diff", "Rules", "Rules", "--fixtures", "Fixtures"])
        #expect(same.status == 0)
        #expect(same.output.contains("none of \(total) cases change"))
    }

    @Test func usageErrorsExit64() throws {
        #expect(try CommandLineTests.run(["diff", "Rules", "--fixtures", "Fixtures"]).status == 64)
        #expect(try CommandLineTests.run(["diff", "Rules", "Rules"]).status == 64)
        #expect(try CommandLineTests.run(["diff", "--git", "HEAD", "Rules", "Rules", "--fixtures", "Fixtures"]).status == 64)
        #expect(try CommandLineTests.run(["diff", "Rules", "Rules", "--fixtures", "Fixtures", "--format", "sarif"]).status == 64)
    }

    @Test func invalidOrUnreadableInput() throws {
        let broken = try DiffTests.editedCopy("prp.yaml") {
            $0.replacingOccurrences(of: "when: labs.platelet_count < params.min_platelet_count", with: "when: labs.platelet_cont < params.min_platelet_count")
        }
        let invalid = try CommandLineTests.run(["diff", "Rules", broken.path, "--fixtures", "Fixtures"])
        #expect(invalid.status == 65)
        #expect(invalid.output.isEmpty)
        #expect(invalid.errors.contains("\(broken.path)/prp.yaml:"))
        #expect(invalid.errors.contains(": error: "))

        let pack = try CommandLineTests.run(["diff", "Rules", "no-such-pack", "--fixtures", "Fixtures"])
        #expect(pack.status == 66)
        #expect(pack.errors.contains("no-such-pack:1:1: error: cannot read the rule pack: no such folder"))
        let fixtures = try CommandLineTests.run(["diff", "Rules", "Rules", "--fixtures", "no-such-fixtures"])
        #expect(fixtures.status == 66)
        #expect(fixtures.errors.contains("no-such-fixtures"))
    }

    @Test func readmeDocumentsDiff() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("candidacy diff --git main Rules --fixtures Fixtures"))
        let formats = try String(contentsOf: Self.root.appendingPathComponent("docs/FORMATS.md"), encoding: .utf8)
        #expect(formats.contains("## Diff"))
    }
}
