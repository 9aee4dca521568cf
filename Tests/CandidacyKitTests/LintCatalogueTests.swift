import Foundation
import Testing
@testable import CandidacyKit

/// The lint catalogue: every check's examples, the catalogue's shape, docs/LINT.md, the shipped pack.
@Suite struct LintCatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func lint(_ example: LintExample) throws -> LintReport {
        try Linter().lint(files: example.files, path: "", asOf: example.asOf)
    }

    /// SwiftLint's pattern: each check's triggering examples produce a finding of that check, and
    /// its non-triggering examples none.
    @Test(arguments: LintCatalogue.ids)
    func examplesBehaveAsDocumented(_ id: String) throws {
        let check = try #require(LintCatalogue.check(id))
        #expect(!check.description.triggeringExamples.isEmpty)
        #expect(!check.description.nonTriggeringExamples.isEmpty)
        for (index, example) in check.description.triggeringExamples.enumerated() {
            let found = try Self.lint(example).findings.filter { $0.code == id }
            #expect(!found.isEmpty, "triggering example \(index + 1) of \(id) found nothing")
            #expect(found.allSatisfy { $0.severity == check.severity })
        }
        for (index, example) in check.description.nonTriggeringExamples.enumerated() {
            let found = try Self.lint(example).findings.filter { $0.code == id }
            #expect(found.isEmpty, "non-triggering example \(index + 1) of \(id) found \(found.map(\.description))")
        }
    }

    @Test func idsAreUniqueKebabCaseAndDescribed() {
        // The ids written out are the checks' own, in catalogue order.
        #expect(LintCatalogue.ids == LintCatalogue.checks.map(\.id))
        #expect(Set(LintCatalogue.ids).count == LintCatalogue.ids.count)
        for check in LintCatalogue.checks {
            #expect(check.id.allSatisfy { $0 == "-" || ("a"..."z").contains($0) }, "\(check.id)")
            #expect(!check.description.summary.isEmpty && !check.description.summary.contains("\n"))
            #expect(!check.description.rationale.isEmpty)
        }
        for id in LintCatalogue.loadEnforcedIDs {
            #expect(LintCatalogue.check(id)?.description.enforcedAtLoad == true, "\(id)")
        }
        #expect(LintCatalogue.checks.filter(\.description.enforcedAtLoad).count == LintCatalogue.loadEnforcedIDs.count)
    }

    /// `docs/LINT.md` is what the catalogue renders to.
    @Test func committedLintDocumentIsCurrent() throws {
        let committed = try? String(contentsOf: Self.root.appendingPathComponent("docs/LINT.md"), encoding: .utf8)
        #expect(committed == LintCatalogueRenderer().markdown(),
                "docs/LINT.md is out of date: run `swift run candidacy lint --list --format markdown > docs/LINT.md`")
    }

    @Test func lintDocumentNamesEveryCheckWithItsFindings() {
        let markdown = LintCatalogueRenderer().markdown()
        for check in LintCatalogue.checks {
            #expect(markdown.contains("\n## \(check.id)\n"))
            #expect(markdown.contains("[\(check.id)]\n"), "the findings on \(check.id)'s examples are shown")
        }
    }

    /// `candidacy lint --strict Rules` passes: no finding, only the switch-offs the pack gives reasons for.
    @Test func shippedPackIsClean() throws {
        let report = try Linter().lint(directory: Self.root.appendingPathComponent("Rules").path, asOf: CivilDate(year: 2026, month: 1, day: 1)!)
        #expect(report.findings.map(\.description) == [])
        #expect(!report.fails(strict: true))
        #expect(report.disabled.allSatisfy { !$0.reason.isEmpty && !$0.subjects.isEmpty })
        let suppressed = Set(report.suppressed.map { "\($0.finding.code) \($0.finding.subject ?? "")" })
        #expect(suppressed.contains("unreachable-tier stem-cell"))
        // Every profile field is read by a rule: none is exempted from unused-profile-field (issue 20).
        #expect(!report.disabled.contains { $0.check == "unused-profile-field" })
        #expect(!suppressed.contains { $0.hasPrefix("unused-profile-field") })
    }

    @Test func findingsAreSortedByLocationThenCheck() throws {
        let report = try Linter().lint(
            directory: Self.root.appendingPathComponent("Tests/CandidacyKitTests/Data/Lint/seeded").path,
            asOf: CivilDate(year: 2026, month: 1, day: 1)!)
        let sorted = report.findings.sorted { ($0.location, $0.code, $0.message) < ($1.location, $1.code, $1.message) }
        #expect(report.findings == sorted)
        #expect(report.errorCount == 5)
        #expect(report.warningCount == 10)
        #expect(report.suppressed.map(\.finding.subject) == ["notes"])
    }

    @Test func reviewOverdueFollowsTheLintDate() throws {
        let example = try #require(ReviewOverdue().description.nonTriggeringExamples.first)
        var later = example
        later.asOf = CivilDate(year: 2026, month: 1, day: 2)!
        #expect(try Self.lint(later).findings.contains { $0.code == "review-overdue" })
        #expect(try !Self.lint(example).findings.contains { $0.code == "review-overdue" })
    }

    // MARK: The lint: block

    static func profileErrors(_ lint: String) -> [String] {
        let profile = LintExample.defaultProfile + lint
        do {
            _ = try RulePackLoader.load(files: [PackFile(path: "profile.yaml", contents: Array(profile.utf8))], path: "")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// A reason is kept without the whitespace at its ends (spaces, tabs, line breaks), and with
    /// all the whitespace inside it.
    @Test(arguments: [
        ("\"  Two  words\\t \"", "Two  words"), ("\"\\n x \\u00A0\"", "x"), ("By design.", "By design."),
        ("\" e\\u0301 \"", "e\u{301}"),
    ])
    func reasonsAreTrimmedAtTheirEnds(_ written: String, _ kept: String) throws {
        let profile = LintExample.defaultProfile + "lint:\n  disable:\n    - { check: unreachable-tier, reason: \(written) }\n"
        let pack = try RulePackLoader.load(files: [PackFile(path: "profile.yaml", contents: Array(profile.utf8))], path: "")
        #expect(pack.profile.lint.disabled.map(\.reason) == [kept])
    }

    @Test func lintBlockNeedsKnownChecksAndReasons() {
        #expect(Self.profileErrors("lint:\n  disable:\n    - { check: unreachable-tiers, reason: x }\n")
            == ["profile.yaml:11:16: error: unknown lint check 'unreachable-tiers'; did you mean 'unreachable-tier'?; `candidacy lint --list` lists the checks"])
        #expect(Self.profileErrors("lint:\n  disable:\n    - { check: unreachable-tier }\n")
            == ["profile.yaml:11:7: error: lint.disable entry is missing required key 'reason'"])
        #expect(Self.profileErrors("lint:\n  disable:\n    - { check: unreachable-tier, reason: \" \" }\n").count == 1)
        #expect(Self.profileErrors("lint:\n  disable:\n    - { check: type-error, reason: x }\n")
            == ["profile.yaml:11:16: error: check 'type-error' cannot be switched off: it is enforced when the pack loads"])
        #expect(Self.profileErrors("lint:\n  disable:\n    - { check: unreachable-tier, for: [], reason: x }\n").count == 1)
        #expect(Self.profileErrors("lint:\n  disabled: []\n").first?.contains("did you mean 'disable'?") == true)
        #expect(Self.profileErrors("lint:\n  disable:\n    - { check: unreachable-tier, for: [t], reason: Why. }\n") == [])
    }

    @Test func switchOffForNamesOnly() throws {
        let therapy = try #require(UnreachableTier().description.triggeringExamples.first).therapies[0]
        func codes(_ lint: String) throws -> [String] {
            try Self.lint(LintExample(therapy, profile: LintExample.defaultProfile + lint)).findings.map(\.code)
        }
        #expect(try codes("").contains("unreachable-tier"))
        #expect(try !codes("lint: { disable: [ { check: unreachable-tier, reason: By design. } ] }\n").contains("unreachable-tier"))
        #expect(try !codes("lint: { disable: [ { check: unreachable-tier, for: [t], reason: By design. } ] }\n").contains("unreachable-tier"))
        #expect(try codes("lint: { disable: [ { check: unreachable-tier, for: [other], reason: By design. } ] }\n").contains("unreachable-tier"))
    }

    @Test func loadErrorsKeepTheirCheckIDs() throws {
        let tierOrder = try Self.lint(try #require(TierOrder().description.triggeringExamples.first))
        #expect(tierOrder.findings.map(\.code) == ["tier-order"])
        let broken = try Self.lint(try #require(LoadError().description.triggeringExamples.first))
        #expect(broken.findings.map(\.code) == ["load-error"])
        #expect(broken.fails(strict: false))
    }
}
