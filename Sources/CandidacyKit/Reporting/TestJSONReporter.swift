/// The `candidacy test` report for programs: one indented JSON document with keys in a fixed
/// order. `coverage` and `mutation` are `null` unless measured. See docs/FORMATS.md.
public struct TestJSONReporter: TestReporter {
    /// Creates the reporter.
    public init() {}

    public func render(_ report: TestReport) -> String {
        document(report).rendered(pretty: true) + "\n"
    }

    /// The JSON document.
    public func document(_ report: TestReport) -> JSONValue {
        let pack = report.pack
        let result = report.result
        return .object([
            ("schema_version", .int(1)),
            ("rule_pack", .object([
                ("path", .string(pack.pack.path)),
                ("digest", .string(pack.digest)),
                ("versions", .object(pack.versions.map { ($0.therapy, .string($0.version)) })),
            ])),
            ("engine", .object([("version", .string(CandidacyVersion.current))])),
            ("summary", .object([
                ("passed", .int(Int64(result.passedCount))),
                ("failed", .int(Int64(result.failedCount))),
                ("skipped", .int(Int64(result.skippedCount))),
                ("fixtures", .int(Int64(result.fixtures.count))),
                ("success", .bool(report.passed)),
            ])),
            ("fixtures", .array(result.fixtures.map(fixture))),
            ("coverage", report.coverage.map { coverage($0, minimum: report.coverageMinimum) } ?? .null),
            ("mutation", report.mutation.map(mutation) ?? .null),
        ])
    }

    private func fixture(_ result: FixtureResult) -> JSONValue {
        .object([
            ("file", .string(result.fixture.file)),
            ("case", .string(result.fixture.patient.id)),
            ("description", .string(result.fixture.description)),
            ("passed", .bool(result.passed)),
            ("expectations", .array(result.expectations.map(expectation))),
        ])
    }

    private func expectation(_ result: ExpectationResult) -> JSONValue {
        let expectation = result.expectation
        var members: [(String, JSONValue)] = [
            ("therapy", .string(expectation.therapy)),
            ("location", .string(expectation.location.description)),
            ("passed", .bool(result.passed)),
            ("expected", .object([
                ("tier", expectation.tier.map { .string($0.rawValue) } ?? .null),
                ("score", expectation.score.map { .int(Int64($0)) } ?? .null),
                ("because", .array(expectation.because.map(JSONValue.string))),
            ])),
        ]
        if let decision = result.decision {
            members.append(("actual", .object([
                ("tier", .string(decision.tier.rawValue)),
                ("score", .int(Int64(decision.score))),
                ("score_range", .array([
                    .int(Int64(decision.scoreRange.lowerBound)), .int(Int64(decision.scoreRange.upperBound)),
                ])),
                ("provisional", .bool(decision.provisional)),
                ("deciding", .array(decision.deciding.map(JSONValue.string))),
            ])))
        } else {
            members.append(("actual", .null))
        }
        members.append(("mismatches", .array(result.mismatches.map { .string($0.description) })))
        members.append(("message", .string(result.description)))
        let steps = result.passed ? [] : (result.decision.map { decision in
            decision.steps.filter { decision.deciding.contains($0.rule) || expectation.because.contains($0.rule) }
        } ?? [])
        members.append(("steps", .array(steps.map { JSONReporter.stepDocument($0) })))
        return .object(members)
    }

    private func coverage(_ coverage: RuleCoverage, minimum: Double?) -> JSONValue {
        .object([
            ("cases", .int(Int64(coverage.caseCount))),
            ("covered", .int(Int64(coverage.coveredCount))),
            ("reachable", .int(Int64(coverage.reachableCount))),
            ("percentage", .double(Self.tenths(coverage.coveredCount, of: coverage.reachableCount))),
            ("minimum", minimum.map(JSONValue.double) ?? .null),
            ("rules", .array(coverage.rules.map { entry in
                .object([
                    ("rule", .string(entry.rule)),
                    ("therapy", .string(entry.therapy)),
                    ("kind", .string(entry.kind.rawValue)),
                    ("location", .string(entry.location.description)),
                ] + condition(entry.condition))
            })),
        ])
    }

    private func condition(_ coverage: RuleCoverage.ConditionCoverage) -> [(String, JSONValue)] {
        [
            ("condition", .string(coverage.condition)),
            ("condition_location", .string(coverage.location.description)),
            ("counts", .object(TruthValue.allCases.map { ($0.rawValue, .int(Int64(coverage.counts[$0]))) })),
            ("reachable", .array(coverage.reachable.map { .string($0.rawValue) })),
            ("uncovered", .array(coverage.uncovered.map { .string($0.rawValue) })),
            ("items", .array(coverage.items.map { .object(condition($0)) })),
        ]
    }

    private func mutation(_ report: MutationReport) -> JSONValue {
        .object([
            ("total", .int(Int64(report.totalCount))),
            ("killed", .int(Int64(report.killedCount))),
            ("score", .double(Self.tenths(report.killedCount, of: report.totalCount))),
            ("mutants", .array(report.outcomes.map { outcome in
                .object(mutant(outcome.mutant) + [
                    ("killed", .bool(outcome.killed)),
                    ("killed_by", outcome.killedBy.map { .string($0.location.description) } ?? .null),
                ])
            })),
            ("invalid", .array(report.invalid.map { .object(mutant($0)) })),
        ])
    }

    private func mutant(_ mutant: Mutant) -> [(String, JSONValue)] {
        [
            ("location", .string(mutant.location.description)),
            ("therapy", .string(mutant.therapy)),
            ("mutation", .string(mutant.summary)),
        ]
    }

    /// A percentage rounded down to one decimal, as a number: 87.5.
    private static func tenths(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 100 : Double(part * 1000 / whole) / 10
    }
}
