import BenchmarkSupport
import CandidacyKit
import Foundation

// A quick, dependency-light benchmark, and the Candidacy side of the peer comparison.
//
//   perf-probe loop [decisions|full] [patients] [repeats]
//       Evaluates the fixture patients cycled to `patients`, `repeats` times; prints the median
//       rate. The target for `valgrind --tool=callgrind` instruction counts too.
//   perf-probe rules N [patients] [repeats]
//       Evaluates patients against a generated pack of N rules (decisions); prints the median rate.
//   perf-probe cohort FILE.jsonl [THERAPY] [repeats] [--tiers OUT]
//       Reads a JSON Lines cohort as `candidacy evaluate` does, evaluates it (decisions) on one
//       core, prints the median rates of reading and of evaluating, and with --tiers writes
//       "id tier score" per patient for THERAPY.
//   perf-probe lists [repeats]
//       One patient whose conservative_care holds 1k, 10k and 100k empty items (every item
//       unknown to every rule that reads the list): the median time (and per item) to load it
//       from JSON, decide, decide with explanations, and write the JSON report, to show the
//       cost is linear and bounded by the step budget.

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

let arguments = Array(CommandLine.arguments.dropFirst())
let pack = try BenchmarkData.shippedPack()

switch arguments.first ?? "loop" {
case "lists":
    let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
    let decisions = Evaluator(pack: pack, detail: .decisions)
    let full = Evaluator(pack: pack, detail: .full)
    let context = ReportContext(pack: pack)
    for count in [1_000, 10_000, 100_000] {
        // Items missing every field the rules read, so that every item is unknown and its
        // paths are gathered: the case that was quadratic (issue 21).
        let care = Array(repeating: "{}", count: count).joined(separator: ",")
        let text = #"{"id":"lists","as_of":"2026-10-02","diagnosis":"knee_osteoarthritis","age":60,"kl_grade":2,"#
            + #""conservative_care":[\#(care)]}"#
        var load: [Double] = [], decide: [Double] = [], explain: [Double] = [], report: [Double] = []
        var bytes = 0
        for _ in 0..<repeats {
            var start = now()
            let patient = try PatientLoader.load(contents: Array(text.utf8), file: "lists.json", profile: pack.pack.profile)
            load.append(Double(now() - start) / 1e9)
            start = now()
            _ = decisions.evaluate(patient)
            decide.append(Double(now() - start) / 1e9)
            start = now()
            let evaluation = full.evaluate(patient)
            explain.append(Double(now() - start) / 1e9)
            start = now()
            bytes = JSONReporter(pretty: false).render(evaluation, context: context).utf8.count
            report.append(Double(now() - start) / 1e9)
        }
        func cell(_ values: [Double]) -> String {
            let seconds = median(values)
            return "\(String(format: "%.3f", seconds)) s (\(String(format: "%.2f", seconds * 1e6 / Double(count))) µs/item)"
        }
        print("lists: \(count) items: load \(cell(load)) · decisions \(cell(decide)) · explained \(cell(explain)) · "
            + "JSON report \(cell(report)), \(bytes) bytes")
    }
case "rules":
    let ruleCount = arguments.count > 1 ? Int(arguments[1]) ?? 1_000 : 1_000
    let count = arguments.count > 2 ? Int(arguments[2]) ?? 1_000 : 1_000
    let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
    let generated = try CompiledPack(BenchmarkData.generatedPack(ruleCount: ruleCount))
    let patients = BenchmarkData.cohort(count, from: try BenchmarkData.fixturePatients(pack: pack))
    let evaluator = Evaluator(pack: generated, detail: .decisions)
    var rates: [Double] = []
    for _ in 0..<repeats {
        let start = now()
        for patient in patients { _ = evaluator.evaluate(patient) }
        rates.append(Double(count) / (Double(now() - start) / 1e9))
    }
    let rate = median(rates)
    print("\(ruleCount) rules: \(count) patients × \(repeats): median \(Int(rate)) patients/s, \(String(format: "%.1f", 1e6 / rate)) µs/patient, \(String(format: "%.3f", 1e6 / rate / Double(ruleCount))) µs/rule")
case "cohort":
    guard arguments.count > 1 else { fatalError("usage: perf-probe cohort FILE.jsonl [THERAPY] [repeats] [--tiers OUT]") }
    let therapy = arguments.count > 2 && !arguments[2].hasPrefix("--") && arguments[2] != "all" ? arguments[2] : nil
    let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
    let tiersPath = arguments.firstIndex(of: "--tiers").map { arguments[$0 + 1] }
    let data = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
    let lines = data.split(separator: UInt8(ascii: "\n"))
    var patients: [Patient] = []
    // The reader `candidacy evaluate` uses for JSON Lines (one-pass fast path, full reader behind it).
    let reader = JSONLineReader(profile: pack.pack.profile)
    let readStart = now()
    for (index, line) in lines.enumerated() {
        patients.append(try reader.batchPatient(line: line, file: "cohort.jsonl", number: index + 1))
    }
    let readSeconds = Double(now() - readStart) / 1e9
    let evaluator = Evaluator(pack: pack, detail: .decisions)
    let filter = therapy.map { Set([$0]) }
    var rates: [Double] = []
    var evaluations: [PatientEvaluation] = []
    for _ in 0..<repeats {
        evaluations.removeAll(keepingCapacity: true)
        let start = now()
        for patient in patients { evaluations.append(evaluator.evaluate(patient, therapies: filter)) }
        rates.append(Double(patients.count) / (Double(now() - start) / 1e9))
    }
    let evaluateRate = median(rates)
    let readRate = Double(patients.count) / readSeconds
    print("patients: \(patients.count)")
    print("read (JSONLineReader.batchPatient): \(Int(readRate)) patients/s")
    print("evaluate (\(therapy ?? "all therapies"), decisions): median \(Int(evaluateRate)) patients/s over \(repeats) runs")
    print("read + evaluate: \(Int(1 / (1 / readRate + 1 / evaluateRate))) patients/s")
    if let tiersPath, let therapy {
        var text = ""
        for evaluation in evaluations {
            guard let decision = evaluation.decisions.first(where: { $0.therapy == therapy }) else { continue }
            text += "\(evaluation.patient) \(decision.tier.rawValue) \(decision.score)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: tiersPath))
    }
default:
    let mode = arguments.count > 1 ? arguments[1] : "decisions"
    let count = arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000
    let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
    let patients = BenchmarkData.cohort(count, from: try BenchmarkData.fixturePatients(pack: pack))
    let evaluator = Evaluator(pack: pack, detail: mode == "full" ? .full : .decisions)
    var rates: [Double] = []
    var checksum = 0
    for _ in 0..<repeats {
        let start = now()
        for patient in patients {
            for decision in evaluator.evaluate(patient).decisions { checksum &+= decision.score &+ decision.missing.count }
        }
        rates.append(Double(count) / (Double(now() - start) / 1e9))
    }
    let rate = median(rates)
    print("\(mode): \(count) patients × \(repeats): median \(Int(rate)) patients/s, \(String(format: "%.2f", 1e6 / rate)) µs/patient (checksum \(checksum))")
}
