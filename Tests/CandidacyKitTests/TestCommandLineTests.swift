import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `candidacy test` run as the built binary: exit codes 0, 1, 64, 65 and 66, and the JUnit file.
@Suite struct TestCommandLineTests {
    /// A folder holding one shipped fixture, optionally edited.
    private static func folder(editing edit: (String) -> String = { $0 }) throws -> URL {
        let source = CommandLineTests.root.appendingPathComponent("Fixtures/tendinopathy-5-weeks-pt.yaml")
        let text = try String(contentsOf: source, encoding: .utf8)
        let file = try CommandLineTests.temporaryFile("case.yaml", edit(text))
        return file.deletingLastPathComponent()
    }

    @Test func shippedFixturesPass() throws {
        let run = try CommandLineTests.run(["test", "Fixtures"])
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        #expect(run.output.hasSuffix(" passed, 0 failed\n"))
    }

    @Test func changedExpectationExitsOne() throws {
        let folder = try Self.folder {
            $0.replacingOccurrences(of: "eswt: { tier: ineligible", with: "eswt: { tier: consider")
        }
        let junit = folder.appendingPathComponent("report.xml")
        let run = try CommandLineTests.run(["test", folder.path, "--junit", junit.path])
        #expect(run.status == 1)
        #expect(run.output.contains("FAIL \(folder.path)/case.yaml:"))
        #expect(run.output.contains(": eswt: expected tier consider, got ineligible"))
        #expect(run.output.contains("deciding steps:\n    false    eswt-failed-conservative-care  require  Rules/eswt.yaml:"))
        #expect(run.output.hasSuffix("\n3 passed, 1 failed\n"))
        let parser = XMLParser(data: try Data(contentsOf: junit))
        #expect(parser.parse(), "the JUnit file is well-formed XML")
    }

    @Test func filterSelectsByPathOrCaseID() throws {
        let byPath = try CommandLineTests.run(["test", "Fixtures", "--filter", "/eswt-tendinopathy-after-pt.yaml"])
        #expect(byPath.status == 0)
        #expect(byPath.output.contains(" · 1 fixture · "))
        let folder = try Self.folder()
        let byID = try CommandLineTests.run(["test", folder.path, "--filter", "case-079"])
        #expect(byID.status == 0)
        #expect(byID.output.contains(" · 1 fixture · "))
        let none = try CommandLineTests.run(["test", folder.path, "--filter", "case-002"])
        #expect(none.status == 64)
        #expect(none.errors.contains("--filter 'case-002' selects none of the 1 fixtures"))
    }

    @Test func invalidFixtureExits65WithItsLocation() throws {
        let folder = try Self.folder { $0.replacingOccurrences(of: "  eswt: {", with: "  eswtt: {") }
        let run = try CommandLineTests.run(["test", folder.path])
        #expect(run.status == 65)
        #expect(run.errors.contains("\(folder.path)/case.yaml:"))
        #expect(run.errors.contains("unknown therapy 'eswtt' in expect; did you mean 'eswt'?"))
        #expect(run.output.isEmpty)
    }

    @Test func missingFolderExits66() throws {
        let run = try CommandLineTests.run(["test", "No-Such-Folder"])
        #expect(run.status == 66)
    }

    @Test func badCoverageMinimumIsAUsageError() throws {
        let run = try CommandLineTests.run(["test", "Fixtures", "--coverage-min", "150"])
        #expect(run.status == 64)
    }

    @Test func coverageMinimumFailsTheRun() throws {
        let folder = try Self.folder()
        let low = try CommandLineTests.run(["test", folder.path, "--coverage-min", "99"])
        #expect(low.status == 1)
        #expect(low.output.contains("is below the minimum of 99.0%"))
        let met = try CommandLineTests.run(["test", folder.path, "--coverage-min", "1", "--format", "json"])
        #expect(met.status == 0)
        #expect(met.output.contains("\"coverage\": {"))
    }

    @Test func outputIsDeterministic() throws {
        let arguments = ["test", "Fixtures", "--coverage", "--mutate"]
        let first = try CommandLineTests.run(arguments)
        let second = try CommandLineTests.run(arguments)
        #expect(first.output == second.output)
        #expect(first.output.contains("Mutation score: "))
    }
}
