import Foundation
import Testing
@testable import CandidacyKit

/// SARIF 2.1.0 output of a pack with seeded defects: the structure the schema requires and GitHub
/// code scanning reads. (The same output is validated against the OASIS JSON schema in `.ci/run`.)
@Suite struct LintSARIFTests {
    static let seeded = LintCatalogueTests.root.appendingPathComponent("Tests/CandidacyKitTests/Data/Lint/seeded").path

    static func sarif() throws -> [String: Any] {
        let report = try Linter().lint(directory: seeded, asOf: CivilDate(year: 2026, month: 1, day: 1)!)
        let text = LintSARIFReporter().render(report)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func logHasTheRequiredTopLevelStructure() throws {
        let log = try Self.sarif()
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.hasSuffix("sarif-2.1.0.json") == true)
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "candidacy")
        #expect(driver["version"] as? String == CandidacyVersion.current)
        #expect((driver["informationUri"] as? String)?.hasPrefix("https://") == true)
    }

    @Test func everyCheckIsDescribedAsARule() throws {
        let run = try #require((try Self.sarif()["runs"] as? [[String: Any]])?.first)
        let rules = try #require((run["tool"] as? [String: Any]).flatMap { $0["driver"] as? [String: Any] }?["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == LintCatalogue.ids)
        for (rule, check) in zip(rules, LintCatalogue.checks) {
            #expect((rule["shortDescription"] as? [String: Any])?["text"] as? String != nil)
            #expect((rule["fullDescription"] as? [String: Any])?["text"] as? String != nil)
            #expect((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String == check.severity.rawValue)
            #expect((rule["helpUri"] as? String)?.hasSuffix("docs/LINT.md#\(check.id)") == true)
        }
    }

    @Test func resultsPointAtTheirRuleAndRegion() throws {
        let run = try #require((try Self.sarif()["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 16)
        var seen: Set<String> = []
        for result in results {
            let id = try #require(result["ruleId"] as? String)
            seen.insert(id)
            #expect(result["ruleIndex"] as? Int == LintCatalogue.ids.firstIndex(of: id))
            #expect(["error", "warning"].contains(result["level"] as? String))
            #expect(((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            let locations = try #require(result["locations"] as? [[String: Any]])
            let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
            let uri = try #require((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
            #expect(uri.hasPrefix("file:///") && !uri.contains(" "), "absolute paths become file URIs, percent-encoded")
            let region = try #require(physical["region"] as? [String: Any])
            #expect((region["startLine"] as? Int ?? 0) >= 1)
            #expect((region["startColumn"] as? Int ?? 0) >= 1)
        }
        let expected = Set(LintCatalogue.ids).subtracting(["load-error", "type-error", "tier-order", "unknown-diagnosis"])
        #expect(seen == expected, "the seeded pack has a defect for every check a loadable pack can have")
        let suppressed = results.filter { $0["suppressions"] != nil }
        #expect(suppressed.count == 1)
        let suppression = try #require((suppressed.first?["suppressions"] as? [[String: Any]])?.first)
        #expect(suppression["kind"] as? String == "inSource")
        #expect(suppression["justification"] as? String == "Free text kept for the record; no rule reads it.")
    }

    @Test func relativePathsStayRelative() {
        #expect(LintSARIFReporter.uri("Rules/eswt.yaml") == "Rules/eswt.yaml")
        #expect(LintSARIFReporter.uri("a dir/ü.yaml") == "a%20dir/%C3%BC.yaml")
        #expect(LintSARIFReporter.uri("/tmp/x.yaml") == "file:///tmp/x.yaml")
    }

    @Test func outputIsDeterministic() throws {
        let report = try Linter().lint(directory: Self.seeded, asOf: CivilDate(year: 2026, month: 1, day: 1)!)
        for reporter in [LintSARIFReporter(), LintJSONReporter(), LintTextReporter()] as [any LintReporter] {
            #expect(reporter.render(report) == reporter.render(try Linter().lint(directory: Self.seeded, asOf: report.asOf)))
        }
    }
}
