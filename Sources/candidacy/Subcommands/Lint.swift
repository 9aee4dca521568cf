import ArgumentParser
import CandidacyKit
import Foundation

/// The output formats of `lint`; `markdown` only with `--list` (it prints docs/LINT.md).
enum LintFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case sarif
    case markdown
}

/// `candidacy lint`: the load and type errors of a rule pack and the findings of every lint check.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Checks a rule pack: load and type errors, then the lint catalogue (candidacy lint --list).",
        discussion: """
            Exit status: 0 no errors (warnings allowed unless --strict), 1 errors or, with --strict, warnings, \
            64 usage error, 66 the folder cannot be read. docs/LINT.md documents every check; regenerate it with \
            swift run candidacy lint --list --format markdown > docs/LINT.md
            """
    )

    @Argument(help: "The rule pack folder.", completion: .directory)
    var directory: String = "Rules"

    @Option(help: "The output format: text, json or sarif (markdown only with --list).")
    var format: LintFormat = .text

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Option(name: .customLong("as-of"), help: "The date review_by is compared with (YYYY-MM-DD; default today, UTC).")
    var asOf: String?

    @Flag(help: "Print the catalogue of checks (id, severity, description) instead of linting.")
    var list = false

    func validate() throws {
        if let asOf, CivilDate(parsing: asOf) == nil {
            throw ValidationError("--as-of '\(asOf)' is not a date: expected YYYY-MM-DD, a real day.")
        }
        if list && format == .sarif {
            throw ValidationError("--list prints the catalogue as text, json or markdown, not sarif.")
        }
        if !list && format == .markdown {
            throw ValidationError("--format markdown is only for --list (the catalogue, docs/LINT.md); use text, json or sarif.")
        }
    }

    func run() throws {
        if list {
            let renderer = LintCatalogueRenderer()
            let output = switch format {
            case .json: renderer.json()
            case .markdown: renderer.markdown()
            default: renderer.text()
            }
            try Output.standardOutput(output)
            return
        }
        let date = asOf.flatMap(CivilDate.init(parsing:)) ?? Terminal.today
        let report: LintReport
        do {
            report = try Linter().lint(directory: directory, asOf: date)
        } catch {
            print(error.description, to: &StandardError.stream)
            throw ExitCode(66)
        }
        let reporter: any LintReporter = switch format {
        case .json: LintJSONReporter()
        case .sarif: LintSARIFReporter()
        default: LintTextReporter()
        }
        try Output.standardOutput(reporter.render(report))
        if report.fails(strict: strict) { throw ExitCode(1) }
    }
}
