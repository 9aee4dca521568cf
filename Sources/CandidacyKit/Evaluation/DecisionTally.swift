/// One rule's outcome for one patient, and the fields it lacked when unknown: all that a
/// therapy's tier, score and deciding rules depend on.
struct Verdict: Sendable {
    var outcome: TruthValue
    /// The fields whose absence left the outcome unknown (empty unless unknown).
    var missing: [String]
}

/// A therapy's tier, score, range, missing fields, cautions and deciding rules, from its rules'
/// verdicts in report order (DESIGN.md 2.4: contraindicated, ineligible, needs data, scored).
struct DecisionTally {
    var tier: Tier
    var score = 0
    var low = 0
    var high = 0
    var provisional = false
    var deciding: [String]
    var missing: [String] = []
    var cautions: [String] = []

    /// - Parameters:
    ///   - compiled: The therapy.
    ///   - verdicts: One per rule, in the order of `compiled.stepOrder`.
    init(_ compiled: CompiledTherapy, verdicts: [Verdict]) {
        let exclusionEnd = compiled.exclusionCount
        let requirementEnd = exclusionEnd + compiled.requirementCount
        let kinds = compiled.stepKinds
        let points = compiled.stepPoints
        let ids = compiled.stepIDs
        var excluded = false
        var unmet = false
        var open = false
        var score = 0
        var low = 0
        var high = 0
        for position in verdicts.indices {
            let outcome = verdicts[position].outcome
            switch kinds[position] {
            case .exclude:
                excluded = excluded || outcome == .true
                open = open || outcome == .unknown
            case .require:
                unmet = unmet || outcome == .false
                open = open || outcome == .unknown
            case .score, .caution:
                if outcome == .true { score += points[position] }
                if outcome == .unknown {
                    low += min(0, points[position])
                    high += max(0, points[position])
                }
            }
        }
        low += score
        high += score
        let tiers = compiled.therapy.tiers

        /// The rule ids of the positions in `range` whose verdict has `outcome`.
        func rules(_ range: Range<Int>, _ outcome: TruthValue) -> [String] {
            var found: [String] = []
            for position in range where verdicts[position].outcome == outcome { found.append(ids[position]) }
            return found
        }
        if excluded {
            (tier, deciding) = (.contraindicated, rules(0..<exclusionEnd, .true))
        } else if unmet {
            (tier, deciding) = (.ineligible, rules(exclusionEnd..<requirementEnd, .false))
        } else if open {
            (tier, deciding) = (.needsData, rules(0..<requirementEnd, .unknown))
        } else {
            // The scoring rules that earned points (a rule of 0 points decides nothing).
            var earned: [String] = []
            for position in requirementEnd..<verdicts.count where verdicts[position].outcome == .true && points[position] != 0 {
                earned.append(ids[position])
            }
            (tier, deciding) = (Tier.scored(score, tiers), earned)
        }
        for verdict in verdicts where verdict.outcome == .unknown {
            for path in verdict.missing where !missing.contains(path) { missing.append(path) }
        }
        for position in requirementEnd..<verdicts.count where kinds[position] == .caution && verdicts[position].outcome == .true {
            cautions.append(ids[position])
        }
        let settledNegative = tier == .contraindicated || tier == .ineligible
        provisional = !settledNegative && Tier.scored(low, tiers) != Tier.scored(high, tiers)
        self.score = score
        self.low = low
        self.high = high
    }
}
