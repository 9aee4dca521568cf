import Testing
@testable import CandidacyKit

/// Running fixtures: passing and failing expectations, and the failure text.
@Suite struct FixtureRunnerTests {
    /// ESWT comes out `consider` with score 3, decided by `eswt-chronic`; PRP `not-recommended`
    /// with score 0, decided by no rule. Expectations start on line 10.
    static let header = """
        description: 28-year-old with patellar tendinopathy
        patient:
          as_of: 2026-10-02
          pregnant: false
          diagnosis: patellar_tendinopathy
          symptom_weeks: 20
          injections: []
          labs: { platelet_count: 200 }
        expect:
        """

    private func run(_ expectations: String, pack: CompiledPack? = nil) throws -> FixtureResult {
        let fixture = try FixtureTestPack.load(Self.header + "\n" + expectations, pack: FixtureTestPack.compile())
        return try FixtureRunner(pack: pack ?? FixtureTestPack.compile()).run(fixture)
    }

    @Test func passingExpectations() throws {
        let result = try run("""
              eswt: { tier: consider, score: 3, because: [eswt-chronic] }
              prp: { tier: not-recommended, score: 0 }
            """)
        #expect(result.passed)
        #expect(result.failures.isEmpty)
        #expect(result.expectations.map(\.passed) == [true, true])
        #expect(result.evaluation.decisions.count == 2)
        #expect(result.evaluation.asOf == CivilDate(year: 2026, month: 10, day: 2))
        #expect(result.expectations[0].decision?.tier == .consider)
        #expect(result.expectations[0].description
            == "f.yaml:10:3: eswt: as expected (tier consider; score 3; deciding: eswt-chronic)")
        #expect(result.expectations[1].message == "prp: as expected (tier not-recommended; score 0; deciding: none)")
    }

    @Test func failingTier() throws {
        let result = try run("  eswt: { tier: recommended }")
        #expect(!result.passed)
        let failure = try #require(result.failures.first)
        #expect(failure.mismatches == [.tier(expected: .recommended, actual: .consider)])
        #expect(failure.location == SourceLocation(file: "f.yaml", line: 10, column: 3))
        #expect(failure.description
            == "f.yaml:10:3: eswt: expected tier recommended, got consider (score 3; deciding: eswt-chronic)")
    }

    @Test func failingScore() throws {
        let result = try run("  eswt: { tier: consider, score: 5 }")
        let failure = try #require(result.failures.first)
        #expect(failure.mismatches == [.score(expected: 5, actual: 3)])
        #expect(failure.description == "f.yaml:10:3: eswt: expected score 5, got 3 (tier consider; deciding: eswt-chronic)")
    }

    @Test func failingBecause() throws {
        let result = try run("  eswt: { because: [eswt-chronic, eswt-pregnancy, eswt-tendinopathy] }")
        let failure = try #require(result.failures.first)
        #expect(failure.mismatches == [
            .notDeciding(rule: "eswt-pregnancy", outcome: .false), .notDeciding(rule: "eswt-tendinopathy", outcome: .true),
        ])
        #expect(failure.description
            == "f.yaml:10:3: eswt: expected eswt-pregnancy among the deciding rules, but it was false; "
            + "expected eswt-tendinopathy among the deciding rules, but it was true and did not decide the tier "
            + "(tier consider; score 3; deciding: eswt-chronic)")
    }

    @Test func everyMismatchOfOneExpectation() throws {
        let result = try run("""
              prp: { tier: not-recommended }
              eswt: { tier: recommended, score: 5, because: [eswt-pregnancy] }
            """)
        #expect(result.expectations.map(\.passed) == [true, false])
        #expect(result.failures.map(\.description) == [
            "f.yaml:11:3: eswt: expected tier recommended, got consider; expected score 5, got 3; "
                + "expected eswt-pregnancy among the deciding rules, but it was false (deciding: eswt-chronic)"
        ])
    }

    @Test func noDecidingRuleReadsNone() throws {
        let result = try run("  prp: { tier: consider }")
        #expect(result.failures.map(\.description) == [
            "f.yaml:10:3: prp: expected tier consider, got not-recommended (score 0; deciding: none)"
        ])
    }

    @Test func theFixturesAsOfIsItsClock() throws {
        let pack = try FixtureTestPack.compile()
        func fixture(asOf: String) throws -> Fixture {
            try FixtureTestPack.load("""
                description: Steroid injection on 2026-09-20
                patient:
                  as_of: \(asOf)
                  pregnant: false
                  diagnosis: patellar_tendinopathy
                  symptom_weeks: 20
                  injections: [{ agent: corticosteroid, date: 2026-09-20 }]
                expect:
                  eswt: { score: 2, because: [eswt-steroid] }
                """, pack: pack)
        }
        let runner = FixtureRunner(pack: pack)
        #expect(try runner.run(fixture(asOf: "2026-10-02")).passed)
        let later = try runner.run(fixture(asOf: "2027-10-02"))
        #expect(later.failures.map(\.description) == [
            "f.yaml:9:3: eswt: expected score 2, got 3; expected eswt-steroid among the deciding rules, but it was false "
                + "(tier consider; deciding: eswt-chronic)"
        ])
    }

    @Test func aTherapyThePackNoLongerHas() throws {
        let eswtOnly = try FixtureTestPack.compile([FixtureTestPack.eswt])
        let result = try run("  eswt: { tier: consider }\n  prp: { tier: consider }", pack: eswtOnly)
        #expect(result.expectations.map(\.passed) == [true, false])
        #expect(result.failures.first?.mismatches == [.therapyNotEvaluated])
        #expect(result.failures.map(\.description) == ["f.yaml:11:3: prp: expected a decision, but the pack has no such therapy"])
    }

    @Test func aRuleTheTherapyNoLongerHas() throws {
        let pack = try FixtureTestPack.compile()
        let fixture = try FixtureTestPack.load(Self.header + "\n  eswt: { tier: consider }", pack: pack)
        let decision = try #require(FixtureRunner(pack: pack).run(fixture).evaluation.decisions.first { $0.therapy == "eswt" })
        let expectation = Fixture.Expectation(
            therapy: "eswt", because: ["eswt-retired"], location: SourceLocation(file: "f.yaml", line: 10, column: 3))
        let result = FixtureRunner.check(expectation, against: decision)
        #expect(result.mismatches == [.notDeciding(rule: "eswt-retired", outcome: nil)])
        #expect(result.message
            == "eswt: expected eswt-retired among the deciding rules, but the therapy has no such rule "
            + "(tier consider; score 3; deciding: eswt-chronic)")
    }
}
