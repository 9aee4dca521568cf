import Testing
@testable import CandidacyKit

/// A tally read from a therapy's ``StepMasks`` is the tally that visits every verdict: tier,
/// score, range, provisional, missing fields, deciding rules and cautions, for every shipped
/// therapy under many sets of outcomes.
@Suite struct DecisionTallyTests {
    /// Seeded outcomes (with missing fields for the unknown ones) for a therapy's steps.
    static func verdicts(count: Int, seed: UInt64) -> [Verdict] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let paths = ["age", "bmi", "labs.hemoglobin", "conservative_care", "diagnosis"]
        return (0..<count).map { _ in
            // Mostly true or false, as a cohort's are; every fourth seed leans to unknown.
            let roll = next() % (seed % 4 == 0 ? 3 : 8)
            switch roll {
            case 0: return Verdict(outcome: .unknown, missing: (0..<Int(next() % 3)).map { _ in paths[Int(next() % 5)] }.sorted())
            case 1, 2, 3: return Verdict(outcome: .true, missing: [])
            default: return Verdict(outcome: .false, missing: [])
            }
        }
    }

    @Test func masksGiveTheTallyOfEveryVerdict() throws {
        let pack = try FixtureSuiteTests.pack.get()
        var tiers: Set<Tier> = []
        for therapy in pack.therapies {
            #expect(therapy.stepMasks != nil, "\(therapy.therapy.id) has at most 64 rules")
            for seed in UInt64(1)...400 {
                let verdicts = Self.verdicts(count: therapy.stepIDs.count, seed: seed)
                let masked = DecisionTally(therapy, verdicts: verdicts, gathersMissing: true, readsMasks: true)
                let visited = DecisionTally(therapy, verdicts: verdicts, gathersMissing: true, readsMasks: false)
                let label = "\(therapy.therapy.id) seed \(seed)"
                #expect(masked.tier == visited.tier, "\(label)")
                #expect([masked.score, masked.low, masked.high] == [visited.score, visited.low, visited.high], "\(label)")
                #expect(masked.provisional == visited.provisional, "\(label)")
                #expect(masked.missing == visited.missing && masked.missedPaths == visited.missedPaths, "\(label)")
                #expect(masked.deciding(therapy, verdicts) == visited.deciding(therapy, verdicts), "\(label)")
                #expect(masked.cautions(therapy, verdicts) == visited.cautions(therapy, verdicts), "\(label)")
                var gathered = ["stale"]
                masked.gatherMissing(of: verdicts, into: &gathered)
                #expect(gathered == visited.missing, "\(label)")
                tiers.insert(masked.tier)
            }
        }
        // The seeds reach the tiers a tally decides between.
        #expect(tiers.isSuperset(of: [.contraindicated, .ineligible, .needsData]), "\(tiers)")
        #expect(tiers.count >= 4, "\(tiers)")
    }

    /// A therapy of more than 64 rules has no masks; its tally visits every verdict.
    @Test func aTherapyOfMoreThan64RulesHasNoMasks() {
        #expect(StepMasks(kinds: Array(repeating: .score, count: 65), points: Array(repeating: 1, count: 65)) == nil)
        let masks = StepMasks(kinds: [.exclude, .require, .score, .caution], points: [0, 0, 2, 0])
        #expect(masks?.exclusions == 0b0001 && masks?.requirements == 0b0010)
        #expect(masks?.scoring == 0b1100 && masks?.cautions == 0b1000 && masks?.pointed == 0b0100)
    }
}
