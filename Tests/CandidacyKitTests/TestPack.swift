@testable import CandidacyKit

/// Builds small packs and patients from inline YAML for tests.
enum TestPack {
    static let profile = """
        schema_version: 1
        fields:
          id: { type: string }
          as_of: { type: date }
          age: { type: int, unit: years, min: 0, max: 120 }
          bmi: { type: number, min: 10, max: 80 }
          diagnosis: { type: enum, values: [patellofemoral_pain, patellar_tendinopathy, knee_osteoarthritis, other] }
          symptom_weeks: { type: int, min: 0, max: 5200 }
          kl_grade: { type: int, min: 0, max: 4 }
          pregnant: { type: bool }
          active_infection: { type: bool }
          labs:
            type: object
            fields:
              platelet_count: { type: number, min: 0, max: 2000 }
          conservative_care:
            type: list
            of:
              type: object
              fields:
                treatment: { type: enum, values: [physical_therapy, home_exercise, nsaids] }
                weeks: { type: int, min: 0, max: 520 }
                response: { type: enum, values: [none, partial, resolved, worse] }
          injections:
            type: list
            of:
              type: object
              fields:
                agent: { type: enum, values: [corticosteroid, prp, other] }
                date: { type: date }
        """

    /// A compiled pack of `profile` and one therapy file.
    static func compile(_ therapy: String, profile: String = profile) throws -> CompiledPack {
        let pack = try RulePackLoader.load(files: [
            PackFile(path: "profile.yaml", contents: Array(profile.utf8)),
            PackFile(path: "t.yaml", contents: Array(therapy.utf8)),
        ], path: "T")
        return try CompiledPack(pack)
    }

    /// A therapy file with the given rules (indented as list items) and tiers.
    static func therapy(rules: String, parameters: String = "", recommended: Int = 5, consider: Int = 2) -> String {
        """
        therapy: t
        title: Test therapy
        version: 1.0.0
        \(parameters)
        rules:
        \(rules)
        tiers:
          recommended: \(recommended)
          consider: \(consider)
        """
    }

    static func patient(_ yaml: String, pack: CompiledPack) throws -> Patient {
        try PatientLoader.load(contents: Array(yaml.utf8), file: "p.yaml", profile: pack.pack.profile)
    }

    /// Evaluates one patient against a one-therapy pack.
    static func decide(_ patientYAML: String, _ pack: CompiledPack) throws -> TherapyDecision {
        let patient = try patient(patientYAML, pack: pack)
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        return evaluation.decisions[0]
    }
}
