import Dispatch
import Foundation

/// Runs the fixtures against each mutant of a pack (``MutantGenerator``), one change at a time.
///
/// Only what a mutant changes is rebuilt: a mutated condition is recompiled on its own, a
/// parameter, points or kind change edits the model of one therapy. Only that therapy is
/// re-decided, and only for the fixtures that expect something of it. Mutants run
/// concurrently; the report is in mutant order whatever the scheduling.
public struct MutationTester: Sendable {
    /// The pack under test.
    public let pack: CompiledPack

    /// Creates a tester for a compiled pack.
    public init(pack: CompiledPack) {
        self.pack = pack
    }

    /// Runs every mutant against the suite. `baseline` is the suite's result against the
    /// unchanged pack: expectations that already fail there cannot kill a mutant.
    public func run(_ suite: FixtureSuite, baseline: SuiteResult) -> MutationReport {
        let mutants = MutantGenerator.mutants(of: pack)
        let passing = Set(baseline.expectations.filter(\.passed).map(\.location))
        let results = Results(count: mutants.count)
        DispatchQueue.concurrentPerform(iterations: mutants.count) { index in
            results.set(index, run(mutants[index], suite: suite, passing: passing))
        }
        var outcomes: [MutationReport.Outcome] = []
        var invalid: [Mutant] = []
        for (mutant, result) in zip(mutants, results.values) {
            switch result {
            case .some(.some(let outcome)): outcomes.append(outcome)
            default: invalid.append(mutant)
            }
        }
        return MutationReport(outcomes: outcomes, invalid: invalid)
    }

    /// The outcome of one mutant, or `nil` when its changed condition does not compile.
    public func run(_ mutant: Mutant, suite: FixtureSuite, passing: Set<SourceLocation>) -> MutationReport.Outcome? {
        guard let therapy = mutated(mutant) else { return nil }
        let evaluator = Evaluator(pack: pack)
        for fixture in suite.fixtures {
            for expectation in fixture.expectations
            where expectation.therapy == mutant.therapy && passing.contains(expectation.location) {
                let decision = evaluator.decide(therapy, for: fixture.patient, asOf: fixture.asOf)
                let result = FixtureRunner.check(expectation, against: decision)
                if !result.passed { return MutationReport.Outcome(mutant: mutant, killedBy: result) }
            }
        }
        return MutationReport.Outcome(mutant: mutant, killedBy: nil)
    }

    /// The mutant's therapy with the change made, or `nil` when the change cannot be made.
    func mutated(_ mutant: Mutant) -> CompiledTherapy? {
        guard let original = pack.therapies.first(where: { $0.therapy.id == mutant.therapy }) else { return nil }
        var therapy = original.therapy
        var rules = original.rules
        switch mutant.change {
        case .parameter(let name, let value):
            guard let index = therapy.parameters.firstIndex(where: { $0.name == name }) else { return nil }
            therapy.parameters[index].value = value
        case .points(let id, let points):
            guard let index = rules.firstIndex(where: { $0.rule.id == id }) else { return nil }
            var rule = rules[index].rule
            rule.points = points
            rules[index] = CompiledRule(rule: rule, condition: rules[index].condition)
        case .excludeToCaution(let id):
            guard let index = rules.firstIndex(where: { $0.rule.id == id }) else { return nil }
            var rule = rules[index].rule
            rule.kind = .caution
            rule.points = 0
            rules[index] = CompiledRule(rule: rule, condition: rules[index].condition)
        case .condition(let id, let path, let text):
            guard let index = rules.firstIndex(where: { $0.rule.id == id }) else { return nil }
            let environment = TypeEnvironment(profile: pack.pack.profile, parameters: therapy.parameters)
            guard let condition = Self.replacing(in: rules[index].condition, at: path[...], text: text, environment: environment)
            else { return nil }
            rules[index] = CompiledRule(rule: rules[index].rule, condition: condition)
        }
        therapy.rules = rules.map(\.rule)
        return CompiledTherapy(therapy: therapy, rules: rules)
    }

    /// The condition with the expression at `path` recompiled from `text`.
    private static func replacing(
        in condition: CompiledCondition, at path: ArraySlice<Int>, text: String, environment: TypeEnvironment
    ) -> CompiledCondition? {
        switch condition {
        case .expression(let source, _):
            guard path.isEmpty, case .success(let expression) = CompiledExpression.compile(text, environment: environment)
            else { return nil }
            return .expression(ExpressionSource(text: text, lineStarts: source.lineStarts), expression)
        case .all(var items, let location), .any(var items, let location):
            guard let first = path.first, items.indices.contains(first),
                let item = replacing(in: items[first], at: path.dropFirst(), text: text, environment: environment)
            else { return nil }
            items[first] = item
            if case .all = condition { return .all(items, location) }
            return .any(items, location)
        case .not(let item, let location):
            guard path.first == 0,
                let replaced = replacing(in: item, at: path.dropFirst(), text: text, environment: environment)
            else { return nil }
            return .not(replaced, location)
        }
    }
}

/// Results written by concurrent workers, each to its own index.
private final class Results: @unchecked Sendable {
    private var storage: [MutationReport.Outcome??]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: MutationReport.Outcome?) {
        lock.withLock { storage[index] = .some(value) }
    }

    var values: [MutationReport.Outcome??] { lock.withLock { storage } }
}
