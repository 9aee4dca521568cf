import Foundation
import Testing
@testable import CandidacyKit

/// The JSON Lines reader against ``PatientLoader``: the same records, locations and errors.
@Suite struct JSONLineReaderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let profile: ProfileSchema = {
        // The shipped pack's profile: every field type, nesting, lists of objects, dates.
        (try? RulePackLoader.load(directory: root.appendingPathComponent("Rules").path).profile)
            ?? ProfileSchema(schemaVersion: 1, fields: [], file: "profile.yaml")
    }()

    enum Outcome: Equatable, CustomStringConvertible {
        case patient(Record, [String: CandidacyKit.SourceLocation])
        case errors([String])

        var description: String {
            switch self {
            case .patient(let record, _): "patient \(record)"
            case .errors(let errors): errors.joined(separator: "\n")
            }
        }
    }

    static func viaLoader(_ text: String) -> Outcome {
        do {
            let patient = try PatientLoader.load(contents: Array(text.utf8), file: "p.json", profile: profile)
            return .patient(patient.record, patient.locations)
        } catch {
            return .errors(error.diagnostics.map(\.description))
        }
    }

    static func viaReader(_ bytes: [UInt8], line: Int = 1) -> Outcome {
        do {
            let patient = try JSONLineReader(profile: profile).patient(line: bytes, file: "p.json", number: line)
            return .patient(patient.record, patient.locations)
        } catch {
            return .errors(error.diagnostics.map(\.description))
        }
    }

    static func viaReader(_ text: String) -> Outcome { viaReader(Array(text.utf8)) }

    /// Lines both readers must treat identically.
    static let agreeing: [String] = [
        // Valid patients, every field type.
        #"{"id":"case-1","as_of":"2026-10-02","age":34,"sex":"female","bmi":22.5,"diagnosis":"patellofemoral_pain"}"#,
        #"{"id": "c", "age": 0, "bmi": 10, "symptom_weeks": 5200, "pregnant": false, "imaging_confirmed": true}"#,
        #"{"conservative_care":[{"treatment":"physical_therapy","weeks":12,"response":"partial"},{"treatment":"nsaids","weeks":2,"response":"none"}]}"#,
        #"{"labs":{"platelet_count":240,"hemoglobin":13.5}}"#,
        #"{"labs":{}, "conservative_care": [], "medications": []}"#,
        #"{"medications":[{"class":"aspirin","last_dose":"2026-09-30"}],"injections":[{"agent":"prp","date":"2025-01-01"}]}"#,
        #"{"knee_surgeries":[{"date":"2020-02-29","procedure":"arthroscopy \"partial\" \\ menisc\u00e9ctomy"}]}"#,
        #"{"id":"\u00e9\u4e2d","age":34}"#,
        #"{"id":"tab\tnewline\nslash\/bs\\"}"#,
        #"  {"age" : 34 , "pregnant" : null }  "#,
        #"{"age":null,"labs":null,"conservative_care":null}"#,
        "{}",
        "{\"id\":\"é\",\"age\":34}",
        "{\"id\":\"日本語\",\"agee\":34}",
        "\u{FEFF}{\"age\":34}",
        "\u{FEFF}{\"agee\":34}",
        // Numbers.
        #"{"bmi":2.25e1}"#, #"{"bmi":2.25E+1}"#, #"{"bmi":225e-1}"#, #"{"bmi":-0.0}"#, #"{"bmi":1e400}"#,
        #"{"age":1e1}"#, #"{"age":34.0}"#, #"{"age":-1}"#, #"{"age":121}"#, #"{"age":99999999999999999999}"#,
        #"{"age":9223372036854775807}"#, #"{"age":-9223372036854775808}"#, #"{"bmi":9}"#, #"{"bmi":80.0001}"#,
        // Wrong types.
        #"{"age":"34"}"#, #"{"age":true}"#, #"{"age":[]}"#, #"{"age":{}}"#, #"{"age":[1]}"#, #"{"age":{"a":1}}"#,
        #"{"pregnant":"true"}"#, #"{"pregnant":1}"#, #"{"pregnant":"yes"}"#,
        #"{"id":34}"#, #"{"id":true}"#, #"{"id":[]}"#, #"{"id":"null"}"#,
        #"{"as_of":"2026-02-30"}"#, #"{"as_of":"2026-2-3"}"#, #"{"as_of":20261002}"#, #"{"as_of":"2026-10-02T00:00:00Z"}"#,
        #"{"sex":"femal"}"#, #"{"sex":"F"}"#, #"{"sex":1}"#, #"{"sex":["female"]}"#, #"{"diagnosis":"knee_osteoarthritiss"}"#,
        #"{"labs":[]}"#, #"{"labs":3}"#, #"{"labs":{"platelets":3}}"#, #"{"labs":{"platelet_count":-1}}"#,
        #"{"conservative_care":{}}"#, #"{"conservative_care":[null]}"#, #"{"conservative_care":[1,"a"]}"#,
        #"{"conservative_care":[{"treatment":"pt","weeks":"6","response":"partial","extra":1}]}"#,
        #"{"conservative_care":[{"treatment":"physical_therapy","weeks":600}]}"#,
        // Unknown fields and several errors at once.
        #"{"agee":34,"diagnossis":"other","x":1}"#,
        #"{"age":130,"bmi":5,"sex":"x","as_of":"2026-13-01","labs":{"platelet_count":"a"}}"#,
        // Not an object.
        "[]", "[1,2]", "34", #""text""#, "true", "null", "", "   ",
        // A fixture's wrapper.
        #"{"description":"d","patient":{"id":"case-9","age":3},"expect":{}}"#,
        // Duplicate keys.
        #"{"age":34,"age":35}"#,
        #"{"labs":{"hemoglobin":1,"hemoglobin":2}}"#,
        #"{"age":34,"bmi":20,"bmi":21,"age":35}"#,
        // Invalid text.
        "{\"id\":\"a\u{7F}b\"}",
    ]

    @Test(arguments: agreeing)
    func agreesWithThePatientLoader(_ line: String) {
        #expect(Self.viaReader(line) == Self.viaLoader(line))
    }

    /// Bytes that are not UTF-8 text get the loader's message at the same place.
    @Test(arguments: [[0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], [0x7B, 0x00, 0x7D], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0x7B, 0x22, 0xE2, 0x82]])
    func invalidUTF8(_ bytes: [UInt8]) {
        let loader: Outcome
        do {
            _ = try PatientLoader.load(contents: bytes, file: "p.json", profile: Self.profile)
            loader = .errors([])
        } catch {
            loader = .errors(error.diagnostics.map(\.description))
        }
        #expect(Self.viaReader(bytes) == loader)
    }

    /// Locations carry the line number given; columns count Unicode scalars.
    @Test func locationsOnLaterLines() throws {
        let text = #"{"id":"日本","agee":1}"#
        #expect(Self.viaReader(Array(text.utf8), line: 7) == .errors(["p.json:7:12: error: unknown field 'agee'; did you mean 'age'?"]))
        let patient = try JSONLineReader(profile: Self.profile).patient(line: Array(#"{"id":"é","age":34}"#.utf8), file: "c.jsonl", number: 12)
        #expect(patient.locations["age"] == CandidacyKit.SourceLocation(file: "c.jsonl", line: 12, column: 17))
    }

    /// Strict JSON: what YAML would accept in a `.json` file is a syntax error on a line.
    @Test(arguments: [
        (#"{"age":34,}"#, "p.json:1:11: error: unexpected '}': expected a key in double quotes"),
        (#"{'age':34}"#, "p.json:1:2: error: unexpected ''': expected a key in double quotes"),
        (#"{"age":034}"#, "p.json:1:9: error: invalid number: a number does not start with 0 followed by digits"),
        (#"{"age":+3}"#, "p.json:1:8: error: unexpected '+': expected a value (an object, list, string, number, true, false or null)"),
        (#"{"pregnant":yes}"#, "p.json:1:13: error: unexpected 'y': expected a value (an object, list, string, number, true, false or null)"),
        (#"{"age":34} x"#, "p.json:1:12: error: unexpected 'x' after the JSON value: a line holds one patient"),
        (#"{"age":34}{}"#, "p.json:1:11: error: unexpected '{' after the JSON value: a line holds one patient"),
        (#"{"age":34"#, "p.json:1:10: error: unexpected end of the line: expected ',' or '}'"),
        (#"{"age" 34}"#, "p.json:1:8: error: unexpected '3': expected ':' after a key"),
        (#"{"id":"a\x41"}"#, "p.json:1:9: error: invalid escape '\\x' in a string"),
        (#"{"id":"\ud83d"}"#, "p.json:1:8: error: lone surrogate U+D83D in a \\u escape: expected a pair"),
        (#"{"id":"\ude00"}"#, "p.json:1:8: error: lone surrogate U+DE00 in a \\u escape: expected a pair"),
        (#"{"id":"\u12"}"#, "p.json:1:8: error: incomplete \\u escape: expected 4 hex digits"),
        ("{\"id\":\"a\tb\"}", "p.json:1:9: error: control character U+0009 must be escaped in a JSON string"),
        (#"{"id":"abc"#, "p.json:1:11: error: unexpected end of the line in a string: expected a closing '\"'"),
        (#"{"age":1.}"#, "p.json:1:10: error: invalid number: expected a digit after '.'"),
        (#"{"age":1e}"#, "p.json:1:10: error: invalid number: expected a digit in the exponent"),
        (#"{"age":12abc}"#, "p.json:1:10: error: unexpected 'a' after a number"),
        (#"{"pregnant":truth}"#, "p.json:1:13: error: unexpected 't': expected a value (an object, list, string, number, true, false or null)"),
        (#"{"pregnant":trueish}"#, "p.json:1:17: error: unexpected 'i' after 'true'"),
        (#"{"pregnant":nul}"#, "p.json:1:13: error: unexpected 'n': expected a value (an object, list, string, number, true, false or null)"),
        (#"{"age":34}é"#, "p.json:1:11: error: unexpected 'é' after the JSON value: a line holds one patient"),
    ])
    func strictJSON(_ line: String, _ message: String) {
        #expect(Self.viaReader(line) == .errors([message]))
    }

    /// Where JSON and libyaml part: a surrogate pair is one character in JSON (libyaml rejects
    /// it), and U+0085 (NEL) in a string is kept, where YAML folds it as a line break.
    @Test func documentedDifferences() {
        let pair = #"{"id":"caf\u00e9 \ud83d\ude00 ok"}"#
        #expect(Self.viaReader(pair) == .patient(Record(["id": .string("café 😀 ok")]), ["id": CandidacyKit.SourceLocation(file: "p.json", line: 1, column: 7)]))
        #expect(Self.viaLoader(pair) != Self.viaReader(pair))
        let nel = "{\"id\":\"a\u{85}b\"}"
        #expect(Self.viaReader(nel) == .patient(Record(["id": .string("a\u{85}b")]), ["id": CandidacyKit.SourceLocation(file: "p.json", line: 1, column: 7)]))
    }

    /// Deep nesting is bounded as in a file; no input can exhaust the stack.
    @Test(arguments: [101, 150, 5_000, 200_000])
    func deepNesting(_ depth: Int) {
        let text = #"{"labs":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let outcome = Self.viaReader(text)
        #expect(outcome == .errors(["p.json:1:\(8 + 100): error: lists and mappings nest too deeply: at most 100 levels are accepted"]))
        if depth < 1_000 { #expect(outcome == Self.viaLoader(text)) }
        let unclosed = #"{"labs":"# + String(repeating: "[{\"a\":", count: depth)
        guard case .errors(let errors) = Self.viaReader(unclosed) else {
            Issue.record("an unclosed deep nesting must fail")
            return
        }
        #expect(errors.count == 1)
    }

    @Test func limits() {
        let longString = #"{"id":""# + String(repeating: "é", count: 70_000) + #""}"#
        #expect(Self.viaReader(longString) == Self.viaLoader(longString))
        let longList = #"{"conservative_care":["# + Array(repeating: "1", count: 100_001).joined(separator: ",") + "]}"
        #expect(Self.viaReader(longList) == Self.viaLoader(longList))
        let reader = JSONLineReader(profile: Self.profile, maximumLineLength: 100)
        #expect(throws: DiagnosticError.self) {
            try reader.patient(line: Array(repeating: UInt8(ascii: " "), count: 101), file: "p.json", number: 3)
        }
    }

    /// Random garbage never crashes or hangs the reader: each line is a patient or errors.
    @Test func garbage() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]":,0123456789.eE+-truefalsn \u\"\\abc"#.utf8) + [0xC3, 0xA9, 0xFF, 0x00, 0x0A]
        for _ in 0..<3_000 {
            let count = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            _ = Self.viaReader(bytes)
        }
    }
}
