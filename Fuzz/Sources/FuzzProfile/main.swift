import CandidacyKit
import FuzzSupport

/// Conditions compiled against whatever profile loads: fields the shipped profile has, in
/// the shapes it has them, so a mutated profile changes their types.
private let conditions = [
    "age >= 18 && bmi < 30.5",
    "diagnosis in [\"knee_osteoarthritis\", \"other\"] || sex == \"female\"",
    "labs.platelet_count >= 150.0 && has(labs.hemoglobin)",
    "conservative_care.exists(c, c.treatment == \"physical_therapy\" && c.weeks >= 6)",
    "medications.all(m, m.class != \"anticoagulant\") && size(injections) < 3",
    "days_since(as_of) > 0 && pregnant",
]

/// A profile file: the input is `profile.yaml` alone; a profile that loads has the fixed
/// conditions checked and evaluated against it and the example patient loaded against it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let files = [PackFile(path: "profile.yaml", contents: FuzzSupport.bytes(start, count))]
    guard let pack = try? RulePackLoader.load(files: files, path: "Rules") else { return 0 }
    let environment = TypeEnvironment(profile: pack.profile, parameters: [])
    let patient = try? PatientLoader.load(
        contents: FuzzSupport.patientFileBytes, file: "p.yaml", profile: pack.profile)
    for condition in conditions {
        guard let compiled = try? CompiledExpression(condition, environment: environment) else { continue }
        _ = compiled.evaluate(Activation(patient: patient?.record ?? Record(), asOf: patient?.asOf))
    }
    return 0
}
