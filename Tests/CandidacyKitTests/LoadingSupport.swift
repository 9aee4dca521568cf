import Testing
@testable import CandidacyKit

/// Shared inputs and helpers for the loading tests.
enum LoadingSupport {
    static let profile = """
        schema_version: 1
        fields:
          id: { type: string }
          as_of: { type: date }
          age: { type: int, unit: years, min: 0, max: 120, description: Age at the as-of date. }
          bmi: { type: number, unit: kg/m², min: 10, max: 80 }
          pregnant: { type: bool }
          diagnosis: { type: enum, values: [patellofemoral_pain, patellar_tendinopathy, knee_osteoarthritis, other] }
          labs:
            type: object
            fields:
              platelet_count: { type: number, unit: "10^9/L", min: 0, max: 2000 }
          conservative_care:
            type: list
            of:
              type: object
              fields:
                treatment: { type: enum, values: [physical_therapy, home_exercise, nsaids] }
                weeks: { type: int, unit: weeks, min: 0, max: 520 }
        """

    static let therapy = """
        therapy: eswt
        title: Extracorporeal shockwave therapy (ESWT)
        version: 1.0.0
        references:
          pmr-2022: { citation: "Author. Title. 2022." }
        rules:
          - id: eswt-pregnancy
            kind: exclude
            title: Pregnancy
            when: pregnant
            evidence: { level: 5, direction: against, refs: [pmr-2022] }
        tiers: { recommended: 6, consider: 3 }
        """

    /// Loads a pack from inline files under the path `Rules`.
    static func pack(_ files: [(String, String)]) throws(DiagnosticError) -> RulePack {
        try RulePackLoader.load(
            files: files.map { PackFile(path: $0.0, contents: Array($0.1.utf8)) }, path: "Rules")
    }

    /// The printed diagnostics of loading a pack whose profile is ``profile`` and whose one
    /// therapy file, `t.yaml`, is `therapy`; empty when it loads.
    static func therapyErrors(_ therapy: String) -> [String] {
        do {
            _ = try pack([("profile.yaml", profile), ("t.yaml", therapy)])
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// The printed diagnostics of loading a profile; empty when it loads.
    static func profileErrors(_ text: String) -> [String] {
        do {
            _ = try pack([("profile.yaml", text)])
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// The schema of ``profile``.
    static func schema() throws -> ProfileSchema {
        try pack([("profile.yaml", profile)]).profile
    }

    /// The printed diagnostics of loading a patient file `p.yaml`; empty when it loads.
    static func patientErrors(_ text: String, file: String = "p.yaml") throws -> [String] {
        let schema = try schema()
        do {
            _ = try PatientLoader.load(contents: Array(text.utf8), file: file, profile: schema)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
