import ArgumentParser
import CandidacyKit
import Foundation

/// The output formats of `test`.
enum TestFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `candidacy test`: runs the fixture cases against the rule pack as a regression suite, with
/// JUnit output, rule coverage and threshold mutation testing.
struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Runs the fixture cases against the rule pack as a regression suite.",
        discussion: """
            Each fixture × therapy expectation is one test. The run ends with 'N passed, M failed' \
            and exits 1 when any expectation fails or the coverage is below --coverage-min; 65 when \
            a fixture is invalid, 66 when one cannot be read.
            """
    )

    @Argument(help: "Fixture folders (searched recursively) or files (default: Fixtures).", completion: .directory)
    var paths: [String] = []

    @OptionGroup var pack: PackOptions

    @Option(help: "Run only the fixtures whose file path or case id contains PATTERN (case-sensitive).")
    var filter: String?

    @Option(help: "The output format.")
    var format: TestFormat = .text

    @Option(help: "Also write the results as JUnit XML to FILE.", completion: .file())
    var junit: String?

    @Flag(help: "Report rule coverage: the outcomes each rule and condition item reached.")
    var coverage = false

    @Option(name: .customLong("coverage-min"), help: "Fail when rule coverage is below PCT percent (implies --coverage).")
    var coverageMinimum: Double?

    @Flag(help: "Run threshold mutation testing and print the surviving mutants and the mutation score.")
    var mutate = false

    func validate() throws {
        if let coverageMinimum, !(0...100).contains(coverageMinimum) {
            throw ValidationError("--coverage-min \(coverageMinimum) is not a percentage: expected 0 to 100.")
        }
        if filter?.isEmpty == true { throw ValidationError("--filter needs a non-empty pattern.") }
    }

    func run() throws {
        let compiled = try pack.compiledPack()
        let suite: FixtureSuite
        do {
            suite = try FixtureSuite.load(paths: paths.isEmpty ? ["Fixtures"] : paths, filter: filter, pack: compiled)
        } catch {
            throw Diagnostics.exit(reporting: error)
        }
        if let filter, suite.fixtures.isEmpty, suite.excludedCount > 0 {
            throw ValidationError("--filter '\(filter)' selects none of the \(suite.excludedCount) fixtures.")
        }

        let result = FixtureRunner(pack: compiled).run(suite)
        let measured = coverage || coverageMinimum != nil ? RuleCoverage(pack: compiled, result: result) : nil
        let mutation = mutate ? MutationTester(pack: compiled).run(suite, baseline: result) : nil
        let report = TestReport(
            pack: compiled, result: result, coverage: measured, coverageMinimum: coverageMinimum, mutation: mutation)

        if let junit {
            do {
                try Data(JUnitReporter().render(report).utf8).write(to: URL(fileURLWithPath: junit))
            } catch {
                print("\(junit): error: cannot write the JUnit report: \(error.localizedDescription)", to: &StandardError.stream)
                throw ExitCode(73)
            }
        }
        let reporter: any TestReporter = switch format {
        case .text: TestTextReporter()
        case .json: TestJSONReporter()
        }
        try Output.standardOutput(reporter.render(report))
        if !report.passed { throw ExitCode(1) }
    }
}
