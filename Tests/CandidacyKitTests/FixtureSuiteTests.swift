import Foundation
import Testing
import CandidacyKit

/// The shipped regression cases: every fixture under `Fixtures/` must hold against the shipped
/// pack in `Rules/`. Each fixture is one test case, named by its file.
@Suite struct FixtureSuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The shipped pack, compiled once.
    static let pack: Result<CompiledPack, DiagnosticError> = Result { () throws(DiagnosticError) -> CompiledPack in
        try CompiledPack(RulePackLoader.load(directory: root.appendingPathComponent("Rules").path))
    }

    /// The fixture files, relative to the package root (`Fixtures/…`), sorted.
    static let fixtureFiles: [String] = {
        let folder = root.appendingPathComponent("Fixtures").path
        let files = (try? FixtureLoader.files(under: [folder])) ?? []
        return files.map { "Fixtures" + $0.dropFirst(folder.count) }
    }()

    @Test func thereAreFixtures() {
        #expect(Self.fixtureFiles.count >= 1, "no fixture found under Fixtures/")
    }

    @Test func shippedPackCompiles() throws {
        _ = try Self.pack.get()
    }

    @Test(arguments: fixtureFiles)
    func fixtureHolds(_ file: String) throws {
        let pack = try Self.pack.get()
        let contents = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(file)))
        let fixture: Fixture
        do {
            fixture = try FixtureLoader.load(contents: contents, file: file, pack: pack)
        } catch {
            for diagnostic in error.diagnostics {
                Issue.record(Comment(rawValue: diagnostic.description), sourceLocation: Self.testing(diagnostic.location))
            }
            return
        }
        let result = FixtureRunner(pack: pack).run(fixture)
        #expect(!result.expectations.isEmpty)
        for failure in result.failures {
            Issue.record(Comment(rawValue: failure.description), sourceLocation: Self.testing(failure.location))
        }
    }

    /// A fixture location as a test source location, so that the issue points at the fixture's line.
    private static func testing(_ location: CandidacyKit.SourceLocation) -> Testing.SourceLocation {
        Testing.SourceLocation(
            fileID: location.file, filePath: root.appendingPathComponent(location.file).path,
            line: max(location.line, 1), column: max(location.column, 1))
    }
}
