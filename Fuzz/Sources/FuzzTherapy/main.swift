import CandidacyKit
import FuzzSupport

/// A therapy file: the input is `t.yaml` beside the shipped `profile.yaml` (loaded once); a pack that loads
/// is compiled (its conditions parsed and type-checked) and evaluates the example patient and
/// an empty one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let files = [FuzzSupport.profileFile, PackFile(path: "t.yaml", contents: FuzzSupport.bytes(start, count))]
    guard let pack = try? RulePackLoader.load(files: files, path: "Rules", profile: FuzzSupport.pack.pack.profile),
        let compiled = try? CompiledPack(pack)
    else { return 0 }
    FuzzSupport.evaluateAndRender(FuzzSupport.patient, with: compiled)
    FuzzSupport.evaluateAndRender(FuzzSupport.emptyPatient, with: compiled)
    return 0
}
