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
        var excluded = false
        var unmet = false
        var open = false
        var score = 0
        var low = 0
        var high = 0
        for (position, index) in compiled.stepOrder.enumerated() {
            let rule = compiled.rules[index]
            let outcome = verdicts[position].outcome
            switch rule.kind {
            case .exclude:
                excluded = excluded || outcome == .true
                open = open || outcome == .unknown
            case .require:
                unmet = unmet || outcome == .false
                open = open || outcome == .unknown
            case .score, .caution:
                if outcome == .true { score += rule.points }
                if outcome == .unknown {
                    low += min(0, rule.points)
                    high += max(0, rule.points)
                }
            }
        }
        low += score
        high += score
        let tiers = compiled.therapy.tiers

        /// The rule ids of the positions in `range` whose rule and verdict satisfy `include`.
        func rules(_ range: Range<Int>, where include: (CompiledRule, Verdict) -> Bool) -> [String] {
            var ids: [String] = []
            for position in range {
                let rule = compiled.rules[compiled.stepOrder[position]]
                if include(rule, verdicts[position]) { ids.append(rule.rule.id) }
            }
            return ids
        }
        func points(_ rule: CompiledRule, _ verdict: Verdict) -> Int {
            (rule.kind == .score || rule.kind == .caution) && verdict.outcome == .true ? rule.points : 0
        }
        if excluded {
            (tier, deciding) = (.contraindicated, rules(0..<exclusionEnd) { $1.outcome == .true })
        } else if unmet {
            (tier, deciding) = (.ineligible, rules(exclusionEnd..<requirementEnd) { $1.outcome == .false })
        } else if open {
            (tier, deciding) = (.needsData, rules(0..<requirementEnd) { $1.outcome == .unknown })
        } else {
            (tier, deciding) = (Tier.scored(score, tiers), rules(requirementEnd..<verdicts.count) { points($0, $1) != 0 })
        }
        for verdict in verdicts where verdict.outcome == .unknown {
            for path in verdict.missing where !missing.contains(path) { missing.append(path) }
        }
        cautions = rules(requirementEnd..<verdicts.count) { $0.kind == .caution && $1.outcome == .true }
        let settledNegative = tier == .contraindicated || tier == .ineligible
        provisional = !settledNegative && Tier.scored(low, tiers) != Tier.scored(high, tiers)
        self.score = score
        self.low = low
        self.high = high
    }
}
