import Testing
@testable import CandidacyKit

/// Rule coverage and threshold mutation testing on small inline packs.
@Suite struct CoverageAndMutationTests {
    static let demo = """
        therapy: demo
        title: Demo
        version: 1.0.0
        parameters:
          min_age: { value: 18, unit: years }
        rules:
          - { id: demo-adult, kind: require, title: Adult, when: age >= params.min_age }
          - id: demo-either
            kind: score
            points: 2
            title: Chronic or pregnant
            when:
              any:
                - symptom_weeks >= 12
                - pregnant
          - { id: demo-never, kind: exclude, title: Never, when: params.min_age > 100 }
        tiers: { recommended: 2, consider: 1 }
        """

    /// A: adult, chronic → adult true, either true (items true, false), never false.
    /// B: a child, not chronic, pregnancy not recorded → adult false, either unknown (false, unknown).
    /// C: age not recorded, not chronic, not pregnant → adult unknown, either false (false, false).
    static let patients = [
        "{ as_of: 2026-10-02, age: 30, symptom_weeks: 20, pregnant: false }",
        "{ as_of: 2026-10-02, age: 10, symptom_weeks: 4 }",
        "{ as_of: 2026-10-02, symptom_weeks: 4, pregnant: false }",
    ]

    private func run(_ patients: [String], pack: CompiledPack) throws -> (FixtureSuite, SuiteResult) {
        var fixtures: [Fixture] = []
        for (index, patient) in patients.enumerated() {
            let text = "description: case \(index)\npatient: \(patient)\nexpect:\n  demo: { because: [] , tier: \(try tier(patient, pack: pack)) }\n"
            fixtures.append(try FixtureLoader.load(contents: Array(text.utf8), file: "c\(index).yaml", pack: pack))
        }
        let suite = FixtureSuite(fixtures: fixtures)
        return (suite, FixtureRunner(pack: pack).run(suite))
    }

    /// The tier the pack gives, so that every inline fixture passes.
    private func tier(_ patient: String, pack: CompiledPack) throws -> String {
        let loaded = try PatientLoader.load(contents: Array(patient.utf8), file: "p.yaml", profile: pack.pack.profile)
        return Evaluator(pack: pack).evaluate(loaded).decisions[0].tier.rawValue
    }

    @Test func coverageCountsRulesAndItems() throws {
        let pack = try TestPack.compile(Self.demo)
        let (_, result) = try run(Self.patients, pack: pack)
        #expect(result.passed)
        let coverage = RuleCoverage(pack: pack, result: result)
        #expect(coverage.caseCount == 3)
        #expect(coverage.rules.map(\.rule) == ["demo-adult", "demo-either", "demo-never"])
        let adult = coverage.rules[0].condition
        #expect(adult.counts == .init(trueCount: 1, falseCount: 1, unknownCount: 1))
        let either = coverage.rules[1].condition
        #expect(either.counts == .init(trueCount: 1, falseCount: 1, unknownCount: 1))
        #expect(either.items.map(\.condition) == ["symptom_weeks >= 12", "pregnant"])
        #expect(either.items[0].counts == .init(trueCount: 1, falseCount: 2, unknownCount: 0))
        #expect(either.items[1].counts == .init(trueCount: 0, falseCount: 2, unknownCount: 1))
        #expect(either.items[0].uncovered == [.unknown])
        #expect(either.items[1].uncovered == [.true])
        let never = coverage.rules[2].condition
        #expect(never.reachable == [.false], "a params-only condition has one outcome")
        #expect(never.counts == .init(trueCount: 0, falseCount: 3, unknownCount: 0))
        #expect(coverage.reachableCount == 7)
        #expect(coverage.coveredCount == 7)
        #expect(coverage.percentageText == "100.0%")
    }

    @Test func uncoveredOutcomesAndPercentage() throws {
        let pack = try TestPack.compile(Self.demo)
        let (_, result) = try run(Array(Self.patients.prefix(2)), pack: pack)
        let coverage = RuleCoverage(pack: pack, result: result)
        #expect(coverage.rules[0].condition.uncovered == [.unknown])
        #expect(coverage.rules[1].condition.uncovered == [.false])
        #expect(coverage.coveredCount == 5)
        #expect(coverage.percentageText == "71.4%")
        #expect(coverage.meets(minimum: 71.4))
        #expect(!coverage.meets(minimum: 71.5))
        let text = TestTextReporter.coverage(coverage, minimum: 80).joined(separator: "\n")
        #expect(text.contains("T/t.yaml:7:5: demo-adult: unknown"))
        #expect(text.contains("T/t.yaml:8:5: demo-either: false"))
        #expect(text.contains("demo-either item 2 (pregnant): true"))
        #expect(text.contains("     -     2       -  demo-never"))
        #expect(text.contains("Coverage: 71.4% of reachable rule outcomes (5 of 7)"))
        #expect(text.contains("Coverage 71.4% is below the minimum of 80.0%"))
        let report = TestReport(pack: pack, result: result, coverage: coverage, coverageMinimum: 80)
        #expect(!report.passed, "below --coverage-min fails the run")
    }

    @Test func reachabilityIsStatic() throws {
        let therapy = TestPack.therapy(rules: """
              - { id: r-const, kind: exclude, title: C, when: 1 > 2 }
              - { id: r-has, kind: require, title: H, when: has(labs.platelet_count) }
              - { id: r-absorbed, kind: require, title: A, when: params.off && age > 3 }
              - { id: r-field, kind: require, title: F, when: age > 3 }
              - id: r-not
                kind: exclude
                title: N
                when: { not: { all: [age > 3, 1 > 2] } }
            """, parameters: "parameters:\n  off: { value: false }")
        let pack = try TestPack.compile(therapy)
        let reachable = pack.therapies[0].rules.map {
            OutcomeReachability.outcomes(of: $0.condition, parameters: pack.therapies[0].parameters)
        }
        #expect(reachable == [[.false], [.true, .false], [.false], [.true, .false, .unknown], [.true]])
    }

    // MARK: - Mutation testing

    static let platelets = """
        therapy: prp
        title: Platelet-rich plasma
        version: 1.0.0
        rules:
          - { id: prp-platelets, kind: require, title: Platelets, when: labs.platelet_count >= 150 }
          - { id: prp-age, kind: score, points: 2, title: Adult, when: age >= 18 }
        tiers: { recommended: 4, consider: 2 }
        """

    private func mutation(platelets: [(count: Int, tier: String)]) throws -> MutationReport {
        let pack = try FixtureTestPack.compile([Self.platelets])
        var fixtures: [Fixture] = []
        for (index, item) in platelets.enumerated() {
            let text = """
                description: platelets \(item.count)
                patient: { as_of: 2026-10-02, age: 40, labs: { platelet_count: \(item.count) } }
                expect:
                  prp: { tier: \(item.tier) }
                """
            fixtures.append(try FixtureLoader.load(contents: Array(text.utf8), file: "m\(index).yaml", pack: pack))
        }
        let suite = FixtureSuite(fixtures: fixtures)
        let baseline = FixtureRunner(pack: pack).run(suite)
        #expect(baseline.passed)
        return MutationTester(pack: pack).run(suite, baseline: baseline)
    }

    private func outcome(_ report: MutationReport, _ summary: String) -> MutationReport.Outcome? {
        report.outcomes.first { $0.mutant.summary == summary }
    }

    @Test func pinnedThresholdKillsItsMutants() throws {
        let report = try mutation(platelets: [(150, "consider"), (149, "ineligible")])
        let comparison = try #require(outcome(report, "labs.platelet_count >= 150: '>=' → '>'"))
        #expect(comparison.killed)
        #expect(comparison.killedBy?.location == SourceLocation(file: "m0.yaml", line: 4, column: 3))
        #expect(outcome(report, "labs.platelet_count >= 150: '150' → '151'")?.killed == true)
        #expect(outcome(report, "labs.platelet_count >= 150: '150' → '149'")?.killed == true)
    }

    @Test func unpinnedThresholdSurvivesWithItsLocation() throws {
        let report = try mutation(platelets: [(300, "consider")])
        let survivor = try #require(report.survivors.first { $0.summary == "labs.platelet_count >= 150: '>=' → '>'" })
        #expect(survivor.location == SourceLocation(file: "T/t0.yaml", line: 5, column: 85))
        let text = TestTextReporter.mutation(report).joined(separator: "\n")
        #expect(text.contains("  T/t0.yaml:5:85: labs.platelet_count >= 150: '>=' → '>' survived"))
        #expect(text.contains("Mutation score: \(report.scoreText) (\(report.killedCount) of \(report.totalCount) mutants killed)"))
        #expect(report.killedCount < report.totalCount)
    }

    @Test func mutantKinds() throws {
        let pack = try FixtureTestPack.compile()
        let summaries = MutantGenerator.mutants(of: pack).map(\.summary)
        #expect(summaries.contains("eswt-pregnancy: exclude → caution (points 0)"))
        #expect(summaries.contains("eswt-chronic points: 3 → 4"))
        #expect(summaries.contains("eswt-chronic points: 3 → 2"))
        #expect(summaries.contains("eswt-steroid points: -1 → -2"))
        #expect(summaries.contains("symptom_weeks >= 12: '12' → '13'"))
        #expect(summaries.contains("symptom_weeks >= 12: '>=' → '>'"))
        #expect(summaries.contains("injections.exists(i, i.agent == \"corticosteroid\" && days_since(i.date) < 42): '<' → '<='"))

        let doubles = try TestPack.compile(TestPack.therapy(
            rules: "  - { id: r-bmi, kind: score, points: 1, title: B, when: bmi > params.limit && bmi < 40.5 }",
            parameters: "parameters:\n  limit: { value: 30.0 }"))
        let nudged = MutantGenerator.mutants(of: doubles).map(\.summary)
        #expect(nudged.contains("params.limit: 30.0 → 33.0"))
        #expect(nudged.contains("params.limit: 30.0 → 27.0"))
        #expect(nudged.contains("bmi > params.limit && bmi < 40.5: '40.5' → '44.55'"))
        #expect(nudged.contains("bmi > params.limit && bmi < 40.5: '40.5' → '36.45'"))
        #expect(nudged.contains("bmi > params.limit && bmi < 40.5: '>' → '>='"))
    }

    @Test func mutatedParameterAndKindApply() throws {
        let pack = try FixtureTestPack.compile()
        let tester = MutationTester(pack: pack)
        let mutants = MutantGenerator.mutants(of: pack)
        let kind = try #require(mutants.first { $0.summary == "eswt-pregnancy: exclude → caution (points 0)" })
        let therapy = try #require(tester.mutated(kind))
        #expect(therapy.rules[0].rule.kind == .caution)
        #expect(therapy.rules[0].rule.points == 0)
        let literal = try #require(mutants.first { $0.summary == "symptom_weeks >= 12: '12' → '13'" })
        let changed = try #require(tester.mutated(literal))
        guard case .expression(let source, _) = changed.rules[2].condition else {
            Issue.record("expected an expression")
            return
        }
        #expect(source.text == "symptom_weeks >= 13")
    }
}
