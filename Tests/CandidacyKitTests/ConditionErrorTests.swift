import Testing
@testable import CandidacyKit

/// Errors inside a rule's condition are reported at the exact `file:line:column` of the
/// offending character in the YAML file, with what was found and what was expected.
@Suite struct ConditionErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        /// The rule's `when` as it is written in the file, after `    when:`.
        let when: String
        let location: String
        let message: String
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "unknown field", when: " agee >= 18", location: "t.yaml:8:11",
             message: "unknown identifier 'agee'; did you mean 'age'?"),
        Case(label: "unknown nested field", when: " labs.platelet_cont > 100", location: "t.yaml:8:16",
             message: "unknown field 'platelet_cont' of labs; did you mean 'platelet_count'?"),
        Case(label: "enum literal not in the schema", when: " diagnosis == \"patelofemoral_pain\"", location: "t.yaml:8:24",
             message: "did you mean 'patellofemoral_pain'?"),
        Case(label: "string compared with int", when: " age > \"forty\"", location: "t.yaml:8:15",
             message: "no overload"),
        Case(label: "unknown function", when: " day_since(as_of) > 3", location: "t.yaml:8:11",
             message: "did you mean 'days_since'?"),
        Case(label: "not a bool", when: " age + 1", location: "t.yaml:8:11",
             message: "bool"),
        Case(label: "syntax error in a quoted expression", when: " 'age >= 18 &&'", location: "t.yaml:8:24",
             message: "expected"),
        Case(label: "syntax error on the second line of a block", when: " |\n      age >= 18 &&\n        (pregnant ||", location: "t.yaml:10:21",
             message: "expected"),
        Case(label: "10,000 nested parentheses", when: " " + String(repeating: "(", count: 10_000) + "true" + String(repeating: ")", count: 10_000),
             location: "t.yaml:8:", message: "too long"),
        Case(label: "200 nested parentheses", when: " " + String(repeating: "(", count: 200) + "true" + String(repeating: ")", count: 200),
             location: "t.yaml:8:", message: "nest"),
        Case(label: "an expression past the length limit", when: " " + Array(repeating: "age > 1", count: 3_000).joined(separator: " && "),
             location: "t.yaml:8:", message: "too long"),
    ]

    @Test(arguments: cases)
    func reportsTheExactLocation(_ example: Case) throws {
        let therapy = """
            therapy: t
            title: Test therapy
            version: 1.0.0
            rules:
              - id: t-rule
                kind: require
                title: A rule
                when:\(example.when)
            tiers: { recommended: 2, consider: 1 }
            """
        do {
            _ = try TestPack.compile(therapy)
            Issue.record("the pack compiled although its condition is wrong")
        } catch let failure as DiagnosticError {
            let first = try #require(failure.diagnostics.first)
            #expect(first.description.hasPrefix("T/\(example.location)"), "got \(first)")
            #expect(first.message.contains(example.message), "got \(first)")
            #expect(first.severity == .error)
        }
    }
}
