import Testing
@testable import CandidacyKit

/// The interval and set reasoning behind `constant-condition` and `contradictory-requirements`.
@Suite struct LintFormulaTests {
    static func constantParts(_ when: String, parameters: String = "") throws -> [String] {
        let therapy = """
            therapy: t
            title: T
            version: 1.0.0
            \(parameters)
            rules:
              - { id: t-a, kind: exclude, title: A, when: '\(when)' }
            tiers: { recommended: 1, consider: 0 }
            """
        let pack = try CompiledPack(try RulePackLoader.load(files: LintExample(therapy, profile: TestPack.profile).files, path: ""))
        return ConstantCondition().findings(in: pack, context: LintContext(asOf: LintExample.defaultDate)).map(\.message)
    }

    @Test(arguments: [
        "age > 130", "age < 0", "age >= 121", "kl_grade in [5, 6]", "age >= 50 && age < 40", "!(age <= 120)",
        "age > 119 && age != 120", "pregnant && !pregnant", "diagnosis == \"other\" && diagnosis == \"knee_osteoarthritis\"",
        "conservative_care.exists(c, c.weeks > 600)", "age >= 0", "age <= 200 || pregnant", "true",
        "labs.platelet_count < 0", "-1 > age", "age > params.limit", "kl_grade in [0, 1, 2, 3, 4]",
    ])
    func constant(_ condition: String) throws {
        #expect(try Self.constantParts(condition, parameters: "parameters: { limit: { value: 150 } }").count == 1)
    }

    @Test(arguments: [
        "age > 70", "age >= 18 && age <= 70", "kl_grade in [3, 4]", "pregnant", "diagnosis != \"other\"",
        "conservative_care.exists(c, c.weeks >= 6)", "age > 119", "bmi > 79.5", "size(conservative_care) > 0",
        "has(age) ? age > 3 : pregnant", "age > params.limit", "age != 40",
    ])
    func notConstant(_ condition: String) throws {
        #expect(try Self.constantParts(condition, parameters: "parameters: { limit: { value: 50 } }") == [])
    }

    @Test func reportsOnlyTheLargestConstantPart() throws {
        let messages = try Self.constantParts("pregnant || (age > 130 && kl_grade > 2)")
        #expect(messages.count == 1)
        #expect(messages.first?.contains("`age > 130 && kl_grade > 2` is always false") == true)
    }
}
