/// The outcome of threshold mutation testing: for each mutant, whether the fixtures killed it.
///
/// A mutant is killed when at least one expectation that holds against the pack fails
/// against the mutant. A surviving mutant is a threshold, operator, weight or kind that no
/// case pins down. Mutants whose changed condition does not compile are left out of the score.
public struct MutationReport: Sendable, Hashable {
    /// One mutant and what became of it.
    public struct Outcome: Sendable, Hashable {
        /// The mutant.
        public var mutant: Mutant
        /// The first expectation (in suite order) that failed against the mutant; `nil` when it survived.
        public var killedBy: ExpectationResult?

        /// Creates an outcome.
        public init(mutant: Mutant, killedBy: ExpectationResult?) {
            self.mutant = mutant
            self.killedBy = killedBy
        }

        /// Whether some expectation noticed the change.
        public var killed: Bool { killedBy != nil }
    }

    /// Every mutant that compiled, in ``MutantGenerator`` order.
    public var outcomes: [Outcome]
    /// Mutants whose changed condition did not compile, left out of the score.
    public var invalid: [Mutant]

    /// Creates a report.
    public init(outcomes: [Outcome], invalid: [Mutant] = []) {
        self.outcomes = outcomes
        self.invalid = invalid
    }

    /// Mutants that were run.
    public var totalCount: Int { outcomes.count }

    /// Mutants some expectation noticed.
    public var killedCount: Int { outcomes.filter(\.killed).count }

    /// The mutants no expectation noticed, in order.
    public var survivors: [Mutant] { outcomes.filter { !$0.killed }.map(\.mutant) }

    /// Killed over total, with one decimal, rounded down: `91.3%`.
    public var scoreText: String { RuleCoverage.percentage(killedCount, of: totalCount) }

    /// `Mutation score: 91.3% (95 of 104 mutants killed)`.
    public var summaryLine: String {
        "Mutation score: \(scoreText) (\(killedCount) of \(totalCount) mutants killed)"
    }
}
