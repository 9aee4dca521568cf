/// A therapy's steps as bit masks (bit `i` for step `i`), for one of at most 64 rules: what a
/// tally reads to find the tier, the score and the deciding rules with a few mask operations
/// rather than a switch on every rule's kind.
struct StepMasks: Sendable, Equatable {
    /// The exclusions, the requirements, and the score and caution rules.
    let exclusions: UInt64
    let requirements: UInt64
    let scoring: UInt64
    /// The caution rules.
    let cautions: UInt64
    /// The rules with points other than 0.
    let pointed: UInt64

    /// The masks of steps of these kinds and points (in step order), or `nil` for more than 64.
    init?(kinds: [RuleKind], points: [Int]) {
        guard kinds.count <= 64, points.count == kinds.count else { return nil }
        var (exclusions, requirements, scoring, cautions, pointed): (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        for (position, kind) in kinds.enumerated() {
            let bit: UInt64 = 1 << UInt64(position)
            switch kind {
            case .exclude: exclusions |= bit
            case .require: requirements |= bit
            case .score: scoring |= bit
            case .caution:
                scoring |= bit
                cautions |= bit
            }
            if points[position] != 0 { pointed |= bit }
        }
        (self.exclusions, self.requirements, self.scoring, self.cautions, self.pointed) =
            (exclusions, requirements, scoring, cautions, pointed)
    }

    /// The steps with each outcome, one bit each, and how many paths the unknown ones missed.
    struct Outcomes: Sendable, Equatable {
        var trues: UInt64 = 0
        var falses: UInt64 = 0
        var unknowns: UInt64 = 0
        var missedPaths = 0

        /// No outcomes.
        init() {}

        /// The outcomes of `verdicts` (at most 64), read in place.
        init(_ verdicts: [Verdict]) {
            verdicts.withUnsafeBufferPointer { buffer in
                for position in buffer.indices {
                    let bit: UInt64 = 1 << UInt64(position)
                    switch buffer[position].outcome {
                    case .true: trues |= bit
                    case .false: falses |= bit
                    case .unknown:
                        unknowns |= bit
                        missedPaths += buffer[position].missing.count
                    }
                }
            }
        }

        /// The steps whose outcome is `outcome`.
        func steps(_ outcome: TruthValue) -> UInt64 {
            switch outcome {
            case .true: trues
            case .false: falses
            case .unknown: unknowns
            }
        }
    }

    /// Calls `body` with the position of each bit set in `bits`, lowest first (step order).
    @inline(__always)
    static func forEachStep(in bits: UInt64, _ body: (Int) -> Void) {
        var bits = bits
        while bits != 0 {
            body(bits.trailingZeroBitCount)
            bits &= bits - 1
        }
    }
}
