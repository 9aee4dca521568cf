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
    ])
    func cornerCasesAgree(_ text: String) throws {
        let expression = try CompiledExpression(parsingOnly: text)
        let activation = Activation(
            variables: ["x": .list([.int(1), .int(2)]), "d": .date(CivilDate(daysSinceEpoch: 20_000))],
            asOf: CivilDate(daysSinceEpoch: 20_010))
        #expect(expression.evaluate(activation) == expression.evaluate(expression.root, activation))
    }
}
