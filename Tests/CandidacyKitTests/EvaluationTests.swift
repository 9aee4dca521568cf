import Testing
@testable import CandidacyKit

/// The semantics of DESIGN.md 2.4 on packs written for the tests.
@Suite struct EvaluationTests {
    static let gates = TestPack.therapy(rules: """
          - { id: t-pregnancy, kind: exclude, title: Pregnancy, when: pregnant }
          - { id: t-infection, kind: exclude, title: Infection, when: active_infection }
          - { id: t-diagnosis, kind: require, title: Tendinopathy, when: 'diagnosis == "patellar_tendinopathy"' }
          - { id: t-age, kind: require, title: Adult, when: age >= 18 }
          - { id: t-chronic, kind: score, points: 3, title: Chronic, when: symptom_weeks >= 12 }
          - { id: t-platelets, kind: score, points: 2, title: Platelets, when: labs.platelet_count > 150 }
          - { id: t-caution, kind: caution, points: -1, title: Knee OA grade, when: kl_grade >= 3 }
        """)

    @Test func exclusionBeatsRequirementBeatsMissingData() throws {
        let pack = try TestPack.compile(Self.gates)
        // An exclusion holds, a requirement fails, another exclusion is unknown: contraindicated.
        let excluded = try TestPack.decide("pregnant: true\ndiagnosis: other\nage: 40", pack)
        #expect(excluded.tier == .contraindicated)
        #expect(excluded.deciding == ["t-pregnancy"])
        // No exclusion holds; a requirement fails while an exclusion is unknown: ineligible.
        let unmet = try TestPack.decide("pregnant: false\ndiagnosis: other\nage: 40", pack)
        #expect(unmet.tier == .ineligible)
        #expect(unmet.deciding == ["t-diagnosis"])
        // Nothing fails, something is unknown: needs-data, listing what would settle it.
        let open = try TestPack.decide("pregnant: false\ndiagnosis: patellar_tendinopathy\nage: 40", pack)
        #expect(open.tier == .needsData)
        #expect(open.deciding == ["t-infection"])
        #expect(open.missing.prefix(1) == ["active_infection"])
    }

    @Test func unknownsNeverCountAsFalse() throws {
        let pack = try TestPack.compile(Self.gates)
        let decision = try TestPack.decide("active_infection: false\ndiagnosis: patellar_tendinopathy\nage: 40", pack)
        let pregnancy = try #require(decision.steps.first { $0.rule == "t-pregnancy" })
        #expect(pregnancy.outcome == .unknown)
        #expect(pregnancy.missing == ["pregnant"])
        #expect(decision.tier == .needsData)
        // `!pregnant` with pregnant unknown is unknown too, never true.
        let negated = try TestPack.compile(TestPack.therapy(rules: """
              - { id: t-not-pregnant, kind: require, title: Not pregnant, when: '!pregnant' }
            """))
        #expect(try TestPack.decide("age: 3", negated).tier == .needsData)
        #expect(try TestPack.decide("pregnant: false", negated).tier == .notRecommended)
        #expect(try TestPack.decide("pregnant: true", negated).tier == .ineligible)
    }

    @Test func scoreRangeAndProvisional() throws {
        let pack = try TestPack.compile(Self.gates)
        let base = "pregnant: false\nactive_infection: false\ndiagnosis: patellar_tendinopathy\nage: 40\n"
        // Chronic (+3) holds; platelets (+2) and the caution (−1) are unknown: 3, range 2–5.
        let partial = try TestPack.decide(base + "symptom_weeks: 20", pack)
        #expect(partial.tier == .consider)
        #expect(partial.score == 3)
        #expect(partial.scoreRange == 2...5)
        #expect(partial.provisional)  // 5 would reach recommended
        // All known: no range, not provisional.
        let settled = try TestPack.decide(base + "symptom_weeks: 20\nlabs: { platelet_count: 200 }\nkl_grade: 3", pack)
        #expect(settled.score == 4)
        #expect(settled.scoreRange == 4...4)
        #expect(!settled.provisional)
        #expect(settled.tier == .consider)
        #expect(settled.cautions == ["t-caution"])
        // A range that stays within one tier is not provisional.
        let low = try TestPack.decide(base + "symptom_weeks: 2\nkl_grade: 1", pack)
        #expect(low.scoreRange == 0...2)
        #expect(low.provisional)
        let none = try TestPack.decide(base + "symptom_weeks: 2\nkl_grade: 1\nlabs: {}", pack)
        #expect(none.scoreRange == 0...2)
        let known = try TestPack.decide(base + "symptom_weeks: 30\nkl_grade: 1\nlabs: { platelet_count: 100 }", pack)
        #expect(known.score == 3 && known.scoreRange == 3...3 && !known.provisional && known.tier == .consider)
    }

    @Test func rankingPutsBetterTiersFirst() throws {
        let pack = try TestPack.compile(Self.gates)
        let evaluation = Evaluator(pack: pack).evaluate(try TestPack.patient("pregnant: true", pack: pack))
        #expect(evaluation.decisions.map(\.tier) == [.contraindicated])
        #expect([Tier.contraindicated, .recommended, .needsData, .consider, .ineligible, .notRecommended].sorted()
            == [.recommended, .consider, .needsData, .notRecommended, .ineligible, .contraindicated])
    }

    static let expressions = TestPack.therapy(
        rules: """
              - id: t-in
                kind: score
                points: 1
                title: In a list
                when: diagnosis in ["patellar_tendinopathy", "knee_osteoarthritis"]
              - id: t-exists
                kind: score
                points: 1
                title: Physical therapy without resolution
                when: conservative_care.exists(c, c.treatment == "physical_therapy" && c.response != "resolved")
              - id: t-sum
                kind: score
                points: 1
                title: Twelve weeks of care in all
                when: sum(conservative_care.map(c, c.weeks)) >= 12
              - id: t-mixed
                kind: score
                points: 1
                title: BMI over 30 (double against int)
                when: bmi > 30
              - id: t-dates
                kind: score
                points: 1
                title: No steroid within the washout
                when: injections.all(i, i.agent != "corticosteroid" || days_since(i.date) >= params.washout_days)
              - id: t-weeks
                kind: score
                points: 1
                title: Weeks since the last injection
                when: injections.exists(i, weeks_since(i.date) == 4 && days_between(i.date, as_of) == 30)
            """,
        parameters: """
            parameters:
              washout_days: { value: 30, unit: days, range: [30, 90] }
            """,
        recommended: 100, consider: 1)

    @Test func expressionFeaturesWorkInRules() throws {
        let pack = try TestPack.compile(Self.expressions)
        let decision = try TestPack.decide("""
            as_of: 2026-10-02
            diagnosis: knee_osteoarthritis
            bmi: 30.5
            conservative_care:
              - { treatment: physical_therapy, weeks: 8, response: partial }
              - { treatment: home_exercise, weeks: 4, response: none }
            injections:
              - { agent: corticosteroid, date: 2026-09-02 }
            """, pack)
        let outcomes = Dictionary(uniqueKeysWithValues: decision.steps.map { ($0.rule, $0.outcome) })
        #expect(outcomes == ["t-in": .true, "t-exists": .true, "t-sum": .true, "t-mixed": .true, "t-dates": .true, "t-weeks": .true])
        #expect(decision.score == 6)
        let sum = try #require(decision.steps.first { $0.rule == "t-sum" })
        #expect(sum.values.map(\.path) == ["conservative_care"])
        let dates = try #require(decision.steps.first { $0.rule == "t-dates" })
        #expect(dates.values.map(\.path).contains("params.washout_days"))
        #expect(dates.values.first { $0.path == "params.washout_days" }?.value == .int(30))
    }

    @Test func aTooRecentInjectionAndAnEmptyHistory() throws {
        let pack = try TestPack.compile(Self.expressions)
        let recent = try TestPack.decide("as_of: 2026-10-02\ninjections: [{ agent: corticosteroid, date: 2026-09-20 }]\nconservative_care: []", pack)
        let outcomes = Dictionary(uniqueKeysWithValues: recent.steps.map { ($0.rule, $0.outcome) })
        #expect(outcomes["t-dates"] == .false)
        #expect(outcomes["t-exists"] == .false)  // [] is "none tried", not unknown
        #expect(outcomes["t-sum"] == .false)
        #expect(outcomes["t-in"] == .unknown)  // diagnosis not recorded
        #expect(outcomes["t-mixed"] == .unknown)
    }

    @Test func compoundConditionsAreStepsOfTheirOwn() throws {
        let pack = try TestPack.compile(TestPack.therapy(rules: """
              - id: t-care
                kind: require
                title: Care tried
                when:
                  any:
                    - conservative_care.exists(c, c.weeks >= 6)
                    - all:
                        - symptom_weeks >= 26
                        - not: pregnant
            """))
        let decision = try TestPack.decide("symptom_weeks: 30\npregnant: false", pack)
        let step = try #require(decision.steps.first)
        #expect(step.outcome == .true)  // true || unknown is true
        #expect(step.items.map(\.outcome) == [.unknown, .true])
        #expect(step.items[1].items.map(\.outcome) == [.true, .true])
        #expect(step.missing.isEmpty)
        let open = try TestPack.decide("symptom_weeks: 30", pack)
        #expect(open.tier == .needsData)
        #expect(open.missing == ["conservative_care", "pregnant"])
    }

    @Test func typeErrorsStopThePackAtTheirLocation() throws {
        let therapy = TestPack.therapy(rules: """
              - { id: t-bad, kind: exclude, title: Typo, when: pregnnt }
            """)
        #expect {
            _ = try TestPack.compile(therapy)
        } throws: { error in
            guard let failure = error as? DiagnosticError else { return false }
            let text = failure.description
            return text.hasPrefix("T/t.yaml:6:52: error:") && text.contains("pregnnt") && text.contains("did you mean 'pregnant'?")
        }
    }

    @Test func outputIsByteIdenticalAcrossRuns() throws {
        let pack = try TestPack.compile(Self.gates)
        let patient = try TestPack.patient("pregnant: false\ndiagnosis: patellar_tendinopathy\nage: 40\nsymptom_weeks: 20\nlabs: { platelet_count: 90.5 }", pack: pack)
        let context = ReportContext(pack: pack)
        let reporters: [any EvaluationReporter] = [TextReporter(), JSONReporter(pretty: true), JSONReporter(pretty: false), MarkdownReporter()]
        for reporter in reporters {
            let first = reporter.render(Evaluator(pack: pack).evaluate(patient), context: context)
            let second = reporter.render(Evaluator(pack: try TestPack.compile(Self.gates)).evaluate(patient), context: context)
            #expect(first == second)
            #expect(first.contains("t-pregnancy"))
        }
    }
}

/// A compiled pack is shared by many threads at once, and every thread gets the same answers.
@Suite struct ConcurrentEvaluationTests {
    @Test func evaluatesOnManyThreadsWithTheSameResults() async throws {
        let pack = try TestPack.compile(EvaluationTests.gates)
        let evaluator = Evaluator(pack: pack)
        let patients = try (0..<64).map { index in
            try TestPack.patient("pregnant: false\nactive_infection: \(index % 3 == 0)\ndiagnosis: patellar_tendinopathy\nage: \(18 + index)\nsymptom_weeks: \(index)", pack: pack)
        }
        let serial = patients.map { evaluator.evaluate($0) }
        let parallel = await withTaskGroup(of: (Int, PatientEvaluation).self) { group in
            for (index, patient) in patients.enumerated() {
                group.addTask { (index, evaluator.evaluate(patient)) }
            }
            var results = [PatientEvaluation?](repeating: nil, count: patients.count)
            for await (index, evaluation) in group { results[index] = evaluation }
            return results.compactMap { $0 }
        }
        #expect(parallel == serial)
        #expect(serial.filter { $0.decisions[0].tier == .contraindicated }.count == 22)
    }
}
