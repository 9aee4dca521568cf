import ArgumentParser
import CandidacyKit
import Foundation

/// The output formats of `evaluate`.
enum EvaluateFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case markdown
}

/// `candidacy evaluate`: each therapy's tier, score and the steps behind them, for each patient.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluates patients against the rule pack and explains each therapy's tier."
    )

    @Argument(help: "Patient files, YAML or JSON.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var patients: [String] = []

    @OptionGroup var pack: PackOptions

    @Option(help: "The output format.")
    var format: EvaluateFormat = .text

    @Option(name: .customLong("as-of"), help: "Evaluate at this date (YYYY-MM-DD) instead of the patient's as_of.")
    var asOf: String?

    @Option(name: .customLong("therapy"), help: "Evaluate only this therapy id (repeatable).")
    var therapies: [String] = []

    func validate() throws {
        if patients.isEmpty { throw ValidationError("Give at least one patient file.") }
        if let asOf, CivilDate(parsing: asOf) == nil {
            throw ValidationError("--as-of '\(asOf)' is not a date: expected YYYY-MM-DD, a real day.")
        }
    }

    func run() throws {
        let compiled = try pack.compiledPack()
        let known = compiled.therapies.map(\.therapy.id)
        for id in therapies where !known.contains(id) {
            throw ValidationError("unknown therapy '\(id)'; expected one of \(known.joined(separator: ", "))\(Suggestion.didYouMean(id, in: known))")
        }

        var loaded: [Patient] = []
        var failures: [DiagnosticError] = []
        for file in patients {
            do {
                loaded.append(try PatientLoader.load(file: file, profile: compiled.pack.profile))
            } catch {
                failures.append(error)
            }
        }
        if !failures.isEmpty {
            for failure in failures { print(failure.description, to: &StandardError.stream) }
            throw ExitCode(failures.contains { $0.kind == .unreadable } ? 66 : 65)
        }

        let evaluator = Evaluator(pack: compiled)
        let date = asOf.flatMap(CivilDate.init(parsing:))
        let filter = therapies.isEmpty ? nil : Set(therapies)
        let context = ReportContext(pack: compiled, colour: Terminal.wantsColour && format == .text)
        let reporter: any EvaluationReporter = switch format {
        case .text: TextReporter()
        case .json: JSONReporter(pretty: loaded.count == 1)
        case .markdown: MarkdownReporter()
        }
        var output = ""
        for (index, patient) in loaded.enumerated() {
            let evaluation = evaluator.evaluate(patient, asOf: date ?? patient.asOf ?? Terminal.today, therapies: filter)
            if index > 0, format != .json { output += "\n" }
            output += reporter.render(evaluation, context: context)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// Facts about the process's environment that decide how output looks.
enum Terminal {
    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty.
    static var wantsColour: Bool {
        if let noColour = ProcessInfo.processInfo.environment["NO_COLOR"], !noColour.isEmpty { return false }
        return isatty(STDOUT_FILENO) != 0
    }

    /// Today's date in UTC, used only when neither `--as-of` nor the patient gives one.
    static var today: CivilDate {
        CivilDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
