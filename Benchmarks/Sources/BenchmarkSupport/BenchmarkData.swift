import CandidacyKit
import Foundation

/// The inputs the benchmarks share: the shipped pack, the fixture patients, and generated packs.
public enum BenchmarkData {
    /// The repository's root folder, found from this file's path (Benchmarks/Sources/BenchmarkSupport/).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shipped rule pack folder.
    public static var rulesDirectory: String { repositoryRoot + "/Rules" }

    /// The fixture cases folder.
    public static var fixturesDirectory: String { repositoryRoot + "/Fixtures" }

    /// Loads the shipped pack (YAML parsing and checks) without compiling it.
    public static func loadShippedPack() throws -> RulePack {
        try RulePackLoader.load(directory: rulesDirectory)
    }

    /// Loads and compiles the shipped pack.
    public static func shippedPack() throws -> CompiledPack {
        try CompiledPack(loadShippedPack())
    }

    /// Every fixture case's patient, in file order.
    public static func fixturePatients(pack: CompiledPack) throws -> [Patient] {
        let files = try FixtureLoader.files(under: [fixturesDirectory]).sorted()
        return try files.map { try FixtureLoader.load(file: $0, pack: pack).patient }
    }

    /// `count` patients, cycling through the fixture patients.
    public static func cohort(_ count: Int, from patients: [Patient]) -> [Patient] {
        (0..<count).map { patients[$0 % patients.count] }
    }

    /// A pack of the shipped profile and one therapy with `ruleCount` generated rules, a mix
    /// of the shipped pack's condition shapes (scalars, enums, macros over lists, compounds).
    public static func generatedPack(ruleCount: Int) throws -> RulePack {
        let profile = try Data(contentsOf: URL(fileURLWithPath: rulesDirectory + "/profile.yaml"))
        let therapy = generatedTherapy(ruleCount: ruleCount)
        return try RulePackLoader.load(files: [
            PackFile(path: "profile.yaml", contents: Array(profile)),
            PackFile(path: "generated.yaml", contents: Array(therapy.utf8)),
        ], path: "Generated")
    }

    /// The conditions the generated rules cycle through; `N` becomes a number that varies by rule.
    static let conditionShapes: [(kind: String, when: String)] = [
        ("exclude", "active_infection"),
        ("exclude", "medications.exists(m, m.class == \"anticoagulant\" && days_since(m.last_dose) < N)"),
        ("require", "diagnosis in [\"knee_osteoarthritis\", \"patellar_tendinopathy\"] || symptom_weeks >= N"),
        ("require", "conservative_care.exists(c, c.treatment == \"physical_therapy\" && c.weeks >= N % 20 && c.response != \"resolved\")"),
        ("score", "age >= N % 90"),
        ("score", "diagnosis == \"knee_osteoarthritis\" && kl_grade <= N % 5"),
        ("score", "labs.platelet_count >= N"),
        ("caution", "injections.exists(i, i.agent == \"corticosteroid\" && days_since(i.date) < N)"),
        ("score", "bmi > 20.5 + double(N % 20)"),
        ("caution", "diabetes == \"uncontrolled\" || smoking == \"current\""),
    ]

    /// The text of a therapy file with `ruleCount` rules.
    public static func generatedTherapy(ruleCount: Int) -> String {
        var text = """
            therapy: generated
            title: Generated therapy
            version: 1.0.0
            review_by: 2099-12-31
            summary: A generated therapy for benchmarks.
            references:
              source:
                citation: "Generated reference."
                grade: not graded
            rules:

            """
        for index in 0..<ruleCount {
            let shape = conditionShapes[index % conditionShapes.count]
            let number = 10 + (index * 7) % 400
            let condition = shape.when
                .replacingOccurrences(of: "double(N % 20)", with: String(Double(number % 20)))
                .replacingOccurrences(of: "N % 90", with: String(number % 90))
                .replacingOccurrences(of: "N % 20", with: String(number % 20))
                .replacingOccurrences(of: "N % 5", with: String(number % 5))
                .replacingOccurrences(of: "N", with: String(number))
            let points = shape.kind == "caution" ? "\n    points: -1" : (shape.kind == "score" ? "\n    points: 1" : "")
            text += """
                  - id: generated-\(index)
                    kind: \(shape.kind)\(points)
                    title: Generated rule \(index)
                    when: '\(condition)'
                    reason: Generated.
                    evidence: { level: 5, direction: uncertain, refs: [source] }

                """
        }
        text += """
            tiers:
              recommended: \(max(2, ruleCount / 5))
              consider: 1

            """
        return text
    }
}
