import Foundation
import Testing
@testable import CandidacyKit

/// How a CSV cohort is cut into records (RFC 4180, issue 21): a quote opens a quoted cell only at
/// the start of a cell; a stray quote is an error for its record alone; an unterminated quoted
/// cell never swallows the records after it; line numbers stay right after any error.
@Suite struct CSVRecordSplittingTests {
    static func records(_ text: String, maximumLength: Int = JSONLineReader.defaultMaximumLineLength) throws -> [(line: Int, text: String, overlong: Int?)] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("c.csv")
        try Data(text.utf8).write(to: file)
        let source = try RecordSource(path: file.path, kind: .csv, maximumLength: maximumLength, recordsPerBatch: 3)
        var out: [(Int, String, Int?)] = []
        while let batch = try source.nextBatch() {
            for record in batch.records {
                out.append((record.line, String(decoding: batch.bytes[record.range], as: UTF8.self), record.overlongLength))
            }
        }
        return out
    }

    @Test func aStrayQuoteStaysInItsRecord() throws {
        let rows = try Self.records("id,age\nq1,1\nq\"2,2\nq3,3\nq4,4\nq5,5\n")
        #expect(rows.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(rows.map(\.text) == ["id,age", "q1,1", "q\"2,2", "q3,3", "q4,4", "q5,5"])
    }

    @Test func quotedCellsMayHoldCommasQuotesAndLineBreaks() throws {
        let rows = try Self.records("id,note\n\"a,b\",\"x\"\"y\"\n\"c\",\"two\nlines\"\nd,e\n")
        #expect(rows.map(\.line) == [1, 2, 3, 5])
        #expect(rows[2].text == "\"c\",\"two\nlines\"")
        #expect(rows[3].text == "d,e")
    }

    @Test func aQuotedCellClosedAtTheEndOfTheInput() throws {
        let rows = try Self.records("id,note\nx,\"two\nlines\"")
        #expect(rows.map(\.line) == [1, 2])
        #expect(rows[1].text == "x,\"two\nlines\"")
    }

    /// An opening quote never closed: the record is cut at the end of its first line, and the
    /// records after it are read with their own line numbers.
    @Test func anUnterminatedQuoteDoesNotSwallowTheRest() throws {
        let rows = try Self.records("id,age\nq1,1\n\"q2,2\nq3,3\nq4,4\n")
        #expect(rows.map(\.line) == [1, 2, 3, 4, 5])
        #expect(rows.map(\.text) == ["id,age", "q1,1", "\"q2,2", "q3,3", "q4,4"])
    }

    /// An open quote running past the record limit: cut at its first line, and every later
    /// record has its right line number.
    @Test func anOpenQuotePastTheLimitKeepsLineNumbers() throws {
        var text = "id,note\nq1,\"open\n"
        for index in 0..<50 { text += "filler \(index) \(String(repeating: "z", count: 40))\n" }
        text += "q2,ok\n"
        let rows = try Self.records(text, maximumLength: 512)
        #expect(rows.first?.line == 1)
        #expect(rows[1].line == 2 && rows[1].text == "q1,\"open")
        #expect(rows.last?.line == 53 && rows.last?.text == "q2,ok")
        #expect(rows.map(\.line) == Array(1...53))
    }

    /// A single line over the limit is skipped to its end, whatever quotes it holds.
    @Test func anOverlongLineIsSkippedToItsEnd() throws {
        let long = "x,\"" + String(repeating: "y", count: 2_000)
        let rows = try Self.records("id,note\n\(long)\nq2,ok\n", maximumLength: 512)
        #expect(rows.map(\.line) == [1, 2, 3])
        #expect(rows[1].overlong == long.utf8.count)
        #expect(rows[2].text == "q2,ok")
    }

    /// The command line: the 5-row CSV with a stray quote gives 5 output lines and says 5 patients.
    @Test func theCohortGivesOneLinePerRecord() throws {
        let csv = "id,as_of,diagnosis,age\nq1,2026-10-02,knee_osteoarthritis,60\nq\"2,2026-10-02,knee_osteoarthritis,61\n"
            + "q3,2026-10-02,knee_osteoarthritis,62\nq4,2026-10-02,knee_osteoarthritis,63\nq5,2026-10-02,knee_osteoarthritis,64\n"
        let file = try CommandLineTests.temporaryFile("stray.csv", csv)
        let run = try CommandLineTests.run(["evaluate", "--format", "decisions", "--summary", file.path])
        #expect(run.status == 65)
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[1].contains(#""line":3,"error""#) && lines[1].contains(#""column":2"#))
        #expect(lines[4].contains(#""patient":"q5","line":6"#))
        #expect(run.errors.hasPrefix("5 patients: 4 evaluated, 1 with errors (first at line 3)"))
    }
}
