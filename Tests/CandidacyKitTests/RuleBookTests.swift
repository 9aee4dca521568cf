import Foundation
import Testing
@testable import CandidacyKit

/// The rule book (`candidacy doc`): content, escaping, determinism, and the committed
/// `docs/RULEBOOK.md` of the shipped pack.
@Suite struct RuleBookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let therapy = """
        therapy: t
        title: Test | therapy
        version: 1.0.0
        review_by: 2027-01-31
        summary: >
          - A summary that starts like a list item
          and spans lines.
        parameters:
          washout_days:
            value: 30
            unit: days
            range: [30, 90]
            description: Days since a steroid injection.
            refs: [ref-a]
          unused_threshold: { value: 2.5 }
        references:
          ref-a: { citation: "Author A | B. Title. 2022.", url: "https://example.org/a_b", grade: "1b" }
          ref-b: { citation: "Guideline B 2019.", url: "PMID 123", grade: conditional }
        positions:
          - { diagnosis: knee_osteoarthritis, source: Guideline B 2019, stance: against, position: do not use, grade: conditional, ref: ref-b }
          - { diagnosis: patellar_tendinopathy, source: Author A, stance: uncertain, position: "insufficient | evidence", ref: ref-a }
        rules:
          - id: t-pregnancy
            kind: exclude
            title: Pregnancy
            when: pregnant
            reason: Absolute contraindication.
            evidence: { level: 5, direction: against, refs: [ref-a] }
          - id: t-care
            kind: require
            title: Care tried
            when:
              all:
                - age >= 18
                - any:
                    - conservative_care.exists(c, c.weeks >= 6)
                    - not: labs.platelet_count < 150
                - |
                  injections.all(i,
                    days_since(i.date) >= params.washout_days)
          - { id: t-pipe, kind: caution, points: -1, title: "Or | bar", when: active_infection || pregnant }
          - { id: t-chronic, kind: score, points: 2, title: Chronic, when: symptom_weeks >= 12 }
        tiers: { recommended: 4, consider: 2 }
        """

    static func render() throws -> String {
        RuleBookRenderer().render(try TestPack.compile(therapy))
    }

    @Test func containsEveryRuleParameterReferenceAndPosition() throws {
        let book = try Self.render()
        for id in ["t-pregnancy", "t-care", "t-pipe", "t-chronic"] {
            #expect(book.contains("#### `\(id)`"), "rule \(id)")
        }
        #expect(book.contains("| `params.washout_days` | `30` | days | 30–90 | Days since a steroid injection. | `ref-a` |"))
        #expect(book.contains("| `params.unused_threshold` | `2.5` |"))
        #expect(book.contains("| `ref-a` | Author A \\| B. Title. 2022. | <https://example.org/a_b> | 1b |"))
        #expect(book.contains("| `ref-b` | Guideline B 2019. | PMID 123 | conditional |"))
        #expect(book.contains("| `knee_osteoarthritis` | Guideline B 2019 | against | do not use | conditional | `ref-b` |"))
        #expect(book.contains("| `patellar_tendinopathy` | Author A | uncertain | insufficient \\| evidence | | `ref-a` |"))
        #expect(book.contains("Rule pack `sha256:"))
        #expect(book.contains("*Decision support only: this does not replace clinical judgement.*"))
        #expect(book.contains("**Tiers:** `recommended` from score 4, `consider` from 2"))
        #expect(book.contains("- Review by: 2027-01-31"))
    }

    @Test func rulesAreGroupedByKindWithTheirEvidence() throws {
        let book = try Self.render()
        let headings = ["### Exclusions", "### Requirements", "### Cautions", "### Scoring", "### Parameters",
                        "### Guideline positions", "### References"]
        let offsets = try headings.map { try #require(book.range(of: $0), "\($0)").lowerBound }
        #expect(offsets == offsets.sorted())
        #expect(book.contains("""
            - Condition: `pregnant`
            - Reason: Absolute contraindication.
            - Evidence: CEBM level 5, against
              - `ref-a`: Author A \\| B. Title. 2022. — grade: 1b — <https://example.org/a_b>
            - Source: `t.yaml:23`
            """))
        #expect(book.contains("#### `t-chronic`: Chronic\n\n- Points: +2\n- Condition: `symptom_weeks >= 12`"))
        #expect(book.contains("#### `t-pipe`: Or \\| bar\n\n- Points: -1\n- Condition: `active_infection || pregnant`"))
    }

    @Test func compoundConditionsAreNestedLists() throws {
        #expect(try Self.render().contains("""
            - Condition: all of:
              - `age >= 18`
              - any of:
                - `conservative_care.exists(c, c.weeks >= 6)`
                - not:
                  - `labs.platelet_count < 150`
              -
                ```cel
                injections.all(i,
                  days_since(i.date) >= params.washout_days)
                ```
            """))
    }

    @Test func profileAndFieldsRead() throws {
        let book = try Self.render()
        #expect(book.contains("| `age` | int | years | 0–120 | | |"))
        #expect(book.contains("| `labs.platelet_count` | number | | 0–2000 | | |"))
        #expect(book.contains("| `conservative_care[].treatment` | enum | | | `physical_therapy`, `home_exercise`, `nsaids` | |"))
        #expect(book.contains("| Field | `t` |"))
        #expect(book.contains("| `labs` | ✓ |"))
        #expect(book.contains("| `bmi` | |"))
        #expect(book.contains("- `t` uses `params.washout_days`."))
    }

    @Test func markdownIsEscaped() throws {
        let book = try Self.render()
        #expect(book.contains("## Test \\| therapy"))
        #expect(book.contains("\n\\- A summary that starts like a list item and spans lines.\n"))
        #expect(MarkdownText.code("a `b` c") == "``a `b` c``")
        #expect(MarkdownText.code("`x`") == "`` `x` ``")
        #expect(MarkdownText.code("a | b", inTable: true) == "`a \\| b`")
        #expect(MarkdownText.inline("*a* _b_ [c](d) <e> #f ~g~ &amp; & x") == "\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\#f \\~g\\~ \\&amp; & x")
        #expect(MarkdownText.paragraph("1. first") == "1\\. first")
        #expect(MarkdownText.codeBlock("a ``` b", language: "cel", indent: "") == ["````cel", "a ``` b", "````"])
        for line in book.split(separator: "\n") where line.hasPrefix("|") {
            #expect(!line.contains("\n") && line.hasSuffix("|"))
        }
        #expect(!book.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.hasSuffix(" ") },
                "no trailing spaces")
    }

    @Test func outputIsDeterministicAndIndependentOfTheFolder() throws {
        let first = try Self.render()
        #expect(try Self.render() == first)
        let elsewhere = try RulePackLoader.load(files: [
            PackFile(path: "profile.yaml", contents: Array(TestPack.profile.utf8)),
            PackFile(path: "t.yaml", contents: Array(Self.therapy.utf8)),
        ], path: "/some/other/folder")
        #expect(RuleBookRenderer().render(try CompiledPack(elsewhere)) == first)
    }

    /// `docs/RULEBOOK.md` is the rule book of `Rules/`: whoever changes one regenerates the other.
    @Test func committedRuleBookMatchesTheRulesFolder() throws {
        let rules = Self.root.appendingPathComponent("Rules").path
        let rendered = RuleBookRenderer().render(try CompiledPack(try RulePackLoader.load(directory: rules)))
        let committed = try? String(contentsOf: Self.root.appendingPathComponent("docs/RULEBOOK.md"), encoding: .utf8)
        #expect(committed == rendered,
                "docs/RULEBOOK.md is out of date: run `swift run candidacy doc --rules Rules > docs/RULEBOOK.md`")
    }

    /// The committed rule book names every rule, parameter, reference and guideline source of the shipped pack.
    @Test func committedRuleBookNamesEverything() throws {
        let pack = try RulePackLoader.load(directory: Self.root.appendingPathComponent("Rules").path)
        let book = try String(contentsOf: Self.root.appendingPathComponent("docs/RULEBOOK.md"), encoding: .utf8)
        for therapy in pack.therapies {
            for name in therapy.rules.map(\.id) + therapy.parameters.map(\.name) + therapy.references.map(\.id) {
                #expect(book.contains(name), "docs/RULEBOOK.md does not name \(name)")
            }
            for position in therapy.positions { #expect(book.contains(position.source)) }
        }
    }
}
