import CandidacyKit
import Foundation
import FuzzSupport

/// A CSV cohort: the input is the file, cut into records by `RecordSource` (small limits, so that
/// overlong records and batch boundaries are reached) and read by `CSVPatientReader` against the
/// shipped profile. Evaluation is the patient target's business: this one stays fast.
///
/// Invariants that crash the target when they fail (issue 21):
/// - records come in input order with strictly increasing line numbers, none past the input's
///   last line, and each record's bytes lie inside its batch;
/// - every byte of the input is accounted for (`bytesConsumed` is the input's size at the end):
///   nothing is swallowed or read twice, whatever quotes, line breaks or control bytes it holds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzSupport.bytes(start, count)
    guard FileManager.default.createFile(atPath: CSVInput.path, contents: Data(bytes)) else { return 0 }
    let source: RecordSource
    do {
        source = try RecordSource(path: CSVInput.path, kind: .csv, maximumLength: 512, recordsPerBatch: 4, bytesPerBatch: 256)
    } catch {
        FuzzSupport.fail("a regular file could not be opened: \(error)")
    }
    let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    let pack = FuzzSupport.pack
    var reader: CSVPatientReader?
    var header = true
    var lastLine = 0
    while true {
        let batch: InputBatch?
        do {
            batch = try source.nextBatch()
        } catch {
            FuzzSupport.fail("reading a regular file failed: \(error)")
        }
        guard let batch else { break }
        for record in batch.records {
            if record.line <= lastLine { FuzzSupport.fail("record at line \(record.line) after line \(lastLine)") }
            if record.line > lines { FuzzSupport.fail("record at line \(record.line) of a \(lines)-line input") }
            if record.range.upperBound > batch.bytes.count { FuzzSupport.fail("record bytes outside the batch") }
            lastLine = record.line
            if record.overlongLength != nil { continue }
            let slice = batch.bytes[record.range]
            if header {
                header = false
                reader = try? CSVPatientReader(header: slice, file: "c.csv", profile: pack.pack.profile)
                continue
            }
            _ = try? reader?.patient(record: slice, file: "c.csv", line: record.line)
        }
    }
    if source.bytesConsumed != bytes.count {
        FuzzSupport.fail("\(source.bytesConsumed) of \(bytes.count) bytes accounted for")
    }
    return 0
}

/// The file each input is written to: one per process, in the temporary folder.
enum CSVInput {
    static let path = NSTemporaryDirectory() + "candidacy-fuzz-\(getpid()).csv"
}
