/// The outcome of running a ``FixtureSuite``: one ``FixtureResult`` per fixture and the counts
/// `candidacy test` prints.
///
/// The unit counted is one expectation, a fixture × therapy pair (the `eswt:` entry of a
/// fixture's `expect`), the same unit as a JUnit `testcase`.
public struct SuiteResult: Sendable, Hashable {
    /// One result per fixture, in suite order.
    public var fixtures: [FixtureResult]

    /// Creates a result.
    public init(fixtures: [FixtureResult]) {
        self.fixtures = fixtures
    }

    /// Every expectation's result, fixture by fixture, in file order.
    public var expectations: [ExpectationResult] { fixtures.flatMap(\.expectations) }

    /// The expectations that hold.
    public var passedCount: Int { expectations.filter(\.passed).count }

    /// The expectations that do not hold.
    public var failedCount: Int { expectations.filter { !$0.passed }.count }

    /// Expectations that were not run. Always 0: the loader rejects an expectation that could
    /// not be checked, and fixtures left out by a filter are not part of the run.
    public var skippedCount: Int { 0 }

    /// Whether every expectation holds.
    public var passed: Bool { failedCount == 0 }

    /// `N passed, M failed`, plus `, K skipped` when K is not 0: the last line of a text run.
    public var summaryLine: String {
        var line = "\(passedCount) passed, \(failedCount) failed"
        if skippedCount > 0 { line += ", \(skippedCount) skipped" }
        return line
    }
}
