/// The `candidacy test` report for a person: each failing expectation with what a reviewer
/// needs to act on it, then coverage and mutation testing when asked for, then the line
/// `N passed, M failed`.
///
/// A failure reads:
///
/// ```
/// FAIL Fixtures/x.yaml:12:3: eswt: expected tier recommended, got consider (score 4; deciding: eswt-a)
///   case:     case-017 — 34-year-old runner, patellar tendinopathy
///   expected: tier recommended
///   actual:   tier consider · score 4 · deciding eswt-a
///   deciding steps:
///     true     eswt-a  score +4  Rules/eswt.yaml:12:5
///              when diagnosis == "patellar_tendinopathy"
///              diagnosis = patellar_tendinopathy
/// ```
///
/// The score's range follows the score, as `(range 2–4, provisional)`, when unknown rules
/// leave it open. Passing expectations print nothing.
public struct TestTextReporter: TestReporter {
    /// Creates the reporter.
    public init() {}

    public func render(_ report: TestReport) -> String {
        var lines: [String] = []
        let pack = report.pack
        let fixtureCount = report.result.fixtures.count
        lines.append(
            "candidacy test · rules \(pack.pack.path) \(pack.digest) · \(fixtureCount) fixture\(fixtureCount == 1 ? "" : "s") · candidacy \(CandidacyVersion.current)")
        for fixture in report.result.fixtures {
            for failure in fixture.failures {
                lines.append("")
                lines.append("FAIL " + failure.description)
                lines.append(contentsOf: Self.details(of: failure, in: fixture.fixture).map { "  " + $0 })
            }
        }
        if let coverage = report.coverage {
            lines.append("")
            lines.append(contentsOf: Self.coverage(coverage, minimum: report.coverageMinimum))
        }
        if let mutation = report.mutation {
            lines.append("")
            lines.append(contentsOf: Self.mutation(mutation))
        }
        lines.append("")
        lines.append(report.result.summaryLine)
        // Control characters from the inputs made visible (line feeds and tabs kept).
        return ControlCharacters.escapedDocument(lines.joined(separator: "\n") + "\n")
    }

    // MARK: - Failures

    /// The lines under a failure's headline: the case, expected and actual outcome, the steps
    /// that decided the actual tier and the steps of `because` rules that did not decide it.
    /// Also the body of a JUnit `failure`.
    static func details(of result: ExpectationResult, in fixture: Fixture) -> [String] {
        var lines = ["case:     \(fixture.patient.id) — \(fixture.description)"]
        let expectation = result.expectation
        var expected: [String] = []
        if let tier = expectation.tier { expected.append("tier \(tier.rawValue)") }
        if let score = expectation.score { expected.append("score \(score)") }
        if !expectation.because.isEmpty { expected.append("because \(expectation.because.joined(separator: ", "))") }
        lines.append("expected: " + expected.joined(separator: " · "))
        guard let decision = result.decision else {
            lines.append("actual:   the pack has no therapy \(expectation.therapy)")
            return lines
        }
        let range = decision.scoreRange
        var actual = "tier \(decision.tier.rawValue) · score \(decision.score)"
        if range.lowerBound != range.upperBound || decision.provisional {
            actual += " (range \(range.lowerBound)–\(range.upperBound)\(decision.provisional ? ", provisional" : ""))"
        }
        let deciding = decision.deciding.isEmpty ? "none" : decision.deciding.joined(separator: ", ")
        lines.append("actual:   \(actual) · deciding \(deciding)")
        let decidingSteps = decision.steps.filter { decision.deciding.contains($0.rule) }
        lines.append(decidingSteps.isEmpty ? "deciding steps: none" : "deciding steps:")
        for step in decidingSteps { lines.append(contentsOf: Self.step(step, indent: 2)) }
        let named = expectation.because.filter { !decision.deciding.contains($0) }
        let namedSteps = decision.steps.filter { named.contains($0.rule) }
        if !namedSteps.isEmpty {
            lines.append("expected among the deciding, but not:")
            for step in namedSteps { lines.append(contentsOf: Self.step(step, indent: 2)) }
        }
        return lines
    }

    /// One step: outcome, rule, points, location; then its condition and the values it read,
    /// with the items of an `all:`/`any:`/`not:` condition nested.
    static func step(_ step: Step, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var head = pad + step.outcome.rawValue.padded(to: 8) + " " + step.rule + "  " + step.kind.rawValue
        if step.kind == .score || step.kind == .caution {
            let points = step.potentialPoints
            head += " \(points >= 0 ? "+" : "")\(points)"
        }
        head += "  " + step.location.description
        return [head] + condition(step, pad: pad + String(repeating: " ", count: 9))
    }

    private static func condition(_ step: Step, pad: String) -> [String] {
        var lines: [String] = []
        if step.items.isEmpty {
            lines.append(pad + "when " + step.condition.split(whereSeparator: \.isWhitespace).joined(separator: " "))
            if !step.values.isEmpty {
                lines.append(pad + step.values.map(ValueFormatter.observed).joined(separator: ", "))
            }
        } else {
            lines.append(pad + (step.condition == "not" ? "not:" : "\(step.condition) of:"))
            for item in step.items {
                let inner = condition(item, pad: pad + "  " + String(repeating: " ", count: 9))
                let first = inner.first.map { String($0.drop { $0 == " " }) } ?? ""
                lines.append(pad + "  " + item.outcome.rawValue.padded(to: 8) + " " + first)
                lines.append(contentsOf: inner.dropFirst())
            }
        }
        if let error = step.error { lines.append(pad + "error: \(error)") }
        if step.outcome == .unknown, !step.missing.isEmpty, step.items.isEmpty {
            lines.append(pad + "not recorded: " + step.missing.joined(separator: ", "))
        }
        return lines
    }

    // MARK: - Coverage

    /// The coverage table, the reachable outcomes no case reaches, and the percentage.
    static func coverage(_ coverage: RuleCoverage, minimum: Double?) -> [String] {
        var lines = ["Rule coverage over \(coverage.caseCount) case\(coverage.caseCount == 1 ? "" : "s") (cases per outcome; - = unreachable):"]
        lines.append("   true  false unknown  rule")
        for entry in coverage.rules {
            lines.append(row(entry.condition, label: entry.rule, indent: 0))
            lines.append(contentsOf: itemRows(entry.condition.items, indent: 1))
        }
        var uncoveredRules: [String] = []
        var uncoveredItems: [String] = []
        for entry in coverage.rules {
            let uncovered = entry.condition.uncovered
            if !uncovered.isEmpty {
                uncoveredRules.append(
                    "  \(entry.location): \(entry.rule): \(uncovered.map(\.rawValue).joined(separator: ", "))")
            }
            collectItems(entry.condition.items, rule: entry.rule, into: &uncoveredItems)
        }
        lines.append("")
        if uncoveredRules.isEmpty {
            lines.append("Every reachable rule outcome is reached.")
        } else {
            lines.append("Rule outcomes no case reaches:")
            lines.append(contentsOf: uncoveredRules)
        }
        if !uncoveredItems.isEmpty {
            lines.append("Condition items outcomes no case reaches:")
            lines.append(contentsOf: uncoveredItems)
        }
        lines.append(
            "Coverage: \(coverage.percentageText) of reachable rule outcomes (\(coverage.coveredCount) of \(coverage.reachableCount))")
        if let minimum, !coverage.meets(minimum: minimum) {
            lines.append("Coverage \(coverage.percentageText) is below the minimum of \(JSONValue.number(minimum))%")
        }
        return lines
    }

    private static func row(_ condition: RuleCoverage.ConditionCoverage, label: String, indent: Int) -> String {
        let cells = TruthValue.allCases.map { outcome -> String in
            let text = condition.reachable.contains(outcome) || condition.counts[outcome] > 0
                ? String(condition.counts[outcome]) : "-"
            return text.leftPadded(to: outcome == .unknown ? 8 : 6)
        }
        return cells.joined() + "  " + String(repeating: "  ", count: indent) + label
    }

    private static func itemRows(_ items: [RuleCoverage.ConditionCoverage], indent: Int) -> [String] {
        items.enumerated().flatMap { index, item -> [String] in
            let label = "[\(index + 1)] " + (item.items.isEmpty ? shortened(item.condition) : "\(item.condition):")
            return [row(item, label: label, indent: indent)] + itemRows(item.items, indent: indent + 1)
        }
    }

    private static func collectItems(_ items: [RuleCoverage.ConditionCoverage], rule: String, into lines: inout [String]) {
        for (index, item) in items.enumerated() {
            if !item.uncovered.isEmpty {
                lines.append(
                    "  \(item.location): \(rule) item \(index + 1) (\(shortened(item.condition))): "
                        + item.uncovered.map(\.rawValue).joined(separator: ", "))
            }
            collectItems(item.items, rule: rule, into: &lines)
        }
    }

    /// A condition on one line, cut to 60 characters.
    private static func shortened(_ condition: String) -> String {
        let line = condition.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }

    // MARK: - Mutation testing

    /// The surviving mutants, the mutants that did not compile, and the score.
    static func mutation(_ report: MutationReport) -> [String] {
        var lines: [String] = []
        let survivors = report.survivors
        if survivors.isEmpty {
            lines.append("Every mutant is killed.")
        } else {
            lines.append("Surviving mutants (no expectation changes when the pack is changed so):")
            for mutant in survivors { lines.append("  \(mutant) survived") }
        }
        if !report.invalid.isEmpty {
            lines.append("Mutants left out because the changed condition does not compile:")
            for mutant in report.invalid { lines.append("  \(mutant)") }
        }
        lines.append(report.summaryLine)
        return lines
    }
}

private extension String {
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
