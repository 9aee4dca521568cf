import CandidacyKit
import FuzzSupport

/// A patient file: the first byte's lowest bit names it `p.yaml` or `p.json` (the corpus holds
/// both forms), the rest is its contents, loaded against the shipped profile; a patient that
/// loads is evaluated against the shipped pack and rendered as text and JSON.
///
/// Two differential checks run on every input, and stop the fuzzer with a crash when they fail:
/// - JSON: the batch reader (`JSONLineReader.batchPatient`, whose one-pass fast path falls back
///   to the full reader) and the full reader (`JSONLineReader.patient`) read the same record or
///   both fail;
/// - a patient that loads gets the same tiers, scores, missing fields, cautions and deciding
///   rules from `Evaluator.Detail.decisions` (no steps) as from `.full`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = FuzzSupport.bytes(start, count)
    let isJSON = bytes[0] & 1 == 1
    let file = isJSON ? "p.json" : "p.yaml"
    let pack = FuzzSupport.pack
    let contents = Array(bytes.dropFirst())
    if isJSON {
        let reader = FuzzSupport.lineReader
        let batch = try? reader.batchPatient(line: contents, file: "c.jsonl", number: 1)
        let full = try? reader.patient(line: contents, file: "c.jsonl", number: 1)
        if batch?.record != full?.record {
            fatalError("the batch reader and the full reader disagree: \(String(describing: batch?.record)) vs \(String(describing: full?.record))")
        }
    }
    guard let patient = try? PatientLoader.load(contents: contents, file: file, profile: pack.pack.profile)
    else { return 0 }
    FuzzSupport.evaluateAndRender(patient, with: pack)
    FuzzSupport.compareDetails(patient, with: pack)
    return 0
}
