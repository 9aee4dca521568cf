import Foundation
import Testing
@testable import CandidacyKit

/// The hostile inputs of issue 8 (and docs/LIMITS.md) fed to every loader: each fails cleanly,
/// with an error at a `file:line:column`, never a crash, a hang or exhausted memory.
@Suite struct HostileInputTests {
    /// An input, as bytes, that no loader may accept.
    enum Input: String, CaseIterable, CustomTestStringConvertible {
        case empty
        case binaryGarbage
        case list
        case aliasBomb
        case deepNesting
        case hugeScalar
        case deepParentheses

        var testDescription: String { rawValue }

        var bytes: [UInt8] {
            switch self {
            case .empty:
                return []
            case .binaryGarbage:
                var generator = SplitMix64(seed: 8)
                return (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case .list:
                return Array("- age: 3\n- age: 4\n".utf8)
            case .aliasBomb:
                var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                for (previous, next) in zip("abcdefgh", "bcdefghi") {
                    text += "\(next): &\(next) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
                }
                return Array(text.utf8)
            case .deepNesting:
                return Array((String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)).utf8)
            case .hugeScalar:
                return Array(("id: " + String(repeating: "x", count: 5_000_000) + "\n").utf8)
            case .deepParentheses:
                // Valid YAML whose one value is an expression of 10,000 nested parentheses.
                return Array(("when: '" + String(repeating: "(", count: 10_000) + "true"
                    + String(repeating: ")", count: 10_000) + "'\n").utf8)
            }
        }
    }

    /// A loader of one kind of file, returning its diagnostics (empty when it loads).
    enum Loader: String, CaseIterable, CustomTestStringConvertible {
        case profile, therapy, patient, fixture

        var testDescription: String { rawValue }

        var file: String {
            switch self {
            case .profile: "Rules/profile.yaml"
            case .therapy: "Rules/t.yaml"
            case .patient: "p.yaml"
            case .fixture: "f.yaml"
            }
        }

        func diagnostics(_ bytes: [UInt8]) throws -> [Diagnostic] {
            do {
                switch self {
                case .profile:
                    _ = try RulePackLoader.load(files: [PackFile(path: "profile.yaml", contents: bytes)], path: "Rules")
                case .therapy:
                    _ = try CompiledPack(RulePackLoader.load(
                        files: [
                            PackFile(path: "profile.yaml", contents: Array(LoadingSupport.profile.utf8)),
                            PackFile(path: "t.yaml", contents: bytes),
                        ],
                        path: "Rules"))
                case .patient:
                    _ = try PatientLoader.load(contents: bytes, file: file, profile: LoadingSupport.schema())
                case .fixture:
                    _ = try FixtureLoader.load(contents: bytes, file: file, pack: FixtureTestPack.compile())
                }
                return []
            }
        }
    }

    private func errors(_ loader: Loader, _ bytes: [UInt8]) throws -> [Diagnostic] {
        do {
            return try loader.diagnostics(bytes)
        } catch let error as DiagnosticError {
            #expect(error.kind == .invalid)
            return error.diagnostics
        }
    }

    /// The inputs that run into a limit are fed to every loader by ``limitsNameThemselves(_:_:)``.
    @Test(arguments: [Input.empty, .binaryGarbage, .list, .deepParentheses], Loader.allCases)
    func failsCleanlyWithALocation(_ input: Input, _ loader: Loader) throws {
        let diagnostics = try errors(loader, input.bytes)
        #expect(!diagnostics.isEmpty, "\(input) was accepted by the \(loader) loader")
        for diagnostic in diagnostics {
            #expect(diagnostic.severity == .error)
            #expect(diagnostic.location.file == loader.file)
            #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1)
        }
    }

    /// The limit each input runs into, whichever loader reads it.
    @Test(arguments: [
        (Input.aliasBomb, "alias expansion exceeds 1000000 nodes"),
        (.deepNesting, "lists and mappings nest too deeply: at most 100 levels are accepted"),
        (.hugeScalar, "scalar is 5000000 characters long: at most 65536 are accepted"),
    ])
    func limitsNameThemselves(_ input: Input, _ message: String) throws {
        let bytes = input.bytes
        for loader in Loader.allCases {
            let diagnostics = try errors(loader, bytes)
            #expect(diagnostics.map(\.message) == [message], "\(loader)")
            #expect(diagnostics.map(\.location.file) == [loader.file])
        }
    }

    @Test(arguments: [
        // 10,000 parentheses opened: the parser stops at the 129th level.
        (String(repeating: "(", count: 10_000) + "true", "expression nests too deeply: more than 128 levels"),
        // 10,000 balanced pairs: 20,004 characters, past the length limit before parsing.
        (
            String(repeating: "(", count: 10_000) + "true" + String(repeating: ")", count: 10_000),
            "expression is too long: 20004 characters, at most 16384 allowed"
        ),
    ])
    func tenThousandParenthesesInAConditionAreALocatedError(_ condition: String, _ message: String) {
        let therapy = LoadingSupport.therapy.replacingOccurrences(of: "when: pregnant", with: "when: '\(condition)'")
        do {
            let pack = try LoadingSupport.pack([("profile.yaml", LoadingSupport.profile), ("t.yaml", therapy)])
            _ = try CompiledPack(pack)
            Issue.record("compiled")
        } catch {
            #expect(error.diagnostics.map(\.message) == [message])
            #expect(error.diagnostics.first?.location.file == "Rules/t.yaml")
            #expect(error.diagnostics.first?.location.line == 10)
        }
    }

    // MARK: - Error messages in linear time

    @Test func longUnknownKeysDoNotMakeDidYouMeanQuadratic() throws {
        // 40 unknown keys of 60,000 characters: each was compared with every field by edit distance.
        // (Explicit `? key` entries: libyaml limits an implicit key to 1,024 characters.)
        var text = ""
        for index in 0..<40 { text += "? k\(index)" + String(repeating: "x", count: 60_000) + "\n: 1\n" }
        let errors = try LoadingSupport.patientErrors(text)
        #expect(errors.count == 40)
        #expect(errors.first?.hasPrefix("p.yaml:1:3: error: unknown field 'k0xxxx") == true)
    }

    @Test func manyUnknownReferencesAreReportedInLinearTime() {
        // 20,000 references and a rule citing 20,000 others: each citation was looked up in a list.
        var text = "therapy: t\ntitle: T\nversion: 1.0.0\ntiers: { recommended: 2, consider: 1 }\nreferences:\n"
        for index in 0..<20_000 { text += "  ref-\(index): { citation: C }\n" }
        text += "rules:\n  - { id: r, kind: exclude, title: R, when: pregnant, evidence: { level: 5, direction: for, refs: ["
        text += (0..<20_000).map { "other-\($0)" }.joined(separator: ", ") + "] } }\n"
        let errors = LoadingSupport.therapyErrors(text)
        #expect(errors.count == 20_000)
        #expect(errors.first?.contains("unknown reference 'other-0'") == true)
    }

    // MARK: - Files too large to read

    /// A sparse file of `size` bytes in a fresh temporary folder (no disk is written).
    private func sparseFile(named name: String, size: UInt64) throws -> (folder: URL, file: URL) {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("candidacy-hostile-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("id: x\n".utf8)))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: size)
        try handle.close()
        return (folder, file)
    }

    @Test func aHundredMegabyteFileIsRejectedBySizeBeforeItIsRead() throws {
        let size: UInt64 = 100 * 1024 * 1024
        let (folder, file) = try sparseFile(named: "t.yaml", size: size)
        defer { try? FileManager.default.removeItem(at: folder) }
        let message = "file is \(size) bytes: at most 16777216 bytes are accepted"

        #expect {
            _ = try PatientLoader.load(file: file.path, profile: LoadingSupport.schema())
        } throws: { error in
            (error as? DiagnosticError)?.diagnostics.map(\.description) == ["\(file.path):1:1: error: \(message)"]
        }
        #expect {
            _ = try FixtureLoader.load(file: file.path, pack: FixtureTestPack.compile())
        } throws: { error in
            (error as? DiagnosticError)?.diagnostics.map(\.description) == ["\(file.path):1:1: error: \(message)"]
        }
        try Data(LoadingSupport.profile.utf8).write(to: folder.appendingPathComponent("profile.yaml"))
        #expect {
            _ = try RulePackLoader.load(directory: folder.path)
        } throws: { error in
            guard let error = error as? DiagnosticError else { return false }
            return error.kind == .invalid && error.diagnostics.map(\.description) == ["\(file.path):1:1: error: \(message)"]
        }
    }

    // MARK: - Rules per pack

    /// A therapy file `id` of `count` minimal score rules.
    private func therapy(_ id: String, rules count: Int) -> String {
        var text = "therapy: \(id)\ntitle: T\nversion: 1.0.0\ntiers: { recommended: 2, consider: 1 }\nrules:\n"
        text.reserveCapacity(count * 64)
        for index in 0..<count {
            text += "- {id: \(id)-\(index), kind: score, points: 1, title: R, when: age > \(index % 100)}\n"
        }
        return text
    }

    @Test func aHundredThousandRulesInOneFileAreRejectedBeforeTheyAreRead() throws {
        var text = "therapy: big\ntitle: T\nversion: 1.0.0\ntiers: { recommended: 2, consider: 1 }\nrules:\n"
        text.reserveCapacity(100_000 * 32)
        for index in 0..<100_000 {
            text += "- {id: r\(index), kind: exclude, title: R, when: x}\n"
        }
        #expect(LoadingSupport.therapyErrors(text) == [
            "Rules/t.yaml:6:1: error: the file has 100000 rules: a rule pack holds at most 10000"
        ])
    }

    @Test func aHundredThousandRulePackIsRejectedAtTheFirstRulePastTheLimit() throws {
        // Ten files of 10,000 rules: the second file crosses the limit, the rest are not read.
        var files = [("profile.yaml", LoadingSupport.profile)]
        for index in 0..<10 {
            files.append(("t\(index).yaml", therapy("t\(index)", rules: 10_000)))
        }
        #expect {
            _ = try LoadingSupport.pack(files)
        } throws: { error in
            (error as? DiagnosticError)?.diagnostics.map(\.description) == [
                "Rules/t1.yaml:6:3: error: rule 't1-0' is past the pack's limit: a rule pack holds at most 10000 rules"
            ]
        }
    }

    @Test func exactlyTenThousandRulesAreAccepted() throws {
        let pack = try LoadingSupport.pack([
            ("profile.yaml", LoadingSupport.profile), ("a.yaml", therapy("a", rules: 4_000)),
            ("b.yaml", therapy("b", rules: 6_000)),
        ])
        #expect(pack.therapies.map(\.rules.count) == [4_000, 6_000])
        #expect(LoadingLimits.maximumRuleCount == 10_000)
    }
}
