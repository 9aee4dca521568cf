import Foundation
import Testing
@testable import CandidacyKit

/// "What would change the answer": the smallest changes to the data that would move a therapy up,
/// where a condition is a simple comparison, on packs written for the tests.
@Suite struct WhatWouldChangeTests {
    static let pack = TestPack.therapy(
        rules: """
              - { id: t-infection, kind: exclude, title: Infection, when: active_infection }
              - { id: t-chronic, kind: require, title: Chronic, when: symptom_weeks >= 26 }
              - id: t-care
                kind: require
                title: Physical therapy without resolution
                when: conservative_care.exists(c, c.treatment == "physical_therapy" && c.weeks >= params.care_weeks && c.response != "resolved")
              - { id: t-diagnosis, kind: require, title: Tendinopathy, when: 'diagnosis == "patellar_tendinopathy" || diagnosis == "knee_osteoarthritis"' }
              - { id: t-platelets, kind: score, points: 2, title: Platelets, when: labs.platelet_count > 150 }
              - { id: t-oa, kind: score, points: 3, title: Osteoarthritis, when: 'diagnosis == "knee_osteoarthritis"' }
              - { id: t-grade, kind: caution, points: -1, title: Grade, when: kl_grade >= 3 }
            """,
        parameters: """
            parameters:
              care_weeks: { value: 6, unit: weeks, range: [6, 12] }
            """,
        recommended: 4, consider: 1)

    static let settled = "as_of: 2026-10-02\nactive_infection: false\n"

    @Test func unmetRequirementsNameTheThresholdAndTheValueToday() throws {
        let pack = try TestPack.compile(Self.pack)
        let care = """
            conservative_care:
              - { treatment: physical_therapy, weeks: 4, response: none }
              - { treatment: home_exercise, weeks: 10, response: none }
            """
        let decision = try TestPack.decide(Self.settled + "diagnosis: knee_osteoarthritis\nsymptom_weeks: 20\n" + care, pack)
        #expect(decision.tier == .ineligible)
        let changes = decision.whatWouldChange
        #expect(changes.map(\.rule) == ["t-chronic", "t-care"])
        #expect(changes.allSatisfy { $0.effect == .meet })
        #expect(changes[0].change == "symptom_weeks of 26 or more")
        #expect(changes[0].now == "now 20")
        #expect(changes[0].sentence == "symptom_weeks of 26 or more would meet t-chronic (now 20)")
        #expect(changes[1].change == "2 more weeks of conservative care with treatment physical_therapy, response other than resolved")
        #expect(changes[1].now == "now 4 weeks")

        // A diagnosis out of scope cannot be changed: only that requirement is named, since
        // meeting the others would not make the therapy eligible.
        let outOfScope = try TestPack.decide(Self.settled + "diagnosis: other\nsymptom_weeks: 20\n" + care, pack)
        #expect(outOfScope.whatWouldChange.map(\.rule) == ["t-diagnosis"])
        #expect(outOfScope.whatWouldChange.first?.change == nil)
        #expect(outOfScope.whatWouldChange.first?.sentence.contains("no single value") == true)
    }

    /// Among several entries that fit, the value told is the best one (the largest for an
    /// amount asked at least, the smallest for one asked at most), and the shortfall is counted
    /// from the largest.
    @Test func theBestOfSeveralEntriesIsTold() throws {
        let pack = try TestPack.compile(Self.pack)
        let care = """
            conservative_care:
              - { treatment: physical_therapy, weeks: 2, response: none }
              - { treatment: physical_therapy, weeks: 5, response: none }
              - { treatment: physical_therapy, weeks: 3, response: none }
              - { treatment: home_exercise, weeks: 5, response: none }
            """
        let decision = try TestPack.decide(Self.settled + "diagnosis: knee_osteoarthritis\nsymptom_weeks: 30\n" + care, pack)
        #expect(decision.whatWouldChange.first?.now == "now 5 weeks")
        #expect(decision.whatWouldChange.first?.change?.hasPrefix("1 more weeks of conservative care") == true)

        let atMost = try TestPack.compile(TestPack.therapy(rules: """
              - id: t-short
                kind: require
                title: A short course of NSAIDs
                when: conservative_care.exists(c, c.treatment == "nsaids" && c.weeks <= 2)
            """))
        let nsaids = """
            conservative_care:
              - { treatment: nsaids, weeks: 6, response: none }
              - { treatment: nsaids, weeks: 4, response: none }
              - { treatment: physical_therapy, weeks: 1, response: none }
              - { treatment: nsaids, weeks: 9, response: none }
            """
        let short = try TestPack.decide(Self.settled + nsaids, atMost)
        #expect(short.whatWouldChange.first?.now == "now 4 weeks")
    }

    @Test func noMatchingEntryAndNotRecorded() throws {
        let pack = try TestPack.compile(Self.pack)
        let none = try TestPack.decide(Self.settled + "diagnosis: knee_osteoarthritis\nsymptom_weeks: 30\nconservative_care: []", pack)
        #expect(none.whatWouldChange.map(\.rule) == ["t-care"])
        #expect(none.whatWouldChange.first?.now == "now none recorded")
        #expect(none.whatWouldChange.first?.change == "6 more weeks of conservative care with treatment physical_therapy, response other than resolved")
        let resolved = try TestPack.decide(Self.settled + "diagnosis: knee_osteoarthritis\nsymptom_weeks: 30\nconservative_care: [{ treatment: physical_therapy, weeks: 8, response: resolved }]", pack)
        #expect(resolved.whatWouldChange.first?.now == "now none that matches")
    }

    @Test func openRulesAreSettledByRecordingTheirData() throws {
        let pack = try TestPack.compile(Self.pack)
        let decision = try TestPack.decide("as_of: 2026-10-02\ndiagnosis: knee_osteoarthritis\nsymptom_weeks: 30\nconservative_care: [{ treatment: physical_therapy, weeks: 8, response: none }]", pack)
        #expect(decision.tier == .needsData)
        #expect(decision.whatWouldChange.map(\.sentence) == ["recording active_infection would settle t-infection"])
    }

    @Test func belowRecommendedListsTheUnmetFactorsAndCautions() throws {
        let pack = try TestPack.compile(Self.pack)
        let decision = try TestPack.decide(Self.settled + """
            diagnosis: patellar_tendinopathy
            symptom_weeks: 30
            kl_grade: 3
            labs: { platelet_count: 120 }
            conservative_care: [{ treatment: physical_therapy, weeks: 8, response: none }]
            """, pack)
        #expect(decision.tier == .notRecommended)  // score −1
        let changes = decision.whatWouldChange
        // t-oa (diagnosis) is left out: the diagnosis is not a value to change.
        #expect(changes.map(\.rule) == ["t-platelets", "t-grade"])
        #expect(changes[0].effect == .add(2))
        #expect(changes[0].sentence == "labs.platelet_count above 150 would add 2 points (t-platelets; now 120.0)")
        #expect(changes[1].effect == .giveBack(1))
    }

    @Test func nothingToChangeWhenRecommendedOrContraindicated() throws {
        let pack = try TestPack.compile(Self.pack)
        let care = "conservative_care: [{ treatment: physical_therapy, weeks: 8, response: none }]"
        let best = try TestPack.decide(Self.settled + "diagnosis: knee_osteoarthritis\nsymptom_weeks: 30\nkl_grade: 1\nlabs: { platelet_count: 200 }\n" + care, pack)
        #expect(best.tier == .recommended)
        #expect(best.whatWouldChange.isEmpty)
        let excluded = try TestPack.decide("active_infection: true", pack)
        #expect(excluded.tier == .contraindicated)
        #expect(excluded.whatWouldChange.isEmpty)
    }

    @Test func appearsInEveryFormat() throws {
        let pack = try TestPack.compile(Self.pack)
        let patient = try TestPack.patient(Self.settled + "diagnosis: knee_osteoarthritis\nsymptom_weeks: 20\nconservative_care: [{ treatment: physical_therapy, weeks: 8, response: none }]", pack: pack)
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        let context = ReportContext(pack: pack)
        let text = TextReporter().render(evaluation, context: context)
        #expect(text.contains("What would change (what the rules say, not advice)"))
        #expect(text.contains("symptom_weeks of 26 or more would meet t-chronic (now 20)"))
        let markdown = MarkdownReporter().render(evaluation, context: context)
        #expect(markdown.contains("What would change (what the rules say, not advice)"))
        #expect(markdown.contains("symptom\\_weeks of 26 or more would meet t-chronic (now 20)"))
        let json = JSONReporter(pretty: false).render(evaluation, context: context)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let therapies = try #require(object["therapies"] as? [[String: Any]])
        let changes = try #require(therapies.first?["what_would_change"] as? [[String: Any]])
        #expect(changes.first?["rule"] as? String == "t-chronic")
        #expect(changes.first?["effect"] as? String == "meet")
        #expect(changes.first?["change"] as? String == "symptom_weeks of 26 or more")
        #expect(changes.first?["now"] as? String == "now 20")
    }
}
