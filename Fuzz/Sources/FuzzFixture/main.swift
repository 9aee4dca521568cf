import CandidacyKit
import FuzzSupport

/// A fixture file: the input is `f.yaml`, loaded against the shipped pack; a fixture that
/// loads is run (its expectations checked) and its patient's evaluation rendered.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let pack = FuzzSupport.pack
    guard let fixture = try? FixtureLoader.load(contents: FuzzSupport.bytes(start, count), file: "f.yaml", pack: pack)
    else { return 0 }
    _ = FixtureRunner(pack: pack).run(fixture)
    FuzzSupport.evaluateAndRender(fixture.patient, with: pack)
    return 0
}
