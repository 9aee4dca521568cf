/// The outcome of running one fixture: the evaluation and one result per expectation.
public struct FixtureResult: Sendable, Hashable {
    /// The fixture that was run.
    public var fixture: Fixture
    /// The evaluation of the fixture's patient, for every therapy of the pack.
    public var evaluation: PatientEvaluation
    /// One result per expectation, in file order.
    public var expectations: [ExpectationResult]

    /// Creates a result.
    public init(fixture: Fixture, evaluation: PatientEvaluation, expectations: [ExpectationResult]) {
        self.fixture = fixture
        self.evaluation = evaluation
        self.expectations = expectations
    }

    /// Whether every expectation holds.
    public var passed: Bool { expectations.allSatisfy(\.passed) }

    /// The expectations that do not hold, in file order.
    public var failures: [ExpectationResult] { expectations.filter { !$0.passed } }
}
