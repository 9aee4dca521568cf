import Foundation
import Testing
@testable import CandidacyKit

/// Runs the in-scope files of the CEL project's conformance suite, carried in
/// `Data/cel-conformance/` with its licence, so that a fresh clone tests itself.
@Suite struct CELConformanceTests {
    static let files = [
        "basic", "comparisons", "logic", "macros", "macros2", "lists", "integer_math", "fp_math", "string", "plumbing", "parse",
    ]

    /// Why a test is skipped: it needs a feature outside the subset.
    enum SkipCategory: String, CaseIterable {
        case uint
        case bytes
        case protobuf = "protobuf messages"
        case typesAndDyn = "type()/dyn and type literals"
        case timestamps = "timestamps and durations"
        case optionals
        case containers
    }

    static var suitePath: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Data/cel-conformance/simple-tests.json")
    }

    @Test func conformance() throws {
        let data = try Data(contentsOf: CELConformanceTests.suitePath)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var passed = 0
        var failed = 0
        var skipped: [SkipCategory: Int] = [:]
        for file in CELConformanceTests.files {
            let suite = try #require(root[file] as? [String: Any], "missing file \(file)")
            for section in suite["section"] as? [[String: Any]] ?? [] {
                for test in section["test"] as? [[String: Any]] ?? [] {
                    let name = "\(file)/\(section["name"] as? String ?? "")/\(test["name"] as? String ?? "")"
                    if let category = CELConformanceTests.skipCategory(test) {
                        skipped[category, default: 0] += 1
                        continue
                    }
                    if let failure = CELConformanceTests.run(test) {
                        failed += 1
                        Issue.record("\(name): \(failure)")
                    } else {
                        passed += 1
                    }
                }
            }
        }
        let skippedTotal = skipped.values.reduce(0, +)
        print("CEL conformance: \(passed) passed, \(skippedTotal) skipped, \(failed) failed")
        for category in SkipCategory.allCases {
            print("  skipped (\(category.rawValue)): \(skipped[category] ?? 0)")
        }
        #expect(failed == 0)
        #expect(passed >= 550)
    }

    // MARK: Skipping

    static func skipCategory(_ test: [String: Any]) -> SkipCategory? {
        let expr = test["expr"] as? String ?? ""
        let json = (try? JSONSerialization.data(withJSONObject: test.filter { $0.key != "expr" && $0.key != "name" && $0.key != "description" }))
            .flatMap { String(data: $0, encoding: .utf8) } ?? ""
        func matches(_ pattern: String, _ text: String) -> Bool {
            text.range(of: pattern, options: .regularExpression) != nil
        }
        if matches("TestAllTypes|google\\.protobuf|object_value|message_type|\"enum\"", expr + json) { return .protobuf }
        // The parser itself tells uint and bytes literals apart from look-alikes inside strings.
        do {
            _ = try ExpressionParser.parse(expr)
        } catch {
            if error.message.contains("unsigned") { return .uint }
            if error.message.contains("bytes") { return .bytes }
        }
        if matches("\\buint\\(", expr) || matches("uint64_value|UINT64", json) { return .uint }
        if matches("\\bbytes\\(", expr) || matches("bytes_value|BYTES", json) { return .bytes }
        if matches("timestamp|duration", expr) || matches("timestamp_value|duration_value|TIMESTAMP|DURATION", json) {
            return .timestamps
        }
        if matches("\\?\\.|\\[\\?|\\{\\?|optional", expr) || matches("optional", json) { return .optionals }
        if matches("\\b(dyn|type)\\(|\\btype\\b", expr) || matches("type_value|\"dyn\"|well_known|abstract_type|type_param|\"function\"", json) {
            return .typesAndDyn
        }
        if test["container"] != nil { return .containers }
        return nil
    }

    // MARK: Running

    /// Runs one test: `nil` when it passes, else what went wrong.
    static func run(_ test: [String: Any]) -> String? {
        let expr = test["expr"] as? String ?? ""
        var variables: [String: Value] = [:]
        for (name, binding) in test["bindings"] as? [String: Any] ?? [:] {
            guard let json = (binding as? [String: Any])?["value"], let converted = value(fromJSON: json) else {
                return "cannot read binding \(name)"
            }
            variables[name] = converted
        }
        let compiled: CompiledExpression
        do {
            if test["disable_check"] as? Bool == true {
                compiled = try CompiledExpression(parsingOnly: expr)
            } else {
                var declared: [(name: String, type: CELType)] = []
                for entry in test["type_env"] as? [[String: Any]] ?? [] {
                    guard let name = entry["name"] as? String,
                          let type = celType(fromJSON: (entry["ident"] as? [String: Any])?["type"])
                    else { return "unsupported type_env \(entry)" }
                    declared.append((name, type))
                }
                compiled = try CompiledExpression(expr, environment: TypeEnvironment(variables: declared), expecting: nil)
            }
        } catch {
            return test["eval_error"] != nil ? nil : "compile failed: \(error)"
        }
        let result = compiled.evaluate(Activation(variables: variables))
        if test["eval_error"] != nil {
            if case .error = result { return nil }
            return "expected an error, got \(result)"
        }
        guard let expectedJSON = test["value"], let expected = value(fromJSON: expectedJSON) else {
            return "cannot read the expected value"
        }
        guard case .value(let actual) = result, strictlyEqual(actual, expected) else {
            return "expected \(expected), got \(result)"
        }
        return nil
    }

    static func value(fromJSON json: Any) -> Value? {
        guard let object = json as? [String: Any], let (kind, payload) = object.first else { return nil }
        switch kind {
        case "int64_value":
            if let text = payload as? String { return Int64(text).map(Value.int) }
            return (payload as? NSNumber).map { .int($0.int64Value) }
        case "double_value":
            if let text = payload as? String {
                switch text {
                case "Infinity": return .double(.infinity)
                case "-Infinity": return .double(-.infinity)
                case "NaN": return .double(.nan)
                default: return Double(text).map(Value.double)
                }
            }
            return (payload as? NSNumber).map { .double($0.doubleValue) }
        case "string_value": return (payload as? String).map(Value.string)
        case "bool_value": return (payload as? Bool).map(Value.bool)
        case "null_value": return .null
        case "list_value":
            var items: [Value] = []
            for item in (payload as? [String: Any])?["values"] as? [Any] ?? [] {
                guard let converted = value(fromJSON: item) else { return nil }
                items.append(converted)
            }
            return .list(items)
        case "map_value":
            var entries: [MapEntry] = []
            for entry in (payload as? [String: Any])?["entries"] as? [[String: Any]] ?? [] {
                guard let key = entry["key"].flatMap(value(fromJSON:)), let value = entry["value"].flatMap(value(fromJSON:)) else {
                    return nil
                }
                entries.append(MapEntry(key: key, value: value))
            }
            return .map(entries)
        default:
            return nil
        }
    }

    static func celType(fromJSON json: Any?) -> CELType? {
        guard let object = json as? [String: Any], let (kind, payload) = object.first else { return nil }
        switch kind {
        case "primitive":
            switch payload as? String {
            case "INT64": return .int
            case "DOUBLE": return .double
            case "BOOL": return .bool
            case "STRING": return .string
            default: return nil
            }
        case "null": return .null
        case "dyn": return .dyn
        case "list_type": return celType(fromJSON: (payload as? [String: Any])?["elem_type"]).map(CELType.list)
        case "map_type":
            let map = payload as? [String: Any]
            guard let key = celType(fromJSON: map?["key_type"]), let value = celType(fromJSON: map?["value_type"]) else { return nil }
            return .map(key, value)
        default: return nil
        }
    }

    /// Equality of result values that also tells ints from doubles and treats NaN as equal to NaN.
    static func strictlyEqual(_ lhs: Value, _ rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.double(let a), .double(let b)): return (a.isNaN && b.isNaN) || (a == b && a.sign == b.sign)
        case (.int(let a), .int(let b)): return a == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { strictlyEqual($0, $1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { entry in
                b.contains { strictlyEqual($0.key, entry.key) && strictlyEqual($0.value, entry.value) }
            }
        case (.int, _), (.double, _), (.list, _), (.map, _): return false
        default: return lhs.celEquals(rhs)
        }
    }
}
