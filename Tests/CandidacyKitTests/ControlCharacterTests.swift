import Foundation
import Testing
@testable import CandidacyKit

/// Control characters from input files never reach a terminal raw (issue 21): text and Markdown
/// reports and error messages write them as `\u{1B}`; JSON escapes them as it always has.
@Suite struct ControlCharacterTests {
    static let hostileID = #"x\u001b]0;pwned\u0007\u001b[2J"#

    @Test(arguments: [
        ("plain", "plain"),
        ("a\u{1B}[2Jb", "a\\u{1B}[2Jb"),
        ("bell\u{7}", "bell\\u{7}"),
        ("del\u{7F} c1\u{9B}", "del\\u{7F} c1\\u{9B}"),
        ("two\nlines\ttab", "two\\u{A}lines\\u{9}tab"),
        ("é ✓ 😀", "é ✓ 😀"),
    ])
    func escapes(_ input: String, _ expected: String) {
        #expect(ControlCharacters.escaped(input) == expected)
        #expect(!ControlCharacters.escaped(input).unicodeScalars.contains { ControlCharacters.isControl($0) })
    }

    @Test func aDocumentKeepsItsLineFeeds() {
        #expect(ControlCharacters.escapedDocument("a\u{1B}\nb\tc\r") == "a\\u{1B}\nb\tc\\u{D}")
    }

    @Test(arguments: ["text", "markdown"])
    func reportsShowNoRawEscape(_ format: String) throws {
        let file = try CommandLineTests.temporaryFile(
            "p.json", #"{"id":"\#(Self.hostileID)","as_of":"2026-10-02","diagnosis":"knee_osteoarthritis","knee_surgeries":[{"date":"2026-01-02","procedure":"a\u001b[31mred"}]}"#)
        let run = try CommandLineTests.run(["evaluate", "--format", format, file.path])
        #expect(run.status == 0)
        #expect(!run.output.unicodeScalars.contains { ControlCharacters.isControl($0) && $0 != "\n" })
        #expect(run.output.contains("x\\u{1B}"))
    }

    @Test func errorMessagesShowNoRawEscape() throws {
        let file = try CommandLineTests.temporaryFile("p.json", #"{"\u001b[2Jevil":1}"#)
        let run = try CommandLineTests.run(["evaluate", file.path])
        #expect(run.status == 65)
        #expect(run.errors.contains("unknown field '\\u{1B}[2Jevil'"))
        #expect(!run.errors.unicodeScalars.contains { ControlCharacters.isControl($0) && $0 != "\n" })
    }

    /// A text-format cohort: reports on standard output, errors on standard error, both clean.
    @Test func cohortTextOutputShowsNoRawEscape() throws {
        let lines = #"{"id":"\#(Self.hostileID)","diagnosis":"other"}"# + "\n" + #"{"\u001b[2Jevil":1}"# + "\n"
        let file = try CommandLineTests.temporaryFile("c.jsonl", lines)
        let run = try CommandLineTests.run(["evaluate", file.path])
        #expect(run.status == 65)
        #expect(run.output.contains("x\\u{1B}"))
        #expect(!(run.output + run.errors).unicodeScalars.contains { ControlCharacters.isControl($0) && $0 != "\n" })
    }

    /// JSON keeps its own escapes, byte for byte as before.
    @Test func jsonEscapesAsBefore() throws {
        let file = try CommandLineTests.temporaryFile("p.json", #"{"id":"\#(Self.hostileID)","diagnosis":"other"}"#)
        let run = try CommandLineTests.run(["evaluate", "--format", "json", file.path])
        #expect(run.output.contains(#""patient": "x\u001b]0;pwned\u0007\u001b[2J""#))
    }
}
