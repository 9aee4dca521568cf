import Testing
@testable import CandidacyKit

/// `matches()`: RE2's partial-match semantics, in time linear in the text.
@Suite struct LinearRegexTests {
    private func matches(_ text: String, _ pattern: String) throws -> Bool {
        try LinearRegex(pattern, maximumSize: ExpressionLimits.maximumPatternSize).matches(text)
    }

    @Test(arguments: [
        ("hubba", "ubb", true), ("", "foo|bar", false), ("cows", "", true), ("", "", true), ("abcd", "bc", true),
        ("grey", "gr(a|e)y", true), ("gray", "gr(?:a|e)y", true), ("groy", "gr(a|e)y", false),
        ("banana", "ba(na)*", true), ("mañana", "a+ñ+a+", true), ("🐱😀😀", "(a|😀){2}", true), ("🐱😀", "^(a|😀){2}", false),
        ("abc", "^abc$", true), ("xabc", "^abc", false), ("abcx", "abc$", false), ("a\nb", "a.b", false), ("axb", "a.b", true),
        ("2026-10-02", "^\\d{4}-\\d{2}-\\d{2}$", true), ("2026-1-02", "^\\d{4}-\\d{2}-\\d{2}$", false),
        ("ab", "^a{1,3}b", true), ("aaaab", "^a{1,3}b", false), ("aaab", "^a{2,}b$", true), ("ab", "^a{2,}b$", false),
        ("x_1", "^\\w+$", true), ("x-1", "^\\w+$", false), ("a b", "\\s", true), ("ab", "\\S\\S", true),
        ("b", "[a-c]", true), ("d", "[a-c]", false), ("d", "[^a-c]", true), ("-", "[a\\-c]", true), ("]", "[]]", true),
        ("a.c", "a\\.c", true), ("abc", "a\\.c", false), ("a{b", "a{b", true), ("ab", "a*?b", true), ("9", "[\\d]", true),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a+)+$", false), ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "^(a|a)*$", true),
        ("xx", "(a*)*x", true), ("", "()*", true),
    ])
    func re2Semantics(_ text: String, _ pattern: String, _ expected: Bool) throws {
        #expect(try matches(text, pattern) == expected, "'\(text)'.matches('\(pattern)')")
    }

    @Test(arguments: [
        ("(a", "missing ')'"), ("a)", "unmatched ')' at offset 1"), ("*a", "missing argument to repetition operator"),
        ("a**", "bad repetition operator"), ("[a", "missing ']'"), ("[b-a]", "bad character class range"),
        ("\\1", "unsupported escape \\1"), ("(?=a)", "unsupported group syntax"), ("\\pL", "unsupported escape \\p"),
        ("a{3,2}", "bad repetition count {3,2}"), ("a{1001}", "repetition count above 1000"), ("\\", "trailing backslash"),
        ("(a{1000}){1000}", "regular expression too large: more than 10000 instructions"),
        (String(repeating: "(", count: 10_000), "groups nest more than 64 deep"),
    ])
    func unsupportedOrInvalidPatternsAreErrors(_ pattern: String, _ message: String) {
        #expect {
            _ = try LinearRegex(pattern, maximumSize: ExpressionLimits.maximumPatternSize)
        } throws: { error in
            guard let error = error as? LinearRegex.PatternError else { return false }
            return error.message.hasPrefix(message)
        }
    }

    @Test func evaluationChargesThePatternTimesTheText() throws {
        // 10,000 scalars against a pattern of about 400 instructions: past the step budget.
        let text = "'\(String(repeating: "a", count: 10_000))'.matches('(a|b){100}c')"
        let compiled = try CompiledExpression(parsingOnly: text)
        guard case .error(let error) = compiled.evaluate(Activation()) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.message == "evaluation exceeded 1000000 steps")
        let invalid = try CompiledExpression(parsingOnly: "'a'.matches('(a')")
        guard case .error(let problem) = invalid.evaluate(Activation()) else {
            Issue.record("expected an error")
            return
        }
        #expect(problem.message == "invalid regular expression '(a': missing ')'")
    }
}
