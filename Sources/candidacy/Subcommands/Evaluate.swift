import ArgumentParser
import CandidacyKit
import Foundation

/// The output formats of `evaluate`.
enum EvaluateFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case markdown
    case decisions
}

/// `candidacy evaluate`: each therapy's tier, score and the steps behind them, for each patient.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluates patients against the rule pack and explains each therapy's tier."
    )

    @Argument(
        help: "Patient files, YAML or JSON; or one cohort: a .jsonl or .csv file, or - for JSON Lines on standard input.",
        completion: .file(extensions: ["yaml", "yml", "json", "jsonl", "ndjson", "csv"]))
    var patients: [String] = []

    @OptionGroup var pack: PackOptions

    @Option(help: "The output format.")
    var format: EvaluateFormat = .text

    @Option(name: .customLong("as-of"), help: "Evaluate at this date (YYYY-MM-DD) instead of the patient's as_of.")
    var asOf: String?

    @Option(name: .customLong("therapy"), help: "Evaluate only this therapy id (repeatable).")
    var therapies: [String] = []

    @Flag(help: "Print the patients per therapy and tier at the end (on standard error with JSON output).")
    var summary = false

    @Option(help: "Evaluate a cohort on this many threads, 1 to 4 times the active cores (default: the active cores).")
    var jobs: Int?

    /// The most `--jobs` a run may ask for: more threads than this only wait on each other.
    static var maximumJobs: Int { 4 * max(1, ProcessInfo.processInfo.activeProcessorCount) }

    @Flag(name: .customLong("fail-fast"), help: "Stop a cohort at its first invalid record, after writing its error line.")
    var failFast = false

    /// The cohort input, when the only argument is one.
    var cohort: (path: String, kind: RecordSource.Kind)? {
        guard patients.count == 1, let path = patients.first else { return nil }
        return Self.cohortKind(path).map { (path, $0) }
    }

    static func cohortKind(_ path: String) -> RecordSource.Kind? {
        if path == "-" { return .lines }
        let lowered = path.lowercased()
        if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") { return .lines }
        if lowered.hasSuffix(".csv") { return .csv }
        return nil
    }

    func validate() throws {
        if patients.isEmpty { throw ValidationError("Give at least one patient file.") }
        if patients.count > 1, let path = patients.first(where: { Self.cohortKind($0) != nil }) {
            throw ValidationError("'\(path)' is a cohort (.jsonl, .csv or -): give it as the only patient argument.")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
        if let jobs, jobs > Self.maximumJobs {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            throw ValidationError(
                "--jobs \(jobs) is more than \(Self.maximumJobs), 4 times the \(cores) active cores: give 1 to \(Self.maximumJobs).")
        }
        if cohort == nil, failFast || jobs != nil {
            throw ValidationError("--fail-fast and --jobs apply to a cohort (.jsonl, .csv or -).")
        }
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

        let date = asOf.flatMap(CivilDate.init(parsing:))
        let filter = therapies.isEmpty ? nil : Set(therapies)
        if let cohort {
            try runCohort(cohort.path, kind: cohort.kind, compiled: compiled, date: date, filter: filter)
            return
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

        let evaluator = Evaluator(pack: compiled, detail: format == .decisions ? .decisions : .full)
        let context = ReportContext(pack: compiled, colour: Terminal.wantsColour && format == .text)
        let reporter: (any EvaluationReporter)? = switch format {
        case .text: TextReporter()
        case .json: JSONReporter(pretty: loaded.count == 1)
        case .markdown: MarkdownReporter()
        case .decisions: nil
        }
        var output = ""
        var counts = BatchSummary(therapies: compiled.therapies.map(\.therapy.id))
        for (index, patient) in loaded.enumerated() {
            let evaluation = evaluator.evaluate(patient, asOf: date ?? patient.asOf ?? Terminal.today, therapies: filter)
            counts.count(evaluation)
            if index > 0, format == .text || format == .markdown { output += "\n" }
            if let reporter {
                output += reporter.render(evaluation, context: context)
            } else {
                output += String(decoding: BatchLine.decisions(evaluation, line: nil), as: UTF8.self)
            }
        }
        if summary, format == .text || format == .markdown { output += "\n" + counts.rendered() }
        try Output.standardOutput(output)
        if summary, format == .json || format == .decisions { try Output.standardError(counts.rendered()) }
    }

    /// Evaluates a cohort: one line (or report) per record, in order, errors included.
    private func runCohort(
        _ path: String, kind: RecordSource.Kind, compiled: CompiledPack, date: CivilDate?, filter: Set<String>?
    ) throws {
        let profile = compiled.pack.profile
        let runner: BatchRunner
        let source: RecordSource
        do {
            // A full report of the shipped pack is some 35 KB against a decisions line's 1 KB: smaller batches
            // keep the memory of the batches in flight about the same.
            source = try RecordSource(path: path, kind: kind, recordsPerBatch: format == .decisions ? 1_024 : 64)
            let input: BatchRunner.Input
            switch kind {
            case .lines:
                input = .jsonLines(JSONLineReader(profile: profile))
            case .csv:
                guard let header = try source.nextBatch(limit: 1), let record = header.records.first else {
                    throw DiagnosticError(.error(
                        at: SourceLocation(file: path, line: 1, column: 1), code: "csv-syntax",
                        "the file is empty: expected a header row naming the profile's fields"))
                }
                input = .csv(try CSVPatientReader(header: header.bytes[record.range], file: path, profile: profile))
            }
            let batchFormat: BatchRunner.Format = switch format {
            case .decisions: .decisions
            case .json: .json
            case .text: .text
            case .markdown: .markdown
            }
            runner = BatchRunner(
                pack: compiled, format: batchFormat, input: input, file: path,
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, failFast: failFast, asOf: date,
                today: Terminal.today, therapies: filter, colour: Terminal.wantsColour && format == .text)
        } catch {
            throw Diagnostics.exit(reporting: error)
        }
        let meter = ProgressMeter(total: source.totalBytes)
        let counts: BatchSummary
        // The first write that failed: it stops the run, and the cohort exits 74, never 0.
        var failure: WriteFailure?
        func writer(_ descriptor: Int32) -> (borrowing [UInt8]) -> Bool {
            { bytes in
                do throws(WriteFailure) {
                    try Output.write(bytes, to: descriptor)
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
        }
        do {
            counts = try runner.run(
                source: source, write: writer(STDOUT_FILENO), writeErrors: writer(STDERR_FILENO),
                progress: meter.map { meter in { meter.update($0) } })
        } catch {
            meter?.clear()
            throw Diagnostics.exit(reporting: error)
        }
        meter?.clear()
        if let failure { throw failure.exit }
        if summary {
            let text = counts.rendered()
            if format == .text || format == .markdown {
                try Output.standardOutput("\n" + text)
            } else {
                try Output.standardError(text)
            }
        }
        if counts.failed > 0 { throw ExitCode(65) }
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
