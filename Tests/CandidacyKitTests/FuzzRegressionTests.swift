import Foundation
import Testing
@testable import CandidacyKit

/// Inputs that crashed or hung a fuzz target (Fuzz/, scripts/fuzz.sh), or were built by hand
/// to reach a fault fuzzing pointed at, kept in `Data/FuzzRegressions/<target>/` and fed
/// through the same API as the target: each must give a result or a clean error, never a
/// crash or a hang.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The kept inputs of one target, by file name.
    static func inputs(_ target: String) -> [String] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Data/FuzzRegressions/\(target)"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(target)/\($0)" }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.resourceURL?.appendingPathComponent("Data/FuzzRegressions/\(name)"))
        return [UInt8](try Data(contentsOf: url))
    }

    /// The shipped pack, as the fuzz targets load it.
    static let shipped: CompiledPack? = {
        let folder = root.appendingPathComponent("Rules").path
        return try? CompiledPack(RulePackLoader.load(directory: folder))
    }()

    static let parameters = [
        Parameter(
            name: "washout_days", value: .int(30), unit: "days", range: 30...90, description: nil, refs: [],
            location: SourceLocation(file: "t.yaml", line: 1, column: 1)),
        Parameter(
            name: "min_platelets", value: .double(150), unit: nil, range: nil, description: nil, refs: [],
            location: SourceLocation(file: "t.yaml", line: 2, column: 1)),
    ]

    /// The CEL target: compile against the shipped profile and two parameters, evaluate for
    /// an empty patient, and evaluate unchecked with no variables.
    @Test(arguments: inputs("cel"))
    func cel(_ name: String) throws {
        let pack = try #require(Self.shipped)
        let text = String(decoding: try Self.bytes(name), as: UTF8.self)
        let environment = TypeEnvironment(profile: pack.pack.profile, parameters: Self.parameters)
        if let compiled = try? CompiledExpression(text, environment: environment, expecting: nil) {
            _ = compiled.evaluate(Activation(patient: Record(), parameters: Self.parameters, asOf: nil))
        }
        if let unchecked = try? CompiledExpression(parsingOnly: text) {
            _ = unchecked.evaluate(Activation(variables: ["x": .int(1), "s": .string("a")], asOf: nil))
        }
    }

    /// The kept CEL inputs that hung: each now stops at the step budget, or (for regular
    /// expressions) simply answers, as RE2 would.
    @Test(arguments: [
        ("cel/list-doubling-in-nested-map.cel", "evaluation exceeded 1000000 steps"),
        ("cel/shared-list-equality.cel", "evaluation exceeded 1000000 steps"),
        ("cel/string-doubling-in-nested-exists.cel", "evaluation exceeded 1000000 steps"),
        ("cel/regex-catastrophic-backtracking.cel", "false"),
        ("cel/regex-polynomial-backtracking.cel", "false"),
    ])
    func celHangsAreBounded(_ name: String, _ expected: String) throws {
        let text = String(decoding: try Self.bytes(name), as: UTF8.self)
        let compiled = try CompiledExpression(parsingOnly: text)
        switch compiled.evaluate(Activation()) {
        case .error(let error): #expect(error.message == expected)
        case .value(let value): #expect(value == .bool(expected == "true"))
        case .unknown(let paths): Issue.record("unknown \(paths)")
        }
    }

    /// The therapy target: the shipped profile and the input as `t.yaml`.
    @Test(arguments: inputs("therapy"))
    func therapy(_ name: String) throws {
        let pack = try #require(Self.shipped)
        let profile = try #require(pack.pack.files.first)
        let files = [
            PackFile(path: "profile.yaml", contents: profile.contents), PackFile(path: "t.yaml", contents: try Self.bytes(name)),
        ]
        if let loaded = try? RulePackLoader.load(files: files, path: "Rules"), let compiled = try? CompiledPack(loaded) {
            _ = Evaluator(pack: compiled).evaluate(Patient(file: "p.yaml", record: Record(), locations: [:]))
        }
    }

    /// The profile target: the input as `profile.yaml` alone.
    @Test(arguments: inputs("profile"))
    func profile(_ name: String) throws {
        _ = try? RulePackLoader.load(files: [PackFile(path: "profile.yaml", contents: try Self.bytes(name))], path: "Rules")
    }

    /// The patient target: the first byte chooses the name, the rest is the file.
    @Test(arguments: inputs("patient"))
    func patient(_ name: String) throws {
        let pack = try #require(Self.shipped)
        let bytes = try Self.bytes(name)
        guard let first = bytes.first else { return }
        let file = first & 1 == 0 ? "p.yaml" : "p.json"
        if let patient = try? PatientLoader.load(contents: Array(bytes.dropFirst()), file: file, profile: pack.pack.profile) {
            _ = Evaluator(pack: pack).evaluate(patient)
        }
    }

    /// The fixture target: the input as `f.yaml` against the shipped pack.
    @Test(arguments: inputs("fixture"))
    func fixture(_ name: String) throws {
        let pack = try #require(Self.shipped)
        if let fixture = try? FixtureLoader.load(contents: try Self.bytes(name), file: "f.yaml", pack: pack) {
            _ = FixtureRunner(pack: pack).run(fixture)
        }
    }
}
