import Testing
@testable import CandidacyKit

/// A compiled therapy's conditions read `params.NAME` as the value folded when compiling, but
/// only from an activation that carries that therapy's parameters (``ParameterSource``,
/// checked by identity); from any other, by name, as the tree walker does.
@Suite struct ParameterFoldingTests {
    static func parameter(_ name: String, _ value: Value) -> Parameter {
        Parameter(
            name: name, value: value, unit: nil, range: nil, description: nil, refs: [],
            location: SourceLocation(file: "t.yaml", line: 1, column: 1))
    }

    static let source = ParameterSource([parameter("limit", .int(5)), parameter("on", .bool(true))])

    /// The fast path of `text`, with and without the folded parameters.
    static func paths(_ text: String) throws -> (folded: FastPath, plain: FastPath) {
        let root = try ExpressionParser.parse(text)
        return (try #require(FastPath(root, parameters: source)), try #require(FastPath(root)))
    }

    static func activation(limit: Int64, carrying: Bool) -> Activation {
        var activation = Activation(variables: ["params": .record(Record(["limit": .int(limit), "on": .bool(true)]))])
        activation.record = Record(["age": .int(7)])
        if carrying { activation.parameterSource = source }
        return activation
    }

    /// With the source, the folded value, and the steps the tree walker counts; without it, or
    /// once the variables change, the activation's own `params`.
    @Test func foldedOnlyForTheirOwnParameters() throws {
        let (folded, plain) = try Self.paths("age < params.limit && params.on")
        var frame = FastPath.Frame()
        var plainFrame = FastPath.Frame()
        let carrying = Self.activation(limit: 5, carrying: true)
        #expect(folded.evaluateSorted(carrying, frame: &frame) == .value(.bool(false)))
        #expect(plain.evaluateSorted(carrying, frame: &plainFrame) == .value(.bool(false)))
        #expect(frame.steps == plainFrame.steps)
        #expect(frame.steps == 5)  // `&&` stops at the false left side: &&, <, age, params.limit (2)

        // Other parameters without the source: read by name (10 makes it true).
        let other = Self.activation(limit: 10, carrying: false)
        #expect(folded.evaluateSorted(other, frame: &frame) == .value(.bool(true)))
        // The source cleared by setting the variables.
        var changed = Self.activation(limit: 5, carrying: true)
        changed.variables = ["params": .record(Record(["limit": .int(10), "on": .bool(true)]))]
        #expect(changed.parameterSource == nil)
        #expect(folded.evaluateSorted(changed, frame: &frame) == .value(.bool(true)))
    }

    /// A name bound by a macro, or a parameter the therapy lacks, is not folded.
    @Test func boundNamesAndUnknownParametersAreNotFolded() throws {
        let (bound, _) = try Self.paths("x.exists(params, params.limit == 1)")
        var frame = FastPath.Frame()
        var carrying = Self.activation(limit: 5, carrying: true)
        carrying.variables["x"] = .list([.record(Record(["limit": .int(1)]))])
        carrying.parameterSource = Self.source
        #expect(bound.evaluateSorted(carrying, frame: &frame) == .value(.bool(true)))
        let (absent, _) = try Self.paths("params.other == 1")
        var activation = Self.activation(limit: 5, carrying: true)
        activation.variables = ["params": .record(Record(["other": .int(1)]))]
        activation.parameterSource = Self.source
        #expect(absent.evaluateSorted(activation, frame: &frame) == .value(.bool(true)))
    }

    /// The shipped pack's evaluations carry each therapy's source, and give what evaluating by
    /// name gives (the fixtures pin the tiers; this pins that the source is set).
    @Test func theEvaluatorCarriesEachTherapysSource() throws {
        let pack = try FixtureSuiteTests.pack.get()
        for compiled in pack.therapies {
            #expect(compiled.parameters == compiled.parameterSource.values)
            #expect(compiled.variables == ["params": .record(compiled.parameterSource.values)])
        }
    }
}
