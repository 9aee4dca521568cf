import Foundation
import Testing

/// The pack the binary carries must be the pack in `Rules/`, byte for byte.
@Suite struct ShippedRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedPackMatchesRulesFolder() throws {
        let source = try String(contentsOf: Self.root.appendingPathComponent("Sources/candidacy/ShippedRules.swift"), encoding: .utf8)
        var embedded: [String: Data] = [:]
        for line in source.split(separator: "\n") where line.hasPrefix("        (\"") {
            let parts = line.split(separator: "\"")
            #expect(parts.count >= 4, "unexpected line in ShippedRules.swift: \(line)")
            guard parts.count >= 4, let data = Data(base64Encoded: String(parts[3])) else { continue }
            embedded[String(parts[1])] = data
        }
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
}
