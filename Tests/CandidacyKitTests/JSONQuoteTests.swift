import Testing
@testable import CandidacyKit

/// JSON string quoting copies runs of plain text at once; the escapes must be exactly as before.
@Suite struct JSONQuoteTests {
    @Test(arguments: [
        ("", #""""#),
        ("plain text", #""plain text""#),
        ("say \"hi\"", #""say \"hi\"""#),
        ("back\\slash", #""back\\slash""#),
        ("a\nb\rc\td", #""a\nb\rc\td""#),
        ("\u{01}\u{1F}", #""\u0001\u001f""#),
        ("é ≥ 10⁹/L 🦵", "\"é ≥ 10⁹/L 🦵\""),
        ("e\u{301}\"", "\"e\u{301}\\\"\""),
    ])
    func quotes(_ text: String, _ expected: String) {
        var output = "["
        JSONValue.quote(text, into: &output)
        #expect(Array(output.utf8) == Array(("[" + expected).utf8))
    }
}
