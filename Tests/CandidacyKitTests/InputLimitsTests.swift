import Foundation
import Testing

/// The limits of a `.json` patient file hold for `.jsonl` and `.csv` input too, with the same
/// messages (docs/LIMITS.md, issue 21): list items, scalar length, nesting and record length.
@Suite struct InputLimitsTests {
    /// A patient whose only unusual part is `part`, in each format; the CSV puts the part in a
    /// cell of its own (a JSON cell for lists).
    enum Part: String, CaseIterable, Sendable {
        case tooManyItems
        case longScalar
        case deepNesting

        var json: String {
            switch self {
            case .tooManyItems: #""conservative_care":["# + Array(repeating: "{}", count: 100_001).joined(separator: ",") + "]"
            case .longScalar: #""id":""# + String(repeating: "x", count: 70_000) + #"""#
            case .deepNesting: #""knee_surgeries":["# + String(repeating: "[", count: 120) + String(repeating: "]", count: 120) + "]"
            }
        }

        var message: String {
            switch self {
            case .tooManyItems: "list has 100001 items: at most 100000 are accepted"
            case .longScalar: "scalar is 70000 characters long: at most 65536 are accepted"
            case .deepNesting: "lists and mappings nest too deeply: at most 100 levels are accepted"
            }
        }

        var csv: String {
            switch self {
            case .tooManyItems:
                "diagnosis,conservative_care\nknee_osteoarthritis,\"[" + Array(repeating: "{}", count: 100_001).joined(separator: ",") + "]\"\n"
            case .longScalar: "diagnosis,id\nknee_osteoarthritis," + String(repeating: "x", count: 70_000) + "\n"
            case .deepNesting:
                "diagnosis,knee_surgeries\nknee_osteoarthritis,\"[" + String(repeating: "[", count: 120) + String(repeating: "]", count: 120) + "]\"\n"
            }
        }
    }

    static func decisions(_ name: String, _ contents: String) throws -> CommandLineTests.Run {
        let file = try CommandLineTests.temporaryFile(name, contents)
        return try CommandLineTests.run(["evaluate", "--format", "decisions", file.path])
    }

    @Test(arguments: Part.allCases)
    func everyFormatHasTheSameLimit(_ part: Part) throws {
        let object = #"{"diagnosis":"knee_osteoarthritis","# + part.json + "}"
        let single = try CommandLineTests.run(["evaluate", CommandLineTests.temporaryFile("p.json", object).path])
        #expect(single.status == 65)
        #expect(single.errors.contains(part.message), "json: \(single.errors.prefix(300))")
        // A cohort keeps going: the bad record is an error line, the next one is evaluated.
        let next = #"{"id":"next","diagnosis":"knee_osteoarthritis"}"#
        let lines = try Self.decisions("c.jsonl", object + "\n" + next + "\n")
        #expect(lines.status == 65)
        #expect(lines.output.split(separator: "\n").count == 2)
        #expect(lines.output.contains(part.message), "jsonl")
        #expect(lines.output.contains(#""patient":"next""#))
        let csv = try Self.decisions("c.csv", part.csv + "knee_osteoarthritis," + (part == .longScalar ? "next" : "[]") + "\n")
        #expect(csv.status == 65)
        #expect(csv.output.split(separator: "\n").count == 2)
        #expect(csv.output.contains(part.message), "csv: \(csv.output.prefix(300))")
    }

    /// A record over 1 MiB, found only after reading on, is an error line of its own, in JSON
    /// Lines and CSV alike; the record after it is read.
    @Test(arguments: ["c.jsonl", "c.csv"])
    func aRecordOverTheLengthLimit(_ name: String) throws {
        let long = String(repeating: "y", count: 1_100_000)
        let text = name.hasSuffix(".csv")
            ? "id,diagnosis\n\"\(long)\",knee_osteoarthritis\nz,knee_osteoarthritis\n"
            : #"{"id":"\#(long)"}"# + "\n" + #"{"id":"z","diagnosis":"knee_osteoarthritis"}"# + "\n"
        let run = try Self.decisions(name, text)
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("bytes long: at most 1048576 bytes are accepted") == true)
        #expect(lines.last?.contains(#""patient":"z""#) == true)
    }
}
