import Foundation
import Testing
@testable import CandidacyKit

/// The YAML front end: bytes, syntax, limits and scalar typing.
@Suite struct LoadingYAMLTests {
    private func profileErrors(_ text: String) -> [String] { LoadingSupport.profileErrors(text) }

    private func bytesErrors(_ bytes: [UInt8]) throws -> [String] {
        let schema = try LoadingSupport.schema()
        do {
            _ = try PatientLoader.load(contents: bytes, file: "p.yaml", profile: schema)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// Source lines are split as YAML counts lines: at `\n`, `\r\n` and a lone `\r`.
    @Test(arguments: [
        ("a\nb", ["a", "b"]), ("a\r\nb\r\n", ["a", "b", ""]), ("a\rb\n\nc", ["a", "b", "", "c"]),
        ("", [""]), ("é\r\n日本", ["é", "日本"]),
    ])
    func sourceLinesSplitAtEveryLineBreak(_ text: String, _ lines: [String]) {
        #expect(YAMLFrontEnd.splitLines(text).map(String.init) == lines)
    }

    @Test(arguments: ["", "# only a comment\n\n# and another\n", "\n\n", "---\n"])
    func emptyDocument(_ text: String) throws {
        #expect(profileErrors(text) == ["Rules/profile.yaml:1:1: error: expected a mapping, found an empty document"])
        #expect(try LoadingSupport.patientErrors(text) == ["p.yaml:1:1: error: expected a mapping, found an empty document"])
    }

    @Test func listOrScalarWhereAMappingIsExpected() throws {
        #expect(try LoadingSupport.patientErrors("- age: 3\n") == ["p.yaml:1:1: error: expected a mapping, found a list"])
        #expect(profileErrors("just text\n") == [
            "Rules/profile.yaml:1:1: error: expected a mapping, found string \"just text\""
        ])
    }

    @Test func invalidUTF8IsReportedAtTheFirstBadByte() throws {
        let bytes = Array("age: 3\nid: ab".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        #expect(try bytesErrors(bytes) == ["p.yaml:2:7: error: invalid UTF-8 byte 0xFF: expected UTF-8 text"])
        // A truncated multi-byte sequence.
        #expect(try bytesErrors(Array("id: é".utf8).dropLast()) == [
            "p.yaml:1:5: error: invalid UTF-8 byte 0xC3: expected UTF-8 text"
        ])
    }

    @Test func nulAndControlCharactersAreRejected() throws {
        #expect(try bytesErrors(Array("id: a\u{0}b\n".utf8)) == [
            "p.yaml:1:6: error: the file contains a NUL byte: expected UTF-8 text"
        ])
        #expect(try bytesErrors(Array("id: x\n\nid2: \u{7}\n".utf8)) == [
            "p.yaml:3:6: error: control character U+0007 is not allowed in YAML"
        ])
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomBytesNeverCrash(_ seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let errors = try bytesErrors(bytes)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("p.yaml:1:") == true)
    }

    @Test func printableGarbageGivesASyntaxErrorWithALocation() throws {
        #expect(try LoadingSupport.patientErrors("age: [1, 2\n") == [
            "p.yaml:2:1: error: did not find expected ',' or ']' (while parsing a flow sequence at 1:6)"
        ])
        #expect(try LoadingSupport.patientErrors("age: b: c\n") == [
            "p.yaml:1:7: error: mapping values are not allowed in this context"
        ])
        #expect(try LoadingSupport.patientErrors("--- {}\n--- {}\n") == [
            "p.yaml:2:1: error: found a second document: a file holds exactly one"
        ])
    }

    @Test func billionLaughsIsStopped() {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (previous, next) in zip("abcdefgh", "bcdefghi") {
            text += "\(next): &\(next) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        // 9^7 nodes come from line 7's aliases: the first line whose expansion crosses the limit.
        #expect(profileErrors(text) == ["Rules/profile.yaml:7:4: error: alias expansion exceeds 1000000 nodes"])
    }

    @Test func aliasesAsKeysAreRejectedBeforeHashing() {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (previous, next) in zip("abcdefgh", "bcdefghi") {
            text += "\(next): &\(next) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        #expect(profileErrors(text + "? *i\n: x\n") == [
            "Rules/profile.yaml:10:1: error: a complex mapping key (an alias, a list or a mapping) is not accepted "
                + "in a file that uses aliases: keys are names"
        ])
        #expect(profileErrors(text + "x: { *i : 1 }\n") == [
            "Rules/profile.yaml:10:6: error: a complex mapping key (an alias, a list or a mapping) is not accepted "
                + "in a file that uses aliases: keys are names"
        ])
    }

    @Test func deepFlowNestingIsAnError() {
        let text = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        #expect(profileErrors(text) == [
            "Rules/profile.yaml:1:1: error: lists and mappings nest too deeply: at most 100 levels are accepted"
        ])
        // Below libyaml's own limit, ours applies at the first level too deep.
        let shallower = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(profileErrors(shallower) == [
            "Rules/profile.yaml:1:101: error: lists and mappings nest too deeply: at most 100 levels are accepted"
        ])
    }

    @Test func deepBlockNestingIsAnError() {
        let sequences = String(repeating: "- ", count: 20_000) + "a\n"
        #expect(profileErrors(sequences) == [
            "Rules/profile.yaml:1:1999: error: lists and mappings nest too deeply: at most 100 levels are accepted"
        ])
        var mappings = ""
        for level in 0..<150 { mappings += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(profileErrors(mappings) == [
            "Rules/profile.yaml:101:101: error: lists and mappings nest too deeply: at most 100 levels are accepted"
        ])
    }

    @Test func hugeScalarIsAnError() throws {
        let text = "id: x\nage: " + String(repeating: "9", count: 5_000_000) + "\n"
        #expect(try LoadingSupport.patientErrors(text) == [
            "p.yaml:2:6: error: scalar is 5000000 characters long: at most 65536 are accepted"
        ])
    }

    @Test func duplicateKeysAreReportedAtTheSecond() {
        #expect(profileErrors("schema_version: 1\nschema_version: 1\n") == [
            "Rules/profile.yaml:2:1: error: duplicate key 'schema_version': already written at 1:1"
        ])
        #expect(profileErrors("schema_version: 1\nfields:\n  age: {type: int, type: int}\n") == [
            "Rules/profile.yaml:3:20: error: duplicate key 'type': already written at 3:9"
        ])
    }

    @Test func explicitTagsAreRejected() throws {
        #expect(try LoadingSupport.patientErrors("age: !!int 3\n") == [
            "p.yaml:1:6: error: tag 'tag:yaml.org,2002:int' is not accepted: values are typed by the field they fill"
        ])
    }

    @Test func limitsAreDocumentedConstants() {
        #expect(LoadingLimits.maximumFileSize == 16 * 1024 * 1024)
        #expect(LoadingLimits.maximumNodeCount == 1_000_000)
        #expect(LoadingLimits.maximumNestingDepth == 100)
        #expect(LoadingLimits.maximumScalarLength == 65_536)
    }

    @Test func missingAndOversizedFiles() throws {
        let schema = try LoadingSupport.schema()
        #expect {
            _ = try PatientLoader.load(file: "/nonexistent/p.yaml", profile: schema)
        } throws: { error in
            guard let error = error as? DiagnosticError else { return false }
            return error.kind == .unreadable
                && error.description == "/nonexistent/p.yaml:1:1: error: cannot read the file: no such file"
        }
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-big-\(UInt64.random(in: 0...UInt64.max)).yaml")
        try Data(count: LoadingLimits.maximumFileSize + 1).write(to: big)
        defer { try? FileManager.default.removeItem(at: big) }
        #expect {
            _ = try PatientLoader.load(file: big.path, profile: schema)
        } throws: { error in
            guard let error = error as? DiagnosticError else { return false }
            return error.kind == .invalid
                && error.diagnostics.map(\.message) == ["file is 16777217 bytes: at most 16777216 bytes are accepted"]
        }
    }
}

