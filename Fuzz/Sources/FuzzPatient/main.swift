import CandidacyKit
import FuzzSupport

/// A patient file: the first byte's lowest bit names it `p.yaml` or `p.json` (the corpus holds
/// both forms), the rest is its contents, loaded against the shipped profile; a patient that
/// loads is evaluated against the shipped pack and rendered as text and JSON.
/// Builds the shared state once, before any input runs.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    FuzzSupport.prepare()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let bytes = FuzzSupport.bytes(start, count)
    let file = bytes[0] & 1 == 0 ? "p.yaml" : "p.json"
    let pack = FuzzSupport.pack
    guard let patient = try? PatientLoader.load(contents: Array(bytes.dropFirst()), file: file, profile: pack.pack.profile)
    else { return 0 }
    FuzzSupport.evaluateAndRender(patient, with: pack)
    return 0
}
