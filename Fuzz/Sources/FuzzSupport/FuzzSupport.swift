import CandidacyKit
import Foundation

/// What every fuzz target shares: the shipped rule pack, read once from the repository, and a
/// fixed patient to evaluate against.
///
/// The repository is found from this file's path (`Fuzz/Sources/FuzzSupport/`), or from the
/// environment variable `CANDIDACY_ROOT` when it is set. A fuzz target that cannot read the
/// shipped pack stops at once: that is a broken setup, not a finding.
public enum FuzzSupport {
    /// The repository's root folder.
    public static let root: String = {
        if let root = ProcessInfo.processInfo.environment["CANDIDACY_ROOT"], !root.isEmpty { return root }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// The shipped pack's files (`Rules/`), as ``RulePackLoader/load(files:path:)`` takes them.
    public static let packFiles: [PackFile] = {
        let folder = root + "/Rules"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name -> PackFile? in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            return PackFile(path: name, contents: [UInt8](data))
        }
        guard files.contains(where: { $0.path == RulePackLoader.profileFileName }) else {
            fail("no Rules/profile.yaml under \(root): set CANDIDACY_ROOT to the repository")
        }
        return files
    }()

    /// The shipped profile file's bytes.
    public static var profileFile: PackFile {
        packFiles.first { $0.path == RulePackLoader.profileFileName } ?? PackFile(path: "profile.yaml", contents: [])
    }

    /// The shipped pack, compiled.
    public static let pack: CompiledPack = {
        do {
            return try CompiledPack(RulePackLoader.load(files: packFiles, path: "Rules"))
        } catch {
            fail("the shipped pack does not load: \(error)")
        }
    }()

    /// A fixed, complete patient of the shipped profile (the README's example case).
    public static let patient: Patient = {
        do {
            return try PatientLoader.load(contents: patientFileBytes, file: "p.yaml", profile: pack.pack.profile)
        } catch {
            fail("the example patient does not load: \(error)")
        }
    }()

    /// The bytes of the example patient's file (a fixture, whose `patient` the loader reads).
    public static let patientFileBytes: [UInt8] = {
        let file = root + "/Fixtures/eswt-tendinopathy-after-pt.yaml"
        guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
        return [UInt8](data)
    }()

    /// A patient with no field recorded: every condition is unknown or decided by `has()`.
    public static let emptyPatient = Patient(file: "empty.yaml", record: Record(), locations: [:])

    /// The input's bytes.
    public static func bytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Evaluates a patient against a pack and renders the result as text and JSON, so the
    /// evaluator and the reporters see whatever the loaders let through.
    public static func evaluateAndRender(_ patient: Patient, with pack: CompiledPack) {
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        let context = ReportContext(pack: pack)
        _ = TextReporter().render(evaluation, context: context)
        _ = JSONReporter(pretty: false).render(evaluation, context: context)
    }

    /// A JSON Lines reader of the shipped profile.
    public static let lineReader = JSONLineReader(profile: pack.pack.profile)

    /// Stops with a crash unless `.decisions` decides as `.full` does (tier, score, range,
    /// provisional, missing fields, cautions and deciding rules of every therapy, in order).
    public static func compareDetails(_ patient: Patient, with pack: CompiledPack) {
        func outline(_ evaluation: PatientEvaluation) -> [String] {
            evaluation.decisions.map { decision in
                "\(decision.therapy) \(decision.tier) \(decision.score) \(decision.scoreRange) \(decision.provisional) "
                    + "\(decision.missing) \(decision.cautions) \(decision.deciding)"
            }
        }
        let full = outline(Evaluator(pack: pack, detail: .full).evaluate(patient))
        let decisions = outline(Evaluator(pack: pack, detail: .decisions).evaluate(patient))
        if full != decisions { fatalError("decisions \(decisions) differ from full \(full)") }
    }

    /// Builds the shared globals before the first input, so that no input's run allocates them
    /// (libFuzzer's leak check counts the allocations of each run).
    public static func prepare() {
        _ = pack
        _ = patient
        _ = lineReader
    }

    /// Stops the fuzzer because its setup is broken.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz setup: \(message)\n".utf8))
        exit(2)
    }
}

/// Builds the shared state once, before any input runs (libFuzzer calls it first in every
/// target, since each links this module), so no input pays for the setup or is blamed for it.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    FuzzSupport.prepare()
    return 0
}
