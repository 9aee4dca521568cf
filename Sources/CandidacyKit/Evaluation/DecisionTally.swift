/// One rule's outcome for one patient, and the fields it lacked when unknown: all that a
/// therapy's tier, score and deciding rules depend on.
struct Verdict: Sendable {
    var outcome: TruthValue
    /// The fields whose absence left the outcome unknown (empty unless unknown).
    var missing: [String]
}

/// A therapy's tier, score, range, missing fields, cautions and deciding rules, from its rules'
/// verdicts in report order (DESIGN.md 2.4: contraindicated, ineligible, needs data, scored).
///
/// The deciding rules and cautions are kept as a rule of which step positions they are (visited
/// with ``forEachDeciding(_:points:_:)`` and ``forEachCaution(_:kinds:_:)``), so that a
/// decisions line can write them from ids escaped once, without a list of strings for every
/// patient.
struct DecisionTally {
    var tier: Tier
    var score = 0
    var low = 0
    var high = 0
    var provisional = false
    var missing: [String] = []
    /// How many paths the unknown verdicts missed, with repeats: `0` when nothing is missing.
    private(set) var missedPaths = 0
    /// The positions whose verdict may decide: those in this range with ``decidingOutcome``
    /// (and, for a scored tier, points to earn).
    private var decidingRange: Range<Int>
    private var decidingOutcome: TruthValue
    private var decidingNeedsPoints = false
    /// Where the score and caution rules begin.
    private let scoringStart: Int
    /// The therapy's masks and the verdicts' outcomes as masks, for a therapy of at most 64
    /// rules: the deciding rules and cautions are then read from these.
    private var masks: StepMasks?
    private var outcomes = StepMasks.Outcomes()

    /// - Parameters:
    ///   - compiled: The therapy.
    ///   - verdicts: One per rule, in the order of `compiled.stepOrder`.
    init(_ compiled: CompiledTherapy, verdicts: [Verdict]) {
        self.init(compiled, verdicts: verdicts, gathersMissing: true)
    }

    /// - Parameter gathersMissing: Whether to gather ``missing``; a caller that gathers it into
    ///   storage of its own (``gatherMissing(of:into:)``) leaves it empty.
    init(_ compiled: CompiledTherapy, verdicts: [Verdict], gathersMissing: Bool) {
        self.init(compiled, verdicts: verdicts, gathersMissing: gathersMissing, readsMasks: true)
    }

    /// - Parameter readsMasks: Whether to read the therapy's ``StepMasks`` when it has them;
    ///   `false` visits every verdict (as a therapy of more than 64 rules is tallied), for tests
    ///   that hold the two ways equal.
    init(_ compiled: CompiledTherapy, verdicts: [Verdict], gathersMissing: Bool, readsMasks: Bool) {
        let exclusionEnd = compiled.exclusionCount
        let requirementEnd = exclusionEnd + compiled.requirementCount
        let kinds = compiled.stepKinds
        let points = compiled.stepPoints
        var excluded = false
        var unmet = false
        var open = false
        var score = 0
        var low = 0
        var high = 0
        // One pass; the unknown verdicts' paths are counted on the way (read in place: a loop
        // variable would retain each verdict's list).
        var paths = 0
        if readsMasks, let stepMasks = compiled.stepMasks, verdicts.count == kinds.count {
            // The same from masks: a bit operation for each kind, a sum over the scoring bits.
            let outcomes = StepMasks.Outcomes(verdicts)
            (masks, self.outcomes, paths) = (stepMasks, outcomes, outcomes.missedPaths)
            excluded = outcomes.trues & stepMasks.exclusions != 0
            unmet = outcomes.falses & stepMasks.requirements != 0
            open = outcomes.unknowns & (stepMasks.exclusions | stepMasks.requirements) != 0
            StepMasks.forEachStep(in: outcomes.trues & stepMasks.scoring & stepMasks.pointed) { score += points[$0] }
            StepMasks.forEachStep(in: outcomes.unknowns & stepMasks.scoring & stepMasks.pointed) {
                low += min(0, points[$0])
                high += max(0, points[$0])
            }
        } else {
            masks = nil
            for position in verdicts.indices {
                let outcome = verdicts[position].outcome
                if outcome == .unknown { paths += verdicts[position].missing.count }
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
        }
        low += score
        high += score
        let tiers = compiled.thresholds
        scoringStart = requirementEnd
        if excluded {
            (tier, decidingRange, decidingOutcome) = (.contraindicated, 0..<exclusionEnd, .true)
        } else if unmet {
            (tier, decidingRange, decidingOutcome) = (.ineligible, exclusionEnd..<requirementEnd, .false)
        } else if open {
            (tier, decidingRange, decidingOutcome) = (.needsData, 0..<requirementEnd, .unknown)
        } else {
            // The scoring rules that earned points (a rule of 0 points decides nothing).
            (tier, decidingRange, decidingOutcome) = (Tier.scored(score, tiers), requirementEnd..<verdicts.count, .true)
            decidingNeedsPoints = true
        }
        // Room for every path first, so the list is allocated once; none to gather without one.
        if paths > 0, gathersMissing {
            missing.reserveCapacity(paths)
            Self.gatherMissing(of: verdicts, into: &missing)
        }
        missedPaths = paths
        let settledNegative = tier == .contraindicated || tier == .ineligible
        provisional = !settledNegative && Tier.scored(low, tiers) != Tier.scored(high, tiers)
        self.score = score
        self.low = low
        self.high = high
    }

    /// The unknown verdicts' missing fields, in step order, each once, written over `missing`
    /// (its storage kept): what ``missing`` holds.
    static func gatherMissing(of verdicts: [Verdict], into missing: inout [String]) {
        FastPath.empty(&missing)
        // Read in place: a loop variable would retain each verdict's list.
        for position in verdicts.indices where verdicts[position].outcome == .unknown {
            FastPath.appendNew(verdicts[position].missing, to: &missing)
        }
    }

    /// ``gatherMissing(of:into:)`` of this tally's verdicts: only the unknown ones are visited
    /// when the tally has their mask.
    func gatherMissing(of verdicts: [Verdict], into missing: inout [String]) {
        if missedPaths == 0 {
            FastPath.empty(&missing)
            return
        }
        guard masks != nil, verdicts.count <= 64 else {
            Self.gatherMissing(of: verdicts, into: &missing)
            return
        }
        FastPath.empty(&missing)
        StepMasks.forEachStep(in: outcomes.unknowns) { FastPath.appendNew(verdicts[$0].missing, to: &missing) }
    }

    /// Calls `body` with the step position of each deciding rule, in step order (`points`:
    /// the therapy's `stepPoints`).
    @inline(__always)
    func forEachDeciding(_ verdicts: [Verdict], points: [Int], _ body: (Int) -> Void) {
        if let masks {
            // The deciding range by tier: the exclusions, the requirements, both, or the scoring rules.
            let range: UInt64 =
                switch tier {
                case .contraindicated: masks.exclusions
                case .ineligible: masks.requirements
                case .needsData: masks.exclusions | masks.requirements
                default: masks.scoring
                }
            let candidates = outcomes.steps(decidingOutcome) & range & (decidingNeedsPoints ? masks.pointed : .max)
            StepMasks.forEachStep(in: candidates, body)
            return
        }
        for position in decidingRange
        where verdicts[position].outcome == decidingOutcome && (!decidingNeedsPoints || points[position] != 0) {
            body(position)
        }
    }

    /// Calls `body` with the step position of each caution rule that holds, in step order
    /// (`kinds`: the therapy's `stepKinds`).
    @inline(__always)
    func forEachCaution(_ verdicts: [Verdict], kinds: [RuleKind], _ body: (Int) -> Void) {
        if let masks {
            StepMasks.forEachStep(in: outcomes.trues & masks.cautions, body)
            return
        }
        for position in scoringStart..<verdicts.count where kinds[position] == .caution && verdicts[position].outcome == .true {
            body(position)
        }
    }

    /// The deciding rules' ids, in step order.
    func deciding(_ compiled: CompiledTherapy, _ verdicts: [Verdict]) -> [String] {
        var found: [String] = []
        forEachDeciding(verdicts, points: compiled.stepPoints) { found.append(compiled.stepIDs[$0]) }
        return found
    }

    /// The ids of the caution rules that hold, in step order.
    func cautions(_ compiled: CompiledTherapy, _ verdicts: [Verdict]) -> [String] {
        var found: [String] = []
        forEachCaution(verdicts, kinds: compiled.stepKinds) { found.append(compiled.stepIDs[$0]) }
        return found
    }
}
