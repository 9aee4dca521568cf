import Testing
@testable import CandidacyKit

@Suite struct CELEvaluationTests {
    static let cases: [(String, Outcome)] = [
        ("age >= 18", .true),
        ("bmi > 30", .true),
        ("age > 30.5", .true),
        ("1 < 1.5", .true),
        ("2 == 2.0", .true),
        ("pregnant", .false),
        ("!pregnant", .true),
        ("active_infection", .unknown(["active_infection"])),
        ("!active_infection", .unknown(["active_infection"])),
        ("false && active_infection", .false),
        ("active_infection && false", .false),
        ("true || active_infection", .true),
        ("active_infection || true", .true),
        ("active_infection && true", .unknown(["active_infection"])),
        ("active_infection || bleeding_disorder", .unknown(["active_infection", "bleeding_disorder"])),
        ("active_infection ? 1 == 1 : false", .unknown(["active_infection"])),
        ("active_infection || 1 / 0 == 1", .unknown(["active_infection"])),
        ("has(labs.platelet_count)", .true),
        ("has(labs.hemoglobin)", .false),
        ("has(imaging.grade)", .false),
        ("has(age)", .true),
        ("has(active_infection)", .false),
        ("labs.hemoglobin > 12", .unknown(["labs.hemoglobin"])),
        ("imaging.grade > 2", .unknown(["imaging"])),
        ("conservative_care[1].response == 'none'", .unknown(["conservative_care[1].response"])),
        ("diagnosis in ['patellofemoral_pain', 'patellar_tendinopathy']", .true),
        ("'nsaids' in conservative_care.map(c, c.treatment)", .false),
        ("conservative_care.exists(c, c.treatment == 'physical_therapy' && c.weeks >= 6)", .true),
        ("conservative_care.all(c, c.response != 'resolved')", .unknown(["conservative_care[1].response"])),
        ("conservative_care.exists(c, c.response == 'resolved')", .unknown(["conservative_care[1].response"])),
        ("conservative_care.exists_one(c, c.weeks > 10)", .true),
        ("conservative_care.filter(c, c.weeks > 10).size() == 1", .true),
        ("size(conservative_care) == 2", .true),
        ("sum(conservative_care.map(c, c.weeks)) >= 12", .true),
        ("sum(conservative_care.map(c, c.weeks))", .int(20)),
        ("sum(conservative_care.map(c, c.weeks > 10, c.weeks))", .int(12)),
        ("max([1, 2.5])", .value(.double(2.5))),
        ("min([3, 1])", .int(1)),
        ("sum([])", .int(0)),
        ("max([])", .error),
        ("id.startsWith('case') && id.endsWith('017') && id.contains('-0')", .true),
        ("days_since(injections[0].date)", .int(31)),
        ("weeks_since(injections[0].date)", .int(4)),
        ("days_between(injections[0].date, as_of)", .int(31)),
        ("days_since(injections[0].date) >= params.steroid_washout_days", .true),
        ("injections[0].date < as_of", .true),
        ("injections.exists(i, i.agent == 'corticosteroid' && days_since(i.date) < params.steroid_washout_days)", .false),
        ("9223372036854775807 + 1 > 0", .error),
        ("-9223372036854775808 - 1 < 0", .error),
        ("1 / 0 == 1", .error),
        ("5 % 0 == 1", .error),
        ("[1, 2][2] == 1", .error),
        ("{'a': 1}['b'] == 1", .error),
        ("false && 1 / 0 == 1", .false),
        ("conservative_care.map(c, c.response)", .unknown(["conservative_care[1].response"])),
        ("conservative_care.exists_one(c, c.response == 'partial')", .unknown(["conservative_care[1].response"])),
        ("has(conservative_care[1].response)", .false),
        ("conservative_care.exists(c, !has(c.response))", .true),
        ("'other' == diagnosis || diagnosis != 'knee_osteoarthritis'", .true),
        ("size('größe') == 5", .true),
        ("{'a': 1}.a == 1", .true),
        ("labs.platelet_count * 2.0 > 400.0", .true),
    ]

    @Test(arguments: cases)
    func evaluates(_ text: String, _ expected: Outcome) throws {
        let compiled = try CompiledExpression(text, environment: CELFixture.environment, expecting: nil)
        #expect(Outcome(compiled.evaluate(CELFixture.activation)) == expected)
    }

    @Test func dateFunctionsNeedAnAsOfDate() throws {
        let compiled = try CompiledExpression("days_since(injections[0].date) > 3", environment: CELFixture.environment)
        let activation = Activation(patient: CELFixture.patient, parameters: CELFixture.parameters, asOf: nil)
        guard case .error(let error) = compiled.evaluate(activation) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message.contains("no as-of date"))
    }

    @Test func stepBudgetStopsBombs() throws {
        let ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
        var text = "1"
        for name in ["a", "b", "c", "d", "e", "f", "g"] { text = "\(ten).map(\(name), \(text))" }
        let compiled = try CompiledExpression("size(\(text)) > 0", environment: CELFixture.environment)
        guard case .error(let error) = compiled.evaluate(CELFixture.activation) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message.contains("steps"))
    }

    @Test(arguments: [
        ("labs.platelet_count >= 150 && age > 18", ["labs.platelet_count", "age"]),
        ("conservative_care.exists(c, c.weeks > 6)", ["conservative_care"]),
        ("days_since(injections[0].date) >= params.steroid_washout_days", ["injections", "params.steroid_washout_days"]),
        ("has(labs.hemoglobin) || has(pregnant) || age > 3 || age < 1", ["labs.hemoglobin", "pregnant", "age"]),
    ])
    func readPaths(_ text: String, _ expected: [String]) throws {
        let compiled = try CompiledExpression(text, environment: CELFixture.environment)
        #expect(compiled.readPaths == expected)
    }
}

@Suite struct CELParseErrorTests {
    static let cases: [(String, Int, String)] = [
        ("(age > 3", 8, "expected ')' to close the '(' at offset 0 but found end of expression"),
        ("age > > 3", 6, "expected an expression but found '>'"),
        ("age > 3)", 7, "expected end of expression but found ')'"),
        ("'a\\q'", 2, "invalid escape sequence '\\q'"),
        ("'abc", 0, "unterminated string literal"),
        ("age = 3", 4, "unexpected character '='; did you mean '=='?"),
        ("f(1, 2", 6, "expected ',' or ')' in the argument list but found end of expression"),
        ("[1, 2", 5, "expected ']' to close the list opened at offset 0 but found end of expression"),
        ("a.b.", 4, "expected a field name after '.' but found end of expression"),
        ("if > 3", 0, "'if' is a reserved word"),
        ("größe > 3", 2, "unexpected character 'ö'"),
        ("has(1)", 4, "has() needs a field selection"),
        ("9223372036854775808", 0, "out of range"),
    ]

    @Test(arguments: cases)
    func reportsSyntaxErrors(_ text: String, _ offset: Int, _ message: String) {
        do {
            _ = try ExpressionParser.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.offset == offset)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func tenThousandParenthesesAreAnErrorNotACrash() {
        let text = String(repeating: "(", count: 10_000) + "1"
        do {
            _ = try ExpressionParser.parse(text)
            Issue.record("parsed")
        } catch {
            #expect(error.message == "expression nests too deeply: more than 128 levels")
            #expect(error.offset == ExpressionLimits.maximumNestingDepth)
        }
        let balanced = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(balanced) }
    }

    @Test func deepUnaryAndOperatorChainsAreErrors() {
        for text in [String(repeating: "!", count: 5_000) + "true", Array(repeating: "1", count: 5_000).joined(separator: " + ")] {
            #expect(throws: ExpressionError.self) { try ExpressionParser.parse(text) }
        }
        // `&&` chains are balanced, so long ones are fine.
        let chain = Array(repeating: "true", count: 2_000).joined(separator: " && ")
        #expect(throws: Never.self) { try ExpressionParser.parse(chain) }
    }

    @Test func tooLongIsAnError() {
        let text = String(repeating: "a", count: ExpressionLimits.maximumLength + 1)
        do {
            _ = try ExpressionParser.parse(text)
            Issue.record("parsed")
        } catch {
            #expect(error.message.contains("too long"))
        }
    }

    @Test func nodesCarryTheirOffsets() throws {
        let node = try ExpressionParser.parse("  labs.platelet_count >= 150")
        guard case .binary(.greaterOrEqual, let lhs, let rhs) = node.kind else {
            Issue.record("unexpected tree \(node)")
            return
        }
        #expect(node.offset == 22)
        #expect(lhs.offset == 6)
        #expect(rhs.offset == 25)
    }
}

@Suite struct CELCheckErrorTests {
    static let cases: [(String, Int, String)] = [
        ("labs.platelet_cont > 100", 5, "unknown field 'platelet_cont' of labs; did you mean 'platelet_count'?"),
        ("agee > 3", 0, "unknown identifier 'agee'; did you mean 'age'?"),
        ("diagnosis == 'patelofemoral_pain'", 13,
         "'patelofemoral_pain' is not a value of diagnosis (enum: patellofemoral_pain, patellar_tendinopathy, knee_osteoarthritis, other); did you mean 'patellofemoral_pain'?"),
        ("diagnosis in ['other', 'patelofemoral_pain']", 23, "'patelofemoral_pain' is not a value of diagnosis"),
        ("conservative_care.exists(c, c.treatment == 'physio')", 43, "'physio' is not a value of c.treatment"),
        ("id == 3", 3, "no overload of '==' for (string, int)"),
        ("age < 'x'", 4, "no overload of '<' for (int, string)"),
        ("age + 1.5 > 3", 4, "no overload of '+' for (int, double)"),
        ("dayz_since(as_of) > 3", 0, "unknown function 'dayz_since'; did you mean 'days_since'?"),
        ("age + 1", 0, "the condition must be bool but its type is int"),
        ("'patelofemoral_pain' != diagnosis", 0, "'patelofemoral_pain' is not a value of diagnosis"),
        ("age > 1 && bmi", 8, "no overload of '&&' for (bool, double)"),
        ("params.steroid_washout_dayz > 1", 7, "unknown field 'steroid_washout_dayz' of params; did you mean 'steroid_washout_days'?"),
        ("conservative_care.exists(c, c.wekks > 1)", 30, "unknown field 'wekks' of conservative_care; did you mean 'weeks'?"),
        ("days_since(age) > 1", 0, "no overload of 'days_since' for (int)"),
        ("conservative_care.exists(c, c.weeks)", 29, "the predicate of exists() must be bool"),
    ]

    @Test(arguments: cases)
    func reportsTypeErrors(_ text: String, _ offset: Int, _ message: String) {
        switch CompiledExpression.compile(text, environment: CELFixture.environment) {
        case .success:
            Issue.record("\(text) compiled")
        case .failure(let failure):
            #expect(failure.errors.first?.offset == offset)
            #expect(failure.errors.first?.message.contains(message) == true, "\(failure.errors)")
        }
    }

    @Test func reportsEveryError() {
        guard case .failure(let failure) = CompiledExpression.compile("agee > 1 && bmii > 2", environment: CELFixture.environment) else {
            Issue.record("compiled")
            return
        }
        #expect(failure.errors.map(\.offset) == [0, 12])
    }

    @Test func profileFieldsMapToTypes() {
        #expect(CELType(CELFixture.field("x", .number)) == .double)
        #expect(CELType(CELFixture.field("x", .list(CELFixture.field("x", .int)))) == .list(.int))
        #expect(CELFixture.environment.type(of: "params") == .object(name: "params", fields: [CELField(name: "steroid_washout_days", type: .int)]))
    }
}
