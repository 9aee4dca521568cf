import Foundation
import Testing
@testable import CandidacyKit

/// The batch's one-pass reader against the full reader (parser + ``PatientValidator``): it must
/// read every common line, and whatever it reads must be exactly what the full reader reads.
@Suite struct FastPatientReaderTests {
    static let profile = JSONLineReaderTests.profile
    static let fast = FastPatientReader(profile: profile)

    /// What the full reader makes of a line: the record, or `nil` for an error.
    static func slowRecord(_ bytes: [UInt8]) -> Record? {
        try? JSONLineReader(profile: profile).withoutFastPath().patient(line: bytes, file: "c.jsonl", number: 1).record
    }

    static func fastRecord(_ bytes: [UInt8]) -> Record? {
        bytes.withUnsafeBufferPointer { fast.record($0) }
    }

    /// The fast reader reads a line only as the full reader does.
    static func expectAgreement(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let record = fastRecord(bytes) else { return }
        #expect(slowRecord(bytes) == record, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    // MARK: - JSON of a record

    static func json(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): "\(number)"
        case .string(let text): quoted(text)
        case .date(let date): quoted(date.description)
        case .list(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .map: "{}"
        case .record(let record): json(record)
        }
    }

    static func json(_ record: Record) -> String {
        "{" + record.fields.keys.sorted().map { key in quoted(key) + ":" + json(record.fields[key] ?? .null) }
            .joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }

    /// Every fixture's patient as one compact JSON line.
    static let fixtureLines: [String] = {
        guard let pack = try? FixtureSuiteTests.pack.get() else { return [] }
        return FixtureSuiteTests.fixtureFiles.compactMap { file in
            guard let contents = try? [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file))),
                let fixture = try? FixtureLoader.load(contents: contents, file: file, pack: pack)
            else { return nil }
            return json(fixture.patient.record)
        }
    }()

    // MARK: - Tests

    @Test func everyFixtureIsReadFastAndTheSame() throws {
        #expect(Self.fixtureLines.count == FixtureSuiteTests.fixtureFiles.count)
        for line in Self.fixtureLines {
            let bytes = Array(line.utf8)
            let slow = try #require(Self.slowRecord(bytes), "\(line)")
            let fast = Self.fastRecord(bytes)
            // A fixture whose numbers print with an exponent is left to the full reader.
            if fast == nil { #expect(line.contains("e-") || line.contains("e+"), "not read fast: \(line)") }
            if let fast { #expect(fast == slow, "\(line)") }
        }
        let readFast = Self.fixtureLines.filter { Self.fastRecord(Array($0.utf8)) != nil }.count
        #expect(readFast == Self.fixtureLines.count)
    }

    @Test(arguments: JSONLineReaderTests.agreeing)
    func agreesOnTheReaderCorpus(_ line: String) {
        Self.expectAgreement(Array(line.utf8))
    }

    /// Lines the fast path must leave to the full reader, valid or not.
    @Test(arguments: [
        #"{"age":34,"age":35}"#, #"{"agee":34}"#, #"{"age":34.0}"#, #"{"age":"34"}"#, #"{"age":121}"#,
        #"{"age":0034}"#, #"{"age":1234567890123456789}"#, #"{"age":9999999999999999999}"#, #"{"bmi":9999999999999999}"#, #"{"bmi":2.5e1}"#, #"{"bmi":1.0000000000000001}"#,
        #"{"id":"a\"b"}"#, "{\"id\":\"a\tb\"}", "{\"id\":\"é\"}", #"{"sex":"femal"}"#, #"{"as_of":"2026-02-30"}"#,
        #"{"conservative_care":[null]}"#, #"{"patient":{"age":3}}"#, #"{"age":34} x"#, #"{"age":34"#, "[]", "",
        #"{"pregnant":True}"#, #"{"pregnant":"true"}"#, #"{"labs":{"platelet_count":-1}}"#, #"{"age":-}"#,
        #"{"bmi":1.}"#, #"{"bmi":.5}"#, #"{"age":1,}"#, #"{,"age":1}"#, #"{"age":1 "bmi":2}"#,
        #"{"id":"a","id":"b"}"#, #"{"id":"a","as_of":"2026-01-01","as_of":"2026-01-02"}"#, #"{"id":"a","as_of":"2026-01-01","id":"b"}"#,
    ])
    func leavesTheRestToTheFullReader(_ line: String) {
        #expect(Self.fastRecord(Array(line.utf8)) == nil)
    }

    /// Keys in the profile's order (found without a lookup) and in any other order read the
    /// same record.
    @Test func keysInAnyOrderReadTheSame() throws {
        let ordered = #"{"id":"x","as_of":"2026-01-02","age":34,"sex":"female","labs":{"platelet_count":150.0,"hemoglobin":13.0}}"#
        let shuffled = #"{"labs":{"hemoglobin":13.0,"platelet_count":150.0},"sex":"female","age":34,"id":"x","as_of":"2026-01-02"}"#
        let record = try #require(Self.fastRecord(Array(ordered.utf8)))
        #expect(Self.fastRecord(Array(shuffled.utf8)) == record)
        #expect(Self.slowRecord(Array(ordered.utf8)) == record)
        #expect(record.value(atPath: ["labs", "hemoglobin"]) == .double(13) && record.field("as_of") != nil)
    }

    @Test func readsWhatItShould() {
        let line = #" { "id" : "c-1", "age" : -0, "bmi" : 22.50, "pregnant" : null, "labs" : { "hemoglobin" : 13 } , "conservative_care" : [ ] } "#
        let expected = Record([
            "id": .string("c-1"), "age": .int(0), "bmi": .double(22.5), "labs": .record(Record(["hemoglobin": .double(13)])),
            "conservative_care": .list([]),
        ])
        #expect(Self.fastRecord(Array(line.utf8)) == expected)
        #expect(Self.slowRecord(Array(line.utf8)) == expected)
    }

    /// Doubles read by the exact fast path are the doubles `Double(String)` gives.
    @Test func decimalsRoundAsTheStandardLibraryDoes() throws {
        var random = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            let decimals = Int.random(in: 0...13, using: &random)
            var text = String(Int.random(in: 10...79, using: &random))
            if decimals > 0 {
                text += "." + String((0..<decimals).map { _ in "0123456789".randomElement(using: &random) ?? "1" })
            }
            let record = try #require(Self.fastRecord(Array("{\"bmi\":\(text)}".utf8)), "\(text)")
            #expect(record.fields["bmi"] == Double(text).map(Value.double), "\(text)")
        }
    }

    /// The printable-byte test a line must pass, byte by byte: the reference for eight at a time.
    static func isPrintable(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte < 0x7F) || byte == 0x09 || byte == 0x0D
    }

    /// Every byte value at every position of a word of printable bytes: flagged exactly when it
    /// is outside 0x20...0x7E; and random words near the boundaries agree with byte by byte.
    @Test func eightBytePrintableTestAgreesByteByByte() {
        JSONWriterTests.forEveryByteAtEveryPosition(filler: UInt8(ascii: "~")) { word, byte, position in
            #expect(FastPatientReader.hasUnprintable(word) == !(byte >= 0x20 && byte <= 0x7E), "byte \(byte) at \(position)")
        }
        var random = SplitMix64(seed: 17)
        let picks: [UInt8] = [0x00, 0x09, 0x0D, 0x1F, 0x20, 0x21, 0x7E, 0x7F, 0x80, 0xFE, 0xFF]
        for round in 0..<20_000 {
            // Lines long enough for several 32-byte blocks, with boundary bytes common or rare.
            let count = Int(random.next() % 140)
            let rarity: UInt64 = round % 2 == 0 ? 4 : 96
            let bytes = (0..<count).map { _ in
                random.next() % rarity == 0 ? picks[Int(random.next() % UInt64(picks.count))] : UInt8(0x20 + random.next() % 0x5F)
            }
            let fast = bytes.withUnsafeBufferPointer(FastPatientReader.isPrintableASCII)
            #expect(fast == bytes.allSatisfy(Self.isPrintable), "\(bytes)")
        }
    }

    /// Differential fuzzing from a fixed seed: fixture lines with bytes deleted, inserted,
    /// replaced, duplicated and digits changed. Whatever the fast reader reads, the full reader reads the same.
    @Test func mutatedLinesAgree() {
        var random = SplitMix64(seed: 2026)
        let alphabet = Array(#"{}[]":,0123456789.-eE tfalsenul\xé"#.utf8) + [0x09, 0x0D, 0x7F, 0x00]
        let lines = Self.fixtureLines.map { Array($0.utf8) }
        guard !lines.isEmpty else { return }
        var readFast = 0
        for _ in 0..<20_000 {
            var bytes = lines[Int.random(in: 0..<lines.count, using: &random)]
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &random) ?? 0x20, at: at)
                case 2: bytes[at] = alphabet.randomElement(using: &random) ?? 0x20
                case 3:
                    let end = min(bytes.count, at + Int.random(in: 1...24, using: &random))
                    bytes.insert(contentsOf: bytes[at..<end], at: at)
                default:
                    // A digit for a digit: mostly still valid, sometimes out of range or a bad date.
                    if let digit = bytes[at...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                        bytes[digit] = UInt8.random(in: 0x30...0x39, using: &random)
                    }
                }
            }
            if Self.fastRecord(bytes) != nil { readFast += 1 }
            Self.expectAgreement(bytes)
        }
        // The mutants are not all rejected: the comparison exercised accepted lines too.
        #expect(readFast > 2_000)
    }

    /// The top-level values the fast path hands the evaluator, in the profile's order, fill
    /// exactly the slots that reading the record by name fills, for every fixture; a line the
    /// full reader reads gives none.
    @Test func topLevelValuesFillTheSlotsAsTheRecordDoes() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let reader = JSONLineReader(profile: pack.pack.profile)
        #expect(reader.fieldNames == pack.pack.profile.fields.map(\.name))
        func read(_ line: String, _ reader: JSONLineReader) throws -> (Patient, [Value?]) {
            var values: [Value?] = []
            let bytes = Array(line.utf8)
            let patient = try bytes.withUnsafeBufferPointer { buffer throws(DiagnosticError) in
                try reader.batchPatient(buffer, file: "c.jsonl", number: 1, values: &values)
            }
            return (patient, values)
        }
        // The pack's slots follow the profile (the values are taken as they are); a layout that
        // leaves a field out does not (the values are picked out by position).
        #expect(pack.slots.followsProfile)
        let skipping = FieldSlots(profile: pack.pack.profile, excluding: ["params", "age"])
        #expect(!skipping.followsProfile && skipping.names.count == pack.slots.names.count - 1)
        for line in Self.fixtureLines {
            let (patient, values) = try read(line, reader)
            try #require(values.count == pack.pack.profile.fields.count, "\(line)")
            #expect(values.contains { $0 != nil })
            for layout in [pack.slots, skipping] {
                #expect(SlotValues(layout: layout, profileValues: values).values
                    == SlotValues(layout: layout, record: patient.record).values, "\(line)")
            }
        }
        let (_, none) = try read(try #require(Self.fixtureLines.first), reader.withoutFastPath())
        #expect(none.isEmpty)
    }

    /// The fixture patients with fields removed inside list elements and `labs`, so that
    /// conditions over them are unknown inside macros and the tree walker evaluates them (it
    /// reads top-level fields by name: from the slots, when a batch of decisions keeps only
    /// the patient's identity in the record).
    static let linesWithNestedGaps: [String] = {
        guard let pack = try? FixtureSuiteTests.pack.get() else { return [] }
        return FixtureSuiteTests.fixtureFiles.compactMap { file in
            guard let contents = try? [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file))),
                var record = try? FixtureLoader.load(contents: contents, file: file, pack: pack).patient.record
            else { return nil }
            for (field, inner) in [("conservative_care", "weeks"), ("medications", "last_dose"), ("injections", "date")] {
                guard case .list(let items)? = record.fields[field], !items.isEmpty else { continue }
                record.fields[field] = .list(items.map { item in
                    guard case .record(var element) = item else { return item }
                    element.fields[inner] = nil
                    return .record(element)
                })
            }
            if case .record(var labs)? = record.fields["labs"] {
                labs.fields["hemoglobin"] = nil
                record.fields["labs"] = .record(labs)
            }
            return json(record)
        }
    }()

    /// The record read is stored in the reader's shape, in the very array of values it gives
    /// (no copy), and is the slow path's record, for every fixture and every line with gaps;
    /// the codes it gives are the values' (``SlotCode``).
    @Test func recordsAreStoredInTheShapeOfTheValuesGiven() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let reader = FastPatientReader(profile: pack.pack.profile, shape: pack.slots.shape)
        #expect(reader.shape === pack.slots.shape && pack.slots.followsProfile)
        // One array of codes for every line, as a batch keeps it: nothing of a line is left for the next.
        var codes: [SlotCode] = []
        for line in Self.fixtureLines + Self.linesWithNestedGaps {
            let bytes = Array(line.utf8)
            var values: [Value?] = []
            let read = bytes.withUnsafeBufferPointer { reader.record($0, values: &values, codes: &codes) }
            let record = try #require(read, "\(line)")
            // The reader's codes are those the values give.
            #expect(codes == SlotCode.codes(of: values, in: pack.slots), "\(line)")
            let slow = try? JSONLineReader(profile: pack.pack.profile).withoutFastPath().patient(line: bytes, file: "c.jsonl", number: 1)
            #expect(record == slow?.record, "\(line)")
            #expect(values.count == pack.pack.profile.fields.count && values.contains { $0 != nil }, "\(line)")
            for (position, field) in pack.pack.profile.fields.enumerated() {
                #expect(record.field(field.name) == values[position], "\(line) \(field.name)")
            }
        }
    }

    /// A batch gives byte-identical output with and without the fast path, in both formats:
    /// fixture patients, some corrupted, and some with gaps inside lists and objects.
    @Test(arguments: [BatchRunner.Format.decisions, .json])
    func batchOutputIsTheSameWithoutTheFastPath(_ format: BatchRunner.Format) throws {
        let (fast, slow, lines) = try Self.outputs(format: format, therapies: nil)
        #expect(fast == slow)
        #expect(String(decoding: fast, as: UTF8.self).split(separator: "\n").count == lines)
    }

    /// Decisions for one therapy, whose reader builds only the fields its conditions name (and
    /// `id` and `as_of`), are the same as without the fast path; and it leaves fields out.
    @Test(arguments: ["eswt", "prp", "stem-cell", "exercise-therapy"])
    func decisionsForOneTherapyAreTheSameWithoutTheFastPath(_ therapy: String) throws {
        let (fast, slow, _) = try Self.outputs(format: .decisions, therapies: [therapy])
        #expect(fast == slow)
        let pack = try FixtureSuiteTests.pack.get()
        let kept = BatchRunner.fieldsRead(by: pack, therapies: [therapy])
        #expect(kept.isSuperset(of: ["id", "as_of", "diagnosis"]), "\(kept)")
        #expect(kept.count < pack.pack.profile.fields.count, "\(therapy) keeps every field")
    }

    /// A record read keeping some fields holds just those of the full record, and the same codes.
    @Test func keptFieldsAreTheFullRecordsFields() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let kept: Set<String> = ["id", "diagnosis", "labs", "medications"]
        let full = FastPatientReader(profile: pack.pack.profile, shape: pack.slots.shape)
        let some = FastPatientReader(profile: pack.pack.profile, shape: pack.slots.shape, keeping: kept)
        for line in Self.fixtureLines + Self.linesWithNestedGaps {
            let bytes = Array(line.utf8)
            var (allValues, someValues, allCodes, someCodes): ([Value?], [Value?], [SlotCode], [SlotCode]) = ([], [], [], [])
            let record = try #require(bytes.withUnsafeBufferPointer { full.record($0, values: &allValues, codes: &allCodes) })
            let projected = try #require(bytes.withUnsafeBufferPointer { some.record($0, values: &someValues, codes: &someCodes) })
            for (position, field) in pack.pack.profile.fields.enumerated() {
                let expected = kept.contains(field.name) ? record.field(field.name) : nil
                #expect(projected.field(field.name) == expected, "\(line) \(field.name)")
                #expect(someCodes[position] == (kept.contains(field.name) ? allCodes[position] : .absent), "\(line) \(field.name)")
            }
        }
    }

    /// A patient without an id is named by its file and line, in both formats and with or
    /// without the fast path (for one therapy too, whose reader keeps few fields).
    @Test(arguments: [BatchRunner.Format.decisions, .json], [nil, ["eswt"]] as [Set<String>?])
    func aPatientWithoutAnIDIsNamedByItsLine(_ format: BatchRunner.Format, _ therapies: Set<String>?) throws {
        let lines = [#"{"id":"named","age":40,"diagnosis":"other"}"#, #"{"age":30,"diagnosis":"other"}"#]
        let (fast, slow, _) = try Self.outputs(format: format, therapies: therapies, lines: lines)
        for output in [fast, slow] {
            let text = String(decoding: output, as: UTF8.self).split(separator: "\n")
            #expect(text.count == 2)
            #expect(text.first?.contains(#""patient":"named""#) == true, "\(text.first ?? "")")
            #expect(text.last?.contains(#""patient":"c.jsonl:2""#) == true, "\(text.last ?? "")")
        }
    }

    /// The fast and slow paths' output for `lines`, or the fixture lines, some corrupted, and
    /// lines with gaps.
    static func outputs(
        format: BatchRunner.Format, therapies: Set<String>?, lines given: [String]? = nil
    ) throws -> (fast: [UInt8], slow: [UInt8], lines: Int) {
        let pack = try FixtureSuiteTests.pack.get()
        var random = SplitMix64(seed: 7)
        var lines = Self.fixtureLines
        for index in stride(from: 0, to: lines.count, by: 5) {
            var bytes = Array(lines[index].utf8)
            bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8(ascii: "1")
            lines.append(String(decoding: bytes, as: UTF8.self))
        }
        lines += Self.linesWithNestedGaps
        if let given { lines = given }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fast-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.jsonl").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))

        func run(_ reader: JSONLineReader) throws -> [UInt8] {
            let runner = BatchRunner(
                pack: pack, format: format, input: .jsonLines(reader), file: "c.jsonl", jobs: 2, failFast: false,
                asOf: nil, today: CivilDate(year: 2026, month: 11, day: 26) ?? CivilDate(daysSinceEpoch: 0), therapies: therapies)
            var output: [UInt8] = []
            _ = try runner.run(source: RecordSource(path: path, kind: .lines), write: { output += $0; return true }, writeErrors: { _ in true })
            return output
        }
        let reader = JSONLineReader(profile: pack.pack.profile)
        return (try run(reader), try run(reader.withoutFastPath()), lines.count)
    }
}
