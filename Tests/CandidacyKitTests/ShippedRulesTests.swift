import Foundation
import Testing
@testable import CandidacyKit

/// The pack the binary carries must be the pack in `Rules/`, byte for byte.
@Suite struct ShippedRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each carried file's name, bytes and pre-parsed YAML, read from `ShippedRules.swift`.
    static func embedded() throws -> [String: (bytes: Data, preparsed: Data)] {
        let source = try String(contentsOf: Self.root.appendingPathComponent("Sources/candidacy/ShippedRules.swift"), encoding: .utf8)
        var embedded: [String: (bytes: Data, preparsed: Data)] = [:]
        for line in source.split(separator: "\n") where line.hasPrefix("        (\"") {
            let parts = line.split(separator: "\"")
            #expect(parts.count >= 6, "unexpected line in ShippedRules.swift: \(line)")
            guard parts.count >= 6, let data = Data(base64Encoded: String(parts[3])),
                let preparsed = Data(base64Encoded: String(parts[5]))
            else { continue }
            embedded[String(parts[1])] = (data, preparsed)
        }
        return embedded
    }

    @Test func embeddedPackMatchesRulesFolder() throws {
        let embedded = try Self.embedded().mapValues(\.bytes)
        let folder = Self.root.appendingPathComponent("Rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        #expect(!names.isEmpty)
        #expect(embedded.keys.sorted() == names, "run scripts/embed-rules.py after changing Rules/")
        for name in names {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(embedded[name] == bytes, "Rules/\(name) changed: run scripts/embed-rules.py")
        }
    }

    /// The pre-parsed trees are exactly what the YAML loader parses, locations and styles included,
    /// and a pack loaded from them is the same pack.
    @Test func preparsedTreesAreWhatTheLoaderParses() throws {
        let embedded = try Self.embedded()
        #expect(!embedded.isEmpty)
        var files: [PackFile] = []
        for (name, file) in embedded.sorted(by: { $0.key < $1.key }) {
            let path = "Rules/\(name)"
            let parsed = try YAMLFrontEnd.parse(Array(file.bytes), file: path)
            let decoded = try #require(PreparsedYAML.document(Array(file.preparsed), text: Array(file.bytes), file: path))
            let difference = Self.firstDifference(decoded.root, parsed.root)
            #expect(difference == nil, "run scripts/embed-rules.py: the pre-parsed \(name) differs: \(difference ?? "")")
            #expect(decoded.lines == parsed.lines)
            #expect(PreparsedYAML.encode(parsed.root) == Array(file.preparsed))
            files.append(PackFile(path: name, contents: Array(file.bytes), preparsed: Array(file.preparsed)))
        }
        let viaPreparsed = try RulePackLoader.load(files: files, path: "Rules")
        let viaParsing = try RulePackLoader.load(files: files.map { PackFile(path: $0.path, contents: $0.contents) }, path: "Rules")
        #expect(viaPreparsed == viaParsing)
        #expect(try CompiledPack(viaPreparsed).digest == CompiledPack(viaParsing).digest)
    }

    /// The digest carried with the files is what the loaded pack's files hash to, and it is
    /// given only for those very files: a pack with one byte changed, or one file fewer, is hashed.
    @Test func carriedDigestIsTheFilesDigest() throws {
        let source = try String(contentsOf: Self.root.appendingPathComponent("Sources/candidacy/ShippedRules.swift"), encoding: .utf8)
        let line = try #require(source.split(separator: "\n").first { $0.contains("static let digest = ") })
        let carried = String(line.split(separator: "\"")[1])
        let files = try Self.embedded().sorted { $0.key < $1.key }.map { PackFile(path: $0.key, contents: Array($0.value.bytes)) }
        let pack = try RulePackLoader.load(files: files, path: "Rules")
        #expect(PackDigest.digest(of: pack.files) == carried, "run scripts/embed-rules.py")
        let known = PackDigest.Known(files: files, digest: carried)
        #expect(PackDigest.digest(of: pack.files, known: known) == carried)
        #expect(try CompiledPack(pack, knownDigest: known).digest == carried)
        var changed = pack.files
        changed[1].contents[0] ^= 1
        #expect(PackDigest.digest(of: changed, known: known) == PackDigest.digest(of: changed))
        #expect(PackDigest.digest(of: changed, known: known) != carried)
        let fewer = Array(pack.files.dropLast())
        #expect(PackDigest.digest(of: fewer, known: known) == PackDigest.digest(of: fewer))
    }

    /// Where two trees first differ (pre-order), briefly; `nil` when they are equal.
    static func firstDifference(_ lhs: YAMLNode?, _ rhs: YAMLNode?) -> String? {
        guard let lhs, let rhs else { return lhs == nil && rhs == nil ? nil : "one tree is empty" }
        func brief(_ node: YAMLNode) -> String {
            switch node.content {
            case .scalar(let text, let style): "scalar \(style) \(text.prefix(40).debugDescription) at \(node.location)"
            case .sequence(let items): "list of \(items.count) at \(node.location)"
            case .mapping(let pairs): "mapping of \(pairs.count) at \(node.location)"
            }
        }
        switch (lhs.content, rhs.content) {
        case (.sequence(let a), .sequence(let b)) where a.count == b.count && lhs.location == rhs.location:
            for (x, y) in zip(a, b) { if let difference = firstDifference(x, y) { return difference } }
            return nil
        case (.mapping(let a), .mapping(let b)) where a.count == b.count && lhs.location == rhs.location:
            for (x, y) in zip(a, b) {
                if let difference = firstDifference(x.key, y.key) ?? firstDifference(x.value, y.value) { return difference }
            }
            return nil
        default:
            return lhs == rhs ? nil : "\(brief(lhs)) vs \(brief(rhs))"
        }
    }

    /// A malformed archive is ignored: the file is parsed.
    @Test(arguments: [[UInt8]([9]), [2, 1, 1, 200], [0, 1, 1, 0, 50, 65], [2, 1, 1, 1, 0, 1, 1, 0, 1, 65]])
    func malformedArchivesAreIgnored(_ archive: [UInt8]) throws {
        #expect(PreparsedYAML.document(archive, text: Array("a: 1\n".utf8), file: "f.yaml") == nil)
        let file = PackFile(path: "profile.yaml", contents: Array("schema_version: 1\nfields:\n  age: { type: int }\n".utf8), preparsed: archive)
        let pack = try RulePackLoader.load(files: [file], path: "Rules")
        #expect(pack.profile.fields.map(\.name) == ["age"])
    }
}
