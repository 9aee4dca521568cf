/// Everything a `candidacy test` run found: the fixture results and, when asked for, rule
/// coverage and mutation testing. The input of every ``TestReporter``.
public struct TestReport: Sendable {
    /// The pack the fixtures ran against.
    public var pack: CompiledPack
    /// The fixture results.
    public var result: SuiteResult
    /// Rule coverage, when measured (`--coverage`).
    public var coverage: RuleCoverage?
    /// The coverage the run must reach, in percent (`--coverage-min`).
    public var coverageMinimum: Double?
    /// Mutation testing, when run (`--mutate`).
    public var mutation: MutationReport?

    /// Creates a report.
    public init(
        pack: CompiledPack, result: SuiteResult, coverage: RuleCoverage? = nil, coverageMinimum: Double? = nil,
        mutation: MutationReport? = nil
    ) {
        self.pack = pack
        self.result = result
        self.coverage = coverage
        self.coverageMinimum = coverageMinimum
        self.mutation = mutation
    }

    /// Whether the coverage reaches the minimum; true when there is no minimum.
    public var coverageMet: Bool {
        guard let coverageMinimum else { return true }
        guard let coverage else { return false }
        return coverage.meets(minimum: coverageMinimum)
    }

    /// Whether the run passes: every expectation holds and the coverage reaches the minimum.
    /// The mutation score never fails a run.
    public var passed: Bool { result.passed && coverageMet }
}

/// Renders a `candidacy test` run in one format.
public protocol TestReporter: Sendable {
    /// The whole report, ending with a newline.
    func render(_ report: TestReport) -> String
}
