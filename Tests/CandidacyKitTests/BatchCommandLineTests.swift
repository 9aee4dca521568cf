import Foundation
import Testing
@testable import CandidacyKit

/// `candidacy evaluate` on cohorts: JSON Lines, CSV and standard input, run through the built binary.
@Suite struct BatchCommandLineTests {
    static let root = CommandLineTests.root

    /// Runs the binary with `input` on standard input.
    static func run(_ arguments: [String], input: Data? = nil) throws -> CommandLineTests.Run {
        let process = Process()
        process.executableURL = try CommandLineTests.binary()
        process.arguments = arguments
        process.currentDirectoryURL = root
        let output = Pipe()
        let errors = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        let writer = Thread {
            if let input { standardInput.fileHandleForWriting.write(input) }
            try? standardInput.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errorData.get() == nil { Thread.sleep(forTimeInterval: 0.005) }
        return CommandLineTests.Run(
            status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
            errors: String(decoding: errorData.get() ?? Data(), as: UTF8.self))
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        func set(_ value: Data) { lock.withLock { data = value } }
        func get() -> Data? { lock.withLock { data } }
    }

    /// The shipped fixtures' patients, in file order, each with its JSON line.
    static func fixturePatients() throws -> [(patient: Patient, line: String)] {
        let pack = try RulePackLoader.load(directory: root.appendingPathComponent("Rules").path)
        let folder = root.appendingPathComponent("Fixtures")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try files.map { name in
            let patient = try PatientLoader.load(file: folder.appendingPathComponent(name).path, profile: pack.profile)
            return (patient, JSONValue(.record(patient.record)).rendered(pretty: false))
        }
    }

    static func cohort(_ lines: [String], _ name: String = "cohort.jsonl") throws -> URL {
        try CommandLineTests.temporaryFile(name, lines.joined(separator: "\n") + "\n")
    }

    static func objects(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Each fixture's decisions line is what evaluating its own file gives, in input order.
    @Test func decisionsMatchEachFixtureInOrder() throws {
        let fixtures = try Self.fixturePatients()
        let file = try Self.cohort(fixtures.map(\.line))
        let run = try Self.run(["evaluate", "--format", "decisions", file.path])
        #expect(run.status == 0)
        #expect(run.errors.isEmpty)
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        try #require(lines.count == fixtures.count)
        let pack = try CompiledPack(RulePackLoader.load(directory: Self.root.appendingPathComponent("Rules").path))
        let evaluator = Evaluator(pack: pack, detail: .decisions)
        for (index, fixture) in fixtures.enumerated() {
            let expected = BatchLine.decisions(evaluator.evaluate(fixture.patient), line: index + 1)
            #expect(String(lines[index]) + "\n" == String(decoding: expected, as: UTF8.self))
        }
    }

    /// A decisions line is, byte for byte, the compact JSON of its documented keys in their
    /// documented order (built here with `JSONValue`, independently of the line writer), for
    /// every fixture, with a line number and with a file name.
    @Test func decisionsLinesHaveTheDocumentedShape() throws {
        let pack = try CompiledPack(RulePackLoader.load(directory: Self.root.appendingPathComponent("Rules").path))
        let evaluator = Evaluator(pack: pack, detail: .decisions)
        for (index, fixture) in try Self.fixturePatients().enumerated() {
            let evaluation = evaluator.evaluate(fixture.patient)
            func strings(_ items: [String]) -> JSONValue { .array(items.map { .string($0) }) }
            let therapies: [JSONValue] = evaluation.decisions.map { decision in
                .object([
                    ("therapy", .string(decision.therapy)), ("tier", .string(decision.tier.rawValue)),
                    ("score", .int(Int64(decision.score))),
                    ("score_range", .array([.int(Int64(decision.scoreRange.lowerBound)), .int(Int64(decision.scoreRange.upperBound))])),
                    ("provisional", .bool(decision.provisional)), ("missing", strings(decision.missing)),
                    ("cautions", strings(decision.cautions)), ("deciding", strings(decision.deciding)),
                ])
            }
            let asOf: JSONValue = evaluation.asOf.map { .string($0.description) } ?? .null
            let numbered = JSONValue.object([
                ("patient", .string(evaluation.patient)), ("line", .int(Int64(index + 1))), ("as_of", asOf),
                ("therapies", .array(therapies)),
            ])
            let named = JSONValue.object([
                ("patient", .string(evaluation.patient)), ("file", .string(evaluation.file)), ("as_of", asOf),
                ("therapies", .array(therapies)),
            ])
            #expect(BatchLine.decisions(evaluation, line: index + 1) == numbered.renderedBytes(pretty: false) + [0x0A])
            #expect(BatchLine.decisions(evaluation, line: nil) == named.renderedBytes(pretty: false) + [0x0A])
        }
    }

    /// The full JSON format writes JSONReporter's compact document, one per line (every fixture).
    @Test func jsonLinesAreTheFullDocuments() throws {
        let fixtures = try Self.fixturePatients()
        let file = try Self.cohort(fixtures.map(\.line))
        let run = try Self.run(["evaluate", "--format", "json", "--rules", "Rules", file.path])
        #expect(run.status == 0)
        let folder = Self.root.appendingPathComponent("Rules")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).map { name in
            PackFile(path: name, contents: Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
        let pack = try CompiledPack(RulePackLoader.load(files: files, path: "Rules"))
        let context = ReportContext(pack: pack)
        let expected = fixtures.enumerated().map { index, fixture in
            var patient = fixture.patient
            patient.file = "\(file.path):\(index + 1)"
            return JSONReporter(pretty: false).render(Evaluator(pack: pack).evaluate(patient), context: context)
        }.joined()
        #expect(run.output == expected)
    }

    /// A bad line is one error line with its field and location; the run goes on and exits 65.
    @Test func badLinesAreErrorLines() throws {
        let fixtures = try Self.fixturePatients()
        let lines = [fixtures[0].line, #"{"id":"x","agee":34}"#, "", "garbage", #"{"id":"y","labs":{"platelet_count":"high"}}"#, fixtures[1].line]
        let file = try Self.cohort(lines)
        let run = try Self.run(["evaluate", "--format", "decisions", file.path])
        #expect(run.status == 65)
        let objects = try Self.objects(run.output)
        try #require(objects.count == lines.count)
        #expect(objects.map { $0["line"] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(objects[0]["patient"] as? String == fixtures[0].patient.id)
        let unknown = try #require(objects[1]["error"] as? [String: Any])
        #expect(unknown["field"] as? String == "agee")
        #expect(unknown["file"] as? String == file.path)
        #expect(unknown["line"] as? Int == 2)
        #expect(unknown["column"] as? Int == 11)
        #expect(unknown["message"] as? String == "unknown field 'agee'; did you mean 'age'?")
        #expect((objects[2]["error"] as? [String: Any])?["code"] as? String == "blank-line")
        #expect((objects[3]["error"] as? [String: Any])?["code"] as? String == "json-syntax")
        let wrong = try #require(objects[4]["error"] as? [String: Any])
        #expect(wrong["field"] as? String == "labs.platelet_count")
        #expect(wrong["message"] as? String == "labs.platelet_count: expected a number, found string \"high\"")
        #expect(objects[5]["patient"] as? String == fixtures[1].patient.id)

        let fast = try Self.run(["evaluate", "--format", "decisions", "--fail-fast", file.path])
        #expect(fast.status == 65)
        #expect(try Self.objects(fast.output).count == 2)
        #expect(fast.output.hasSuffix("did you mean 'age'?\"}]}\n"))
    }

    @Test func exitStatuses() throws {
        let fixtures = try Self.fixturePatients()
        let file = try Self.cohort([fixtures[0].line])
        #expect(try Self.run(["evaluate", "--format", "decisions", file.path]).status == 0)
        #expect(try Self.run(["evaluate", file.path, "Fixtures/eswt-pregnant-oa.yaml"]).status == 64)
        #expect(try Self.run(["evaluate", "--jobs", "0", file.path]).status == 64)
        // --jobs is bounded (4 times the active cores): far more is a usage error, never a hang
        // or a crash; the bound itself runs to completion.
        for jobs in ["40000", "100000"] {
            let many = try Self.run(["evaluate", "--jobs", jobs, file.path])
            #expect(many.status == 64)
            #expect(many.errors.contains("--jobs \(jobs) is more than"))
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let most = try Self.run(["evaluate", "--format", "decisions", "--jobs", "\(4 * cores)", file.path])
        #expect(most.status == 0)
        #expect(try Self.objects(most.output).count == 1)
        #expect(try Self.run(["evaluate", "--fail-fast", "Fixtures/eswt-pregnant-oa.yaml"]).status == 64)
        let missing = try Self.run(["evaluate", "--format", "decisions", "no/such/cohort.jsonl"])
        #expect(missing.status == 66)
        #expect(missing.errors.contains("no/such/cohort.jsonl:1:1: error: cannot read the file: no such file"))
        let badHeader = try CommandLineTests.temporaryFile("c.csv", "id,agee\nx,3\n")
        let header = try Self.run(["evaluate", badHeader.path])
        #expect(header.status == 65)
        #expect(header.output.isEmpty)
        #expect(header.errors.contains("c.csv:1:4: error: column 'agee': unknown field 'agee'; did you mean 'age'?"))
    }

    /// `--jobs 1` and `--jobs 2` write the same bytes, errors included, over many batches.
    @Test(arguments: ["decisions", "json"])
    func jobsDoNotChangeTheOutput(_ format: String) throws {
        let fixtures = try Self.fixturePatients()
        var lines: [String] = []
        let count = format == "json" ? 1_100 : 2_500
        for index in 0..<count {
            lines.append(index % 97 == 13 ? #"{"age":"old"}"# : fixtures[index % fixtures.count].line)
        }
        let file = try Self.cohort(lines)
        let one = try Self.run(["evaluate", "--format", format, "--jobs", "1", "--summary", file.path])
        let two = try Self.run(["evaluate", "--format", format, "--jobs", "2", "--summary", file.path])
        let again = try Self.run(["evaluate", "--format", format, "--jobs", "2", "--summary", file.path])
        #expect(one.status == 65)
        #expect(one.output.split(separator: "\n").count == count)
        #expect(one.output == two.output)
        #expect(two.output == again.output)
        #expect(one.errors == two.errors)
    }

    /// `--summary` goes to standard error and leaves the JSON Lines alone.
    @Test func summaryOnStandardError() throws {
        let fixtures = try Self.fixturePatients()
        let file = try Self.cohort(fixtures.map(\.line) + ["{}x"])
        let plain = try Self.run(["evaluate", "--format", "decisions", file.path])
        let summary = try Self.run(["evaluate", "--format", "decisions", "--summary", file.path])
        #expect(plain.output == summary.output)
        #expect(summary.errors.hasPrefix("\(fixtures.count + 1) patients: \(fixtures.count) evaluated, 1 with errors (first at line \(fixtures.count + 1))\n"))
        #expect(summary.errors.contains("therapy"))
        #expect(summary.errors.contains("recommended"))
        let eswt = try #require(summary.errors.split(separator: "\n").first { $0.hasPrefix("eswt ") })
        let counts = eswt.split(separator: " ").dropFirst().compactMap { Int($0) }
        #expect(counts.reduce(0, +) == fixtures.count)
    }

    /// `-` reads JSON Lines from standard input.
    @Test func standardInput() throws {
        let fixtures = try Self.fixturePatients().prefix(10)
        let text = fixtures.map(\.line).joined(separator: "\n")  // no final line break
        let file = try Self.cohort(Array(fixtures.map(\.line)))
        let viaStdin = try Self.run(["evaluate", "--format", "decisions", "-"], input: Data(text.utf8))
        let viaFile = try Self.run(["evaluate", "--format", "decisions", file.path])
        #expect(viaStdin.status == 0)
        #expect(viaStdin.output == viaFile.output)
        #expect(viaStdin.output.split(separator: "\n").count == 10)
    }

    /// CSV: dotted columns, JSON list cells, empty cells, RFC 4180 quoting; the same decisions as JSON Lines.
    @Test func csvMapsToTheSamePatients() throws {
        let csv = #"""
            id,as_of,age,sex,diagnosis,labs.platelet_count,labs.hemoglobin,conservative_care,pregnant,knee_surgeries
            case-a,2026-10-02,34,female,patellofemoral_pain,240,,"[{""treatment"":""physical_therapy"",""weeks"":12,""response"":""partial""}]",false,
            "case, ""b""
            two",2026-10-02,61,male,knee_osteoarthritis,,,[],,"[{""date"":""2020-01-02"",""procedure"":""line one\nline two""}]"
            case-c,2026-10-02,,,,,,,,

            """#
        let jsonl = [
            #"{"id":"case-a","as_of":"2026-10-02","age":34,"sex":"female","diagnosis":"patellofemoral_pain","labs":{"platelet_count":240},"conservative_care":[{"treatment":"physical_therapy","weeks":12,"response":"partial"}],"pregnant":false}"#,
            #"{"id":"case, \"b\"\ntwo","as_of":"2026-10-02","age":61,"sex":"male","diagnosis":"knee_osteoarthritis","conservative_care":[],"knee_surgeries":[{"date":"2020-01-02","procedure":"line one\nline two"}]}"#,
            #"{"id":"case-c","as_of":"2026-10-02"}"#,
        ]
        let csvFile = try CommandLineTests.temporaryFile("cohort.csv", csv)
        let jsonFile = try Self.cohort(jsonl)
        let fromCSV = try Self.run(["evaluate", "--format", "decisions", csvFile.path])
        let fromJSON = try Self.run(["evaluate", "--format", "decisions", jsonFile.path])
        #expect(fromCSV.status == 0)
        let csvObjects = try Self.objects(fromCSV.output)
        let jsonObjects = try Self.objects(fromJSON.output)
        try #require(csvObjects.count == 3)
        #expect(csvObjects.map { $0["line"] as? Int } == [2, 3, 5])
        for (lhs, rhs) in zip(csvObjects, jsonObjects) {
            #expect(lhs["patient"] as? String == rhs["patient"] as? String)
            #expect(NSDictionary(dictionary: lhs).object(forKey: "therapies") as? NSArray == rhs["therapies"] as? NSArray)
        }
    }

    @Test func csvErrorsNameTheCell() throws {
        let csv = "id,age,conservative_care,labs.platelet_count\nx,abc,\"[{\"\"treatment\"\":\"\"pt\"\"}]\",1\ny,3\n\"z,4,,\n"
        let file = try CommandLineTests.temporaryFile("bad.csv", csv)
        let run = try Self.run(["evaluate", "--format", "decisions", file.path])
        #expect(run.status == 65)
        let objects = try Self.objects(run.output)
        try #require(objects.count == 3)
        let errors = try #require(objects[0]["errors"] as? [[String: Any]])
        #expect(errors.map { $0["field"] as? String } == ["age", "conservative_care[0].treatment"])
        #expect(errors.map { $0["column"] as? Int } == [3, 24])
        #expect(errors[0]["message"] as? String == "age: expected an int, found string \"abc\"")
        #expect((objects[1]["error"] as? [String: Any])?["message"] as? String == "record has 2 cells: the header has 4")
        #expect((objects[2]["error"] as? [String: Any])?["message"] as? String == "unterminated quoted cell: expected a closing '\"'")
    }

    /// Text on a cohort: one report per patient, errors on standard error.
    @Test func textReportsPerPatient() throws {
        let fixtures = try Self.fixturePatients().prefix(3)
        let file = try Self.cohort(fixtures.map(\.line) + [#"{"agee":1}"#])
        let run = try Self.run(["evaluate", file.path])
        #expect(run.status == 65)
        #expect(run.output.components(separatedBy: "Decision support only").count == 4)
        #expect(run.errors.contains("\(file.path):4:2: error: unknown field 'agee'; did you mean 'age'?"))
    }

    /// A huge line and binary garbage are error lines, not crashes.
    @Test func hostileLines() throws {
        let fixtures = try Self.fixturePatients()
        var data = Data((fixtures[0].line + "\n").utf8)
        data.append(Data(#"{"id":""#.utf8) + Data(repeating: UInt8(ascii: "a"), count: 3 << 20) + Data("\"}\n".utf8))
        data.append(Data([0xFF, 0xFE, 0x00, 0x01, 0x7B, 0x0A]))
        data.append(Data((fixtures[1].line + "\n").utf8))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).jsonl")
        try data.write(to: file)
        let run = try Self.run(["evaluate", "--format", "decisions", file.path])
        #expect(run.status == 65)
        let objects = try Self.objects(run.output)
        try #require(objects.count == 4)
        #expect((objects[1]["error"] as? [String: Any])?["message"] as? String == "line is \((3 << 20) + 9) bytes long: at most 1048576 bytes are accepted")
        #expect((objects[2]["error"] as? [String: Any])?["code"] as? String == "not-text")
        #expect(objects[3]["line"] as? Int == 4)
    }

    /// The decisions writer escapes strings exactly as JSONValue does.
    @Test func bytesWriterMatchesJSONValue() {
        for text in ["plain", "quote \" backslash \\ slash /", "\u{0}\u{1}\u{1F}\n\r\t", "é 日本 😀", "\u{7F}\u{85}\u{2028}"] {
            var writer = JSONBytes()
            writer.string(text)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == JSONValue.string(text).rendered(pretty: false))
        }
    }
}
