import Foundation
import Testing

/// `candidacy lint` run as CI runs it: exit codes, `--strict`, `--list`, the formats.
@Suite struct LintCommandLineTests {
    static let seeded = "Tests/CandidacyKitTests/Data/Lint/seeded"

    /// A pack whose only findings are warnings (an unused parameter).
    static func warningsOnlyPack() throws -> URL {
        let profile = try CommandLineTests.temporaryFile("profile.yaml", "schema_version: 1\nfields:\n  age: { type: int, min: 0, max: 120 }\n")
        let folder = profile.deletingLastPathComponent()
        try Data("""
            therapy: t
            title: T
            version: 1.0.0
            parameters: { unused: { value: 3 } }
            references: { r: { citation: "Source 2020." } }
            rules:
              - { id: t-old, kind: score, points: 2, title: Older, when: age > 50, reason: Why., evidence: { level: 5, direction: for, refs: [r] } }
            tiers: { recommended: 2, consider: 1 }

            """.utf8)
            .write(to: folder.appendingPathComponent("t.yaml"))
        return folder
    }

    @Test func shippedPackPassesStrict() throws {
        let run = try CommandLineTests.run(["lint", "--strict", "Rules"])
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("Rules: no findings (2 switched off"))
    }

    @Test func errorsExit1WithOneLinePerFinding() throws {
        let run = try CommandLineTests.run(["lint", Self.seeded, "--as-of", "2026-01-01"])
        #expect(run.status == 1)
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 16)
        #expect(lines.contains { $0 == "\(Self.seeded)/seeded defects.yaml:13:61: error: in rule 'seeded-old', `age > 130` is always false: age is 0 to 120 [constant-condition]" })
        #expect(lines.last == "\(Self.seeded): 5 errors, 10 warnings (1 switched off by the pack's lint: block)")
    }

    @Test func warningsFailOnlyWithStrict() throws {
        let folder = try Self.warningsOnlyPack()
        let plain = try CommandLineTests.run(["lint", folder.path])
        #expect(plain.status == 0)
        #expect(plain.output.contains("warning: parameter 'unused' is read by no condition of therapy 't' [unused-parameter]"))
        let strict = try CommandLineTests.run(["lint", "--strict", folder.path])
        #expect(strict.status == 1)
    }

    @Test func listPrintsTheCatalogue() throws {
        let run = try CommandLineTests.run(["lint", "--list"])
        #expect(run.status == 0)
        #expect(run.output.split(separator: "\n").count == 18)
        #expect(run.output.contains("unreachable-tier            error    A scored tier can never be reached"))
        let markdown = try CommandLineTests.run(["lint", "--list", "--format", "markdown"])
        let committed = try String(contentsOf: CommandLineTests.root.appendingPathComponent("docs/LINT.md"), encoding: .utf8)
        #expect(markdown.output == committed)
        let json = try CommandLineTests.run(["lint", "--list", "--format", "json"])
        let checks = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(checks.count == 18)
    }

    @Test func sarifOnTheShippedPack() throws {
        let run = try CommandLineTests.run(["lint", "--format", "sarif", "Rules"])
        #expect(run.status == 0)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0["suppressions"] != nil })
        let uris = results.compactMap { ($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any] }
            .compactMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
        #expect(uris.allSatisfy { $0.hasPrefix("Rules/") })
    }

    @Test func jsonListsFindingsAndSwitchOffs() throws {
        let run = try CommandLineTests.run(["lint", "--format", "json", "--as-of", "2026-01-01", Self.seeded])
        #expect(run.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect((document["findings"] as? [Any])?.count == 15)
        #expect((document["suppressed"] as? [Any])?.count == 1)
        #expect((document["summary"] as? [String: Any])?["errors"] as? Int == 5)
    }

    @Test func usageAndUnreadable() throws {
        #expect(try CommandLineTests.run(["lint", "--as-of", "2026-02-30", "Rules"]).status == 64)
        #expect(try CommandLineTests.run(["lint", "--format", "markdown", "Rules"]).status == 64)
        #expect(try CommandLineTests.run(["lint", "--list", "--format", "sarif"]).status == 64)
        let missing = try CommandLineTests.run(["lint", "--format", "sarif", "no-such-folder"])
        #expect(missing.status == 66)
        #expect(missing.output.isEmpty)
        #expect(missing.errors.contains("no-such-folder:1:1: error: cannot read the rule pack: no such folder"))
    }
}
