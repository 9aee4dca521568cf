import Foundation
import Testing
@testable import CandidacyKit

/// Each worker of a parallel batch evaluates with its own copy of the pack
/// (``BatchRunner/replica()``, from ``RulePackLoader/copy(of:)``): equal to the original,
/// sharing none of its strings, and writing the same bytes.
@Suite struct BatchReplicaTests {
    /// Where a string's UTF-8 bytes are stored (for strings too long to be stored inline).
    static func storage(_ string: String) -> UnsafeRawPointer? {
        var string = string
        return string.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    /// The pack's long strings that a batch retains for every patient: therapy and rule ids and
    /// the profile's enum values.
    static func longStrings(_ pack: RulePack) -> [String] {
        var strings = pack.therapies.flatMap { [$0.id] + $0.rules.map(\.id) }
        for field in pack.profile.fields {
            if case .enumeration(let values) = field.type { strings += values }
        }
        return strings.filter { $0.utf8.count > 15 }
    }

    static let shipped: RulePack? = try? FixtureSuiteTests.pack.get().pack

    @Test(arguments: ["Rules", "Rules/", ""])
    func copyIsEqualAndSharesNoStrings(_ path: String) throws {
        let shipped = try #require(Self.shipped)
        let names = shipped.files.map { String($0.path.split(separator: "/").last ?? "") }
        let pack = try RulePackLoader.load(
            files: zip(names, shipped.files).map { PackFile(path: $0, contents: $1.contents) }, path: path)
        let copy = try #require(RulePackLoader.copy(of: pack))
        #expect(copy == pack)
        let original = Self.longStrings(pack)
        let copied = Self.longStrings(copy)
        #expect(original.count > 20)
        #expect(original == copied)
        for (a, b) in zip(original, copied) {
            #expect(Self.storage(a) != Self.storage(b), "\(a)")
        }
    }

    /// A pack that its files do not load to (here: a therapy dropped) has no copy, rather
    /// than a copy that differs.
    @Test func packItsFilesDoNotGiveHasNoCopy() throws {
        let shipped = try #require(Self.shipped)
        let altered = RulePack(
            path: shipped.path, profile: shipped.profile, therapies: Array(shipped.therapies.dropLast()), files: shipped.files)
        #expect(RulePackLoader.copy(of: altered) == nil)
        #expect(RulePackLoader.copy(of: shipped) != nil)
    }

    // MARK: - Batches

    /// A CSV cohort of `count` generated rows (dotted and JSON columns, some cells empty, every
    /// 17th row with a bad age).
    static func csv(_ count: Int) -> String {
        let diagnoses = ["patellofemoral_pain", "patellar_tendinopathy", "knee_osteoarthritis", "other"]
        var rows = ["id,as_of,age,sex,diagnosis,symptom_weeks,pain_nrs,kl_grade,labs.platelet_count,conservative_care,active_infection"]
        for index in 0..<count {
            let age = index % 17 == 5 ? "old" : String(16 + index % 60)
            let care = index % 3 == 0 ? "" : #""[{""treatment"":""physical_therapy"",""weeks"":\#(index % 20),""response"":""partial""}]""#
            rows.append([
                "p-\(index)", "2026-0\(1 + index % 9)-1\(index % 10)", age, index % 2 == 0 ? "female" : "male",
                diagnoses[index % diagnoses.count], index % 5 == 0 ? "" : String(index % 40), String(index % 11),
                String(index % 5), index % 4 == 0 ? "" : String(100 + index % 300), care, index % 23 == 0 ? "true" : "false",
            ].joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// JSON Lines of the fixture patients, repeated, every 13th line bad.
    static func jsonLines(_ count: Int) -> String {
        let fixtures = FastPatientReaderTests.fixtureLines
        return (0..<count).map { $0 % 13 == 7 ? #"{"age":"old"}"# : fixtures[$0 % fixtures.count] }.joined(separator: "\n") + "\n"
    }

    static func runner(_ input: BatchRunner.Input, _ format: BatchRunner.Format, jobs: Int) throws -> BatchRunner {
        BatchRunner(
            pack: try FixtureSuiteTests.pack.get(), format: format, input: input, file: "c", jobs: jobs, failFast: false,
            asOf: nil, today: CivilDate(year: 2026, month: 11, day: 27) ?? CivilDate(daysSinceEpoch: 0), therapies: nil)
    }

    /// The cohort in `text` as a source of small batches, and how to read it.
    static func source(_ text: String, csv: Bool) throws -> (RecordSource, BatchRunner.Input) {
        let file = try CommandLineTests.temporaryFile(csv ? "c.csv" : "c.jsonl", text)
        let profile = try FixtureSuiteTests.pack.get().pack.profile
        let source = try RecordSource(path: file.path, kind: csv ? .csv : .lines, recordsPerBatch: 16)
        guard csv else { return (source, .jsonLines(JSONLineReader(profile: profile))) }
        let header = try #require(try source.nextBatch(limit: 1))
        let record = try #require(header.records.first)
        return (source, .csv(try CSVPatientReader(header: header.bytes[record.range], file: file.path, profile: profile)))
    }

    /// A replica writes every batch exactly as the runner it copies, in every format, from
    /// JSON Lines and CSV.
    @Test(arguments: [BatchRunner.Format.decisions, .json, .text], [false, true])
    func replicaWritesTheSameBytes(_ format: BatchRunner.Format, csv: Bool) throws {
        let (source, input) = try Self.source(csv ? Self.csv(120) : Self.jsonLines(120), csv: csv)
        let runner = try Self.runner(input, format, jobs: 2)
        let replica = try #require(runner.replica())
        #expect(replica.pack.pack == runner.pack.pack)
        #expect(replica.pack.slots !== runner.pack.slots)
        var batches = 0
        var failed = 0
        while let batch = try source.nextBatch() {
            let (ours, theirs) = (runner.process(batch), replica.process(batch))
            #expect(ours.bytes == theirs.bytes)
            #expect(ours.errors == theirs.errors)
            #expect(ours.summary.evaluated == theirs.summary.evaluated)
            #expect(ours.summary.counts.map(\.tiers) == theirs.summary.counts.map(\.tiers))
            batches += 1
            failed += ours.summary.failed
        }
        #expect(batches > 5)
        #expect(failed > 0)
    }

    /// A write that fails stops the run at once: nothing more is handed over, and the failed
    /// batch's records are not counted as written.
    @Test(arguments: [1, 2])
    func aFailedWriteStopsTheRun(jobs: Int) throws {
        let (source, input) = try Self.source(Self.jsonLines(400), csv: false)
        var calls = 0
        let summary = try Self.runner(input, .decisions, jobs: jobs).run(
            source: source, write: { _ in calls += 1; return calls < 2 }, writeErrors: { _ in true })
        #expect(calls == 2)
        #expect(summary.records < 400)
    }

    /// Two workers (each taking several small batches, so each switches to its replica) write
    /// what one worker writes.
    @Test(arguments: [false, true])
    func twoWorkersWriteWhatOneWrites(csv: Bool) throws {
        let text = csv ? Self.csv(400) : Self.jsonLines(400)
        func run(jobs: Int) throws -> ([UInt8], BatchSummary) {
            let (source, input) = try Self.source(text, csv: csv)
            var output: [UInt8] = []
            let summary = try Self.runner(input, .decisions, jobs: jobs).run(
                source: source, write: { output += $0; return true }, writeErrors: { _ in true })
            return (output, summary)
        }
        let (one, oneSummary) = try run(jobs: 1)
        let (two, twoSummary) = try run(jobs: 2)
        #expect(one == two)
        #expect(oneSummary.rendered() == twoSummary.rendered())
        #expect(String(decoding: one, as: UTF8.self).split(separator: "\n").count == 400)
    }
}
