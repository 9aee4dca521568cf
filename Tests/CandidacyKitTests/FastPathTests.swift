import Foundation
import Testing
@testable import CandidacyKit

/// The closure-compiled fast path must give exactly what the tree walker gives: every
/// condition of the shipped pack, for every fixture patient, and CEL corner cases.
@Suite struct FastPathTests {
    /// The expressions of a condition, depth first.
    static func expressions(_ condition: CompiledCondition) -> [CompiledExpression] {
        switch condition {
        case .expression(_, let expression): [expression]
        case .all(let items, _), .any(let items, _): items.flatMap(expressions)
        case .not(let item, _): expressions(item)
        }
    }

    /// What ``CompiledExpression/evaluateSorted(_:)`` must give for a result of ``CompiledExpression/evaluate(_:)``.
    static func sorted(_ result: EvaluationResult) -> CompiledExpression.Outcome {
        switch result {
        case .value(let value): .value(value)
        case .unknown(let paths): .unknown(paths.sorted())
        case .error(let error): .error(error)
        }
    }

    @Test(arguments: FixtureSuiteTests.fixtureFiles)
    func fastPathAgreesWithTheTreeWalker(_ file: String) throws {
        let pack = try FixtureSuiteTests.pack.get()
        let contents = try [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file)))
        let patient = try FixtureLoader.load(contents: contents, file: file, pack: pack).patient
        for therapy in pack.therapies {
            let activation = Activation(variables: ["params": .record(therapy.parameters)], asOf: patient.asOf)
            var withRecord = activation
            withRecord.record = patient.record
            for rule in therapy.rules {
                for expression in Self.expressions(rule.condition) {
                    // `evaluate(_:_:)` on the root is the tree walker alone.
                    #expect(expression.evaluate(withRecord) == expression.evaluate(expression.root, withRecord),
                            "\(rule.rule.id): \(expression.text)")
                }
            }
        }
    }

    /// With the pack's field slots filled (as the evaluator fills them), with none, with slots of
    /// another layout, and after the record changed under them: always the tree walker's result.
    @Test(arguments: FixtureSuiteTests.fixtureFiles.prefix(40))
    func slotReadsAgreeWithTheTreeWalker(_ file: String) throws {
        let pack = try FixtureSuiteTests.pack.get()
        let contents = try [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file)))
        let patient = try FixtureLoader.load(contents: contents, file: file, pack: pack).patient
        let otherLayout = FieldSlots(profile: pack.pack.profile)
        for therapy in pack.therapies {
            var plain = Activation(variables: ["params": .record(therapy.parameters)], asOf: patient.asOf)
            plain.record = patient.record
            var filled = plain
            filled.slots = SlotValues(layout: pack.slots, record: patient.record)
            var foreign = plain
            foreign.slots = SlotValues(layout: otherLayout, record: Record())
            var changed = filled
            changed.record = Record()
            #expect(changed.slots == nil)
            for rule in therapy.rules {
                for expression in Self.expressions(rule.condition) {
                    let walker = expression.evaluate(expression.root, plain)
                    #expect(expression.evaluate(filled) == walker, "\(rule.rule.id): \(expression.text)")
                    #expect(expression.evaluate(plain) == walker, "\(rule.rule.id): \(expression.text)")
                    #expect(expression.evaluate(foreign) == walker, "\(rule.rule.id): \(expression.text)")
                    #expect(expression.evaluate(changed) == expression.evaluate(expression.root, changed))
                }
            }
        }
    }

    @Test(arguments: [
        "[1, 2, 3].exists(x, x == 2)", "[1, 2, 3].all(x, x > 0)", "[1, 'a'].all(x, x > 0)",
        "[1, 2, 3].exists_one(x, x > 1)", "[1, 2, 3].filter(x, x > 1)", "[1, 2, 3].map(x, x * 2)",
        "{'a': 1, 'b': 2}.exists(k, k == 'b')", "[3, 4].exists(i, v, i == 1 && v == 4)",
        "[[1], [2]].exists(x, x.exists(y, y == 2))", "x.exists(x, x == 1)",
        "1 / 0 == 1 || true", "false && 1 / 0 == 1", "1 / 0 == 1 && true", "size('héllo') == 5",
        "'é' == 'e\\u0301'", "'abc' < 'abd'", "[1, 2][5]", "{'a': 1}.a", "{'a': 1}.b", "has({'a': 1}.a)",
        "-(-9223372036854775807 - 1)", "true ? 1 : 'a'", "1 ? 2 : 3", "[1, x][1]", "x", "y",
        "days_since(d)", "weeks_since(d) >= 1", "max([1, 2.5]) == 2.5", "sum([])", "'abc'.startsWith('ab')",
        "'abc'.matches('b+')", "nope(1)", "[1, 2, 3].transformList(i, v, v + i)",
        // Comparisons with a constant right operand (the quick comparisons).
        "0.0 / 0.0 == 1.0", "0.0 / 0.0 != 1.0", "0.0 / 0.0 <= 1.0", "0.0 / 0.0 >= 1.0", "0.0 / 0.0 < 1.0",
        "x[0] == 1.0", "x[0] != 1.0", "x[0] < 1.5", "x[1] >= 2.0", "2.5 > x[1]", "x[0] == 1", "x[0] > 1",
        "9223372036854775807 > 9223372036854775807.0", "9223372036854775807 == 9223372036854775807.0",
        "-9223372036854775807 - 1 <= -9223372036854775808.0", "1.0 == 1", "1.5 >= 1",
        "'abcdefghijklmno' == 'abcdefghijklmno'", "'abcdefghijklmnop' == 'abcdefghijklmnop'", "'abc' != 'abd'",
        "'abc' < 'abd'", "'a' in ['a', 'b']", "'c' in ['a', 'b']", "'a' in ['a', 1]", "'b' in []",
        "'abcdefghijklmnopq' in ['abcdefghijklmnopq']", "x[0] in [1, 2]", "'e\\u0301' in ['é']", "x == [1, 2]",
        "d == d", "d < d", "y == 1", "true == true", "null == null", "'a' == 1", "1 < 'a'", "[1] in [[1]]",
        // One-date calls (answered without an argument list), a future date and non-dates.
        "days_since(d) == 10", "weeks_since(d) == 1", "days_since(f) == -3", "weeks_since(f) == -1", "weeks_since(g)",
        "days_since(1)", "weeks_since(x)", "days_since(y)", "days_since(d, d)", "[d, f].exists(v, days_since(v) < 0)",
    ])
    func cornerCasesAgree(_ text: String) throws {
        let expression = try CompiledExpression(parsingOnly: text)
        let variables: [String: Value] = [
            "x": .list([.int(1), .int(2)]), "d": .date(CivilDate(daysSinceEpoch: 20_000)),
            "f": .date(CivilDate(daysSinceEpoch: 20_013)), "g": .date(CivilDate(daysSinceEpoch: 20_024)),
        ]
        let activation = Activation(variables: variables, asOf: CivilDate(daysSinceEpoch: 20_010))
        #expect(expression.evaluate(activation) == expression.evaluate(expression.root, activation))
        // Without an as-of date, `days_since` and `weeks_since` are errors, left to the tree walker.
        let undated = Activation(variables: variables, asOf: nil)
        #expect(expression.evaluate(undated) == expression.evaluate(expression.root, undated))
    }

    // MARK: Unknowns

    /// The CEL tests' patient with most fields removed: `labs` recorded without `hemoglobin`,
    /// and a `conservative_care` element lacking `weeks`.
    static let partial = Activation(
        patient: Record([
            "age": .int(40), "diagnosis": .string("other"), "labs": .record(Record(["platelet_count": .double(200)])),
            "conservative_care": .list([.record(Record(["treatment": .string("physical_therapy")]))]),
        ]),
        parameters: CELFixture.parameters, asOf: CivilDate(daysSinceEpoch: 20_000))

    /// Unknowns in every position: the fast path answers them or leaves them to the tree
    /// walker, and either way the result is the tree walker's, paths and all.
    @Test(arguments: [
        // (expression, whether the fast path itself must answer)
        ("pregnant", true), ("!pregnant", true), ("bmi > 30", true), ("bmi > 30 && age > 50", true),
        ("labs.hemoglobin < 10", true), ("labs.platelet_count < 100 || labs.hemoglobin < 10", true),
        ("pregnant || true", true), ("true || pregnant", true), ("pregnant || active_infection", true),
        ("pregnant && false", true), ("pregnant && active_infection", true), ("pregnant && age > 30", true),
        ("has(labs.hemoglobin)", true), ("has(pregnant) ? pregnant : (age > 3 ? false : pregnant)", true),
        ("pregnant ? age > 3 : age < 3", true), ("injections.exists(i, days_since(i.date) > params.steroid_washout_days)", true),
        ("max([age, bmi]) > 3.0", true), ("[bmi, age][1] > 3", true), ("-bmi < 0.0", true),
        ("diagnosis in ['other'] && imaging.grade >= 2", true), ("bmi + bmi > bmi", true),
        ("injections.exists(i, i.agent == 'prp')", true), ("[1, 2].exists(x, x == age || pregnant)", true),
        ("[1, 2].exists(x, x > bmi)", true), ("[1, 2].all(x, x > bmi)", true), ("[1, 2].all(x, x > 5 && pregnant)", true),
        ("conservative_care.exists(c, c.weeks >= 12)", false), ("conservative_care.exists(c, c.treatment == 'nsaids')", true),
        ("conservative_care.all(c, c.weeks >= 12 || true)", false), ("[1, 2].exists_one(x, x > bmi)", false),
        ("[1, 2].filter(x, x > bmi).size() > 0", false), ("pregnant || 1 / 0 == 1", false), ("1 / 0 == 1 || true", false),
    ] as [(String, Bool)])
    func unknownsAgreeWithTheTreeWalker(_ text: String, _ answersItself: Bool) throws {
        let expression = try CompiledExpression(text, environment: CELFixture.environment)
        let walker = expression.evaluate(expression.root, Self.partial)
        #expect(expression.evaluate(Self.partial) == walker, "\(text)")
        #expect(expression.evaluateSorted(Self.partial) == Self.sorted(walker), "\(text)")
        if answersItself {
            #expect(expression.fastPath?.evaluate(Self.partial) == walker, "the fast path left \(text) to the tree walker")
        } else {
            #expect(expression.fastPath?.evaluate(Self.partial) == nil, "\(text): the tree walker should decide")
        }
    }

    /// On generated conditions and patients with fields removed (top-level and inside records
    /// and list elements), the result is the tree walker's, 1,000 cases from a fixed seed; and
    /// the fast path itself answers most of the unknowns.
    @Test func generatedUnknownsAgreeWithTheTreeWalker() {
        var answered = 0
        var unknowns = 0
        PropertyTests.check(seed: "u1sL0Wn+Kj3Vw0tq0pZxYc3WbqkzL3bV4XlYt0Q2m1E=") { seed in
            guard case (var generator, let pack)? = PropertyTests.scenario(seed) else { return }
            var patient = generator.patient()
            for field in ScenarioGenerator.fields where generator.chance(0.35) { patient.record.fields[field] = nil }
            if generator.chance(0.3) { patient.record.fields["labs"] = .record(Record()) }
            if generator.chance(0.3), case .list(let items)? = patient.record.fields["conservative_care"] {
                patient.record.fields["conservative_care"] = .list(items.map { item in
                    guard case .record(var record) = item else { return item }
                    record.fields["weeks"] = nil
                    return .record(record)
                })
            }
            let therapy = pack.therapies[0]
            var activation = Activation(variables: ["params": .record(therapy.parameters)], asOf: patient.asOf)
            activation.record = patient.record
            activation.slots = SlotValues(layout: pack.slots, record: patient.record)
            var shared = FastPath.Frame()
            for rule in therapy.rules {
                for expression in Self.expressions(rule.condition) {
                    let walker = expression.evaluate(expression.root, activation)
                    #expect(expression.evaluate(activation) == walker, "seed \(seed): \(expression.text)")
                    #expect(expression.evaluateSorted(activation) == Self.sorted(walker), "seed \(seed): \(expression.text)")
                    // One frame for every condition in turn, as the evaluator keeps it: nothing
                    // of an earlier evaluation (a bail, unknown paths, bound values, steps) leaks.
                    #expect(expression.evaluateSorted(activation, frame: &shared) == Self.sorted(walker), "seed \(seed): \(expression.text)")
                    var fresh = FastPath.Frame()
                    #expect(expression.fastPath?.evaluateSorted(activation, frame: &shared)
                        == expression.fastPath?.evaluateSorted(activation, frame: &fresh), "seed \(seed): \(expression.text)")
                    if case .unknown = walker {
                        unknowns += 1
                        if expression.fastPath?.evaluate(activation) != nil { answered += 1 }
                    }
                }
            }
        }
        #expect(unknowns > 500, "only \(unknowns) unknowns generated")
        #expect(answered * 2 > unknowns, "the fast path answered \(answered) of \(unknowns) unknowns")
    }

    /// Sorting a list of paths and dropping repeats gives what a set of them sorted gives, on
    /// lists with and without repeats, of every length from 0 to 40.
    @Test func sortedUniquePathsAreTheSortedSet() {
        var generator = SplitMix64(seed: 7)
        let names = ["age", "bmi", "labs.hemoglobin", "labs.platelet_count", "pregnant", "conservative_care", "a", "b"]
        for length in 0...40 {
            for _ in 0..<25 {
                let paths = (0..<length).map { _ in names[Int(generator.next() % UInt64(names.count))] }
                #expect(FastPath.sortedUnique(paths) == Set(paths).sorted(), "\(paths)")
            }
        }
    }

    /// Evaluates `text` with `x` a list of `count` ones (and `s` a 70-byte string) for each
    /// count: the result must be the tree walker's, `false` below the budget, and the fast path
    /// itself must answer it there. Gives whether each size stayed within the budget.
    static func outcomesNearTheBudget(_ text: String, sizes: ClosedRange<Int>) throws -> [Int: Bool] {
        let expression = try CompiledExpression(parsingOnly: text)
        var outcomes: [Int: Bool] = [:]
        for count in sizes {
            let activation = Activation(variables: [
                "x": .list(Array(repeating: .int(1), count: count)), "s": .string(String(repeating: "q", count: 70)),
            ])
            let walker = expression.evaluate(expression.root, activation)
            #expect(expression.evaluate(activation) == walker, "\(count) elements")
            if case .error = walker {
                outcomes[count] = false
            } else {
                #expect(walker == .value(.bool(false)))
                #expect(expression.fastPath?.evaluate(activation) == walker, "\(count) elements")
                outcomes[count] = true
            }
        }
        return outcomes
    }

    /// Near the step budget, a comparison with a constant list counts and charges exactly the
    /// steps the tree walker does: the same value below the budget, the tree walker's error
    /// beyond it. `x.exists(i, i == 0)` takes 4 steps an element, so the budget of 1,000,000 is
    /// crossed inside this range of sizes, at a size where the 8 steps charged for comparing
    /// with the 8-element list decide it.
    @Test func constantOperandsCountStepsAsTheTreeWalker() throws {
        let outcomes = try Self.outcomesNearTheBudget(
            "x.exists(i, i == 0) || 'q' in ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']", sizes: 249_990...249_998)
        #expect(outcomes[249_990] == true && outcomes[249_998] == false, "the budget is not crossed: \(outcomes)")
    }

    /// Near the step budget, comparing long strings (each 16 UTF-8 bytes costs a step) with a
    /// constant string or list counts what the tree walker counts: the same value below the
    /// budget, the tree walker's error beyond it, for `==`, `!=` and `in`.
    @Test(arguments: [
        "x.exists(i, i == 0) || s == 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz-0123456789'",
        "x.exists(i, i == 0) || !(s != 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz-0123456789')",
        "x.exists(i, i == 0) || s in ['abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz-0123456789', 'b']",
    ])
    func longStringComparisonsCountStepsAsTheTreeWalker(_ text: String) throws {
        let outcomes = try Self.outcomesNearTheBudget(text, sizes: 249_988...249_998)
        #expect(outcomes[249_988] == true && outcomes[249_998] == false, "the budget is not crossed: \(outcomes)")
    }

    /// A list of literals that crosses the step budget bails, even as the last node evaluated,
    /// where `exists()` would otherwise count an unknown predicate without paths as settled.
    /// (The predicate is a list, so the tree walker's answer is an error at every size; from
    /// 249,997 elements on the budget runs out on the predicate's list.)
    @Test func aListOfLiteralsPastTheBudgetBails() throws {
        let expression = try CompiledExpression(
            parsingOnly: "x.exists(i, i == 0) || [1].exists(z, [1, 2, 3, 4, 5, 6, 7, 8])")
        for count in 249_994...249_999 {
            let activation = Activation(variables: ["x": .list(Array(repeating: .int(1), count: count))])
            let walker = expression.evaluate(expression.root, activation)
            #expect(expression.evaluate(activation) == walker, "\(count) elements")
            guard case .error = walker else {
                Issue.record("\(count) elements: expected an error, got \(walker)")
                continue
            }
        }
    }
}
