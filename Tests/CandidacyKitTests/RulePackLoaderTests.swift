import Foundation
import Testing
@testable import CandidacyKit

/// Rule packs: profile and therapy files, cross-checks, expression locations.
@Suite struct RulePackLoaderTests {
    private func errors(_ therapy: String) -> [String] { LoadingSupport.therapyErrors(therapy) }

    /// A therapy file with one rule whose body is `rule` (indented under `- `).
    private func ruleErrors(_ rule: String) -> [String] {
        errors(
            """
            therapy: t
            title: T
            version: "1"
            references: { r1: {} }
            rules:
              - \(rule.replacingOccurrences(of: "\n", with: "\n    "))
            tiers: { recommended: 2, consider: 1 }
            """)
    }

    @Test func validTherapyLoads() throws {
        let pack = try LoadingSupport.pack([("t.yaml", LoadingSupport.therapy), ("profile.yaml", LoadingSupport.profile)])
        #expect(pack.files.map(\.path) == ["Rules/profile.yaml", "Rules/t.yaml"])
        #expect(pack.files[1].contents == Array(LoadingSupport.therapy.utf8))
        let therapy = try #require(pack.therapies.first)
        #expect(therapy.id == "eswt")
        #expect(therapy.location == SourceLocation(file: "Rules/t.yaml", line: 1, column: 1))
        #expect(therapy.rules.map(\.id) == ["eswt-pregnancy"])
        #expect(therapy.rules[0].kind == .exclude)
        #expect(therapy.rules[0].evidence?.refs == ["pmr-2022"])
        #expect(pack.profile.field(atPath: ["labs", "platelet_count"])?.maximum == 2000)
    }

    /// A pack loaded beside an already loaded profile is the pack `load(files:path:)` gives,
    /// and its therapy files are still checked (an error is reported the same way).
    @Test func loadingBesideALoadedProfileGivesTheSamePack() throws {
        let files = [
            PackFile(path: "profile.yaml", contents: Array(LoadingSupport.profile.utf8)),
            PackFile(path: "t.yaml", contents: Array(LoadingSupport.therapy.utf8)),
        ]
        let whole = try RulePackLoader.load(files: files, path: "Rules")
        let beside = try RulePackLoader.load(files: files, path: "Rules", profile: whole.profile)
        #expect(beside == whole)
        let broken = [files[0], PackFile(path: "t.yaml", contents: Array("therapy: t\ntitel: T\n".utf8))]
        let expected = #expect(throws: DiagnosticError.self) { try RulePackLoader.load(files: broken, path: "Rules") }
        let actual = #expect(throws: DiagnosticError.self) {
            try RulePackLoader.load(files: broken, path: "Rules", profile: whole.profile)
        }
        #expect(actual?.diagnostics == expected?.diagnostics)
        #expect(actual?.diagnostics.isEmpty == false)
    }

    @Test func unknownKeysSuggestTheNearest() {
        #expect(ruleErrors("id: a\nkind: score\npoints: 1\ntitel: A\nwhen: x") == [
            "Rules/t.yaml:6:5: error: rule is missing required key 'title'",
            "Rules/t.yaml:9:5: error: unknown key 'titel' in rule; did you mean 'title'?",
        ])
        #expect(LoadingSupport.profileErrors("schema_version: 1\nfeilds: {}\n") == [
            "Rules/profile.yaml:1:1: error: profile is missing required key 'fields'",
            "Rules/profile.yaml:2:1: error: unknown key 'feilds' in profile; did you mean 'fields'?",
        ])
        #expect(errors(LoadingSupport.therapy + "\nguidelines: {}\n") == [
            "Rules/t.yaml:13:1: error: unknown key 'guidelines' in therapy file; expected one of therapy, title, version, "
                + "review_by, summary, parameters, references, rules, tiers, positions, program"
        ])
    }

    @Test func missingKeys() {
        #expect(ruleErrors("id: a\nkind: exclude\ntitle: A") == ["Rules/t.yaml:6:5: error: rule is missing required key 'when'"])
        #expect(ruleErrors("id: a\nkind: score\ntitle: A\nwhen: x") == [
            "Rules/t.yaml:6:5: error: rule is missing required key 'points'"
        ])
    }

    @Test func enumKeywordsSuggestTheNearest() {
        #expect(ruleErrors("id: a\nkind: exlude\ntitle: A\nwhen: x") == [
            "Rules/t.yaml:7:11: error: unknown kind 'exlude'; expected one of exclude, caution, require, score; "
                + "did you mean 'exclude'?"
        ])
        #expect(LoadingSupport.profileErrors("schema_version: 1\nfields:\n  age: { type: integer }\n") == [
            "Rules/profile.yaml:3:16: error: unknown type 'integer'; expected one of int, number, bool, string, date, "
                + "enum, list, object"
        ])
        #expect(LoadingSupport.profileErrors("schema_version: 1\nfields:\n  age: { type: strng }\n") == [
            "Rules/profile.yaml:3:16: error: unknown type 'strng'; expected one of int, number, bool, string, date, "
                + "enum, list, object; did you mean 'string'?"
        ])
    }

    @Test func wrongTypes() {
        #expect(ruleErrors("id: a\nkind: score\ntitle: A\nwhen: x\npoints: abc") == [
            "Rules/t.yaml:10:13: error: expected an int, found string \"abc\""
        ])
        #expect(ruleErrors("id: a\nkind: score\ntitle: A\nwhen: x\npoints: \"3\"") == [
            "Rules/t.yaml:10:13: error: expected an int, found string \"3\""
        ])
        #expect(LoadingSupport.profileErrors("schema_version: \"1\"\nfields: { a: { type: int } }\n") == [
            "Rules/profile.yaml:1:17: error: expected an int, found string \"1\""
        ])
        #expect(LoadingSupport.profileErrors("schema_version: 2\nfields: { a: { type: int } }\n") == [
            "Rules/profile.yaml:1:17: error: unsupported schema_version 2: expected 1"
        ])
    }

    @Test func profileFieldSpecs() {
        let text = """
            schema_version: 1
            fields:
              Age: { type: int }
              sex: { type: enum }
              kl: { type: int, min: 4, max: 0 }
              flag: { type: bool, values: [a] }
              tags: { type: list }
              dx: { type: enum, values: [a, b, a] }
            """
        #expect(LoadingSupport.profileErrors(text) == [
            "Rules/profile.yaml:3:3: error: invalid field name 'Age': expected lowercase letters, digits and _, "
                + "starting with a letter or _",
            "Rules/profile.yaml:4:8: error: field 'sex' is missing required key 'values'",
            "Rules/profile.yaml:5:20: error: min 4 is greater than max 0",
            "Rules/profile.yaml:6:23: error: 'values' is only allowed for type enum, not for type bool",
            "Rules/profile.yaml:7:9: error: field 'tags' is missing required key 'of'",
            "Rules/profile.yaml:8:36: error: duplicate value 'a': already listed at 8:30",
        ])
    }

    @Test func duplicateRuleIDsAcrossThePack() throws {
        let other = LoadingSupport.therapy.replacingOccurrences(of: "therapy: eswt", with: "therapy: prp")
        #expect(throws: DiagnosticError.self) {
            _ = try LoadingSupport.pack([("profile.yaml", LoadingSupport.profile), ("a.yaml", LoadingSupport.therapy), ("b.yaml", other)])
        }
        do {
            _ = try LoadingSupport.pack([
                ("profile.yaml", LoadingSupport.profile), ("a.yaml", LoadingSupport.therapy),
                ("b.yaml", other), ("c.yaml", LoadingSupport.therapy),
            ])
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "Rules/b.yaml:7:5: error: duplicate rule id 'eswt-pregnancy': already declared at Rules/a.yaml:7:5",
                "Rules/c.yaml:1:1: error: duplicate therapy id 'eswt': already declared at Rules/a.yaml:1:1",
                "Rules/c.yaml:7:5: error: duplicate rule id 'eswt-pregnancy': already declared at Rules/a.yaml:7:5",
            ])
        }
    }

    @Test func unknownRefs() {
        let text = LoadingSupport.therapy.replacingOccurrences(of: "refs: [pmr-2022]", with: "refs: [pmr-2021]")
        #expect(errors(text) == [
            "Rules/t.yaml:11:54: error: unknown reference 'pmr-2021': not declared under references in this file; "
                + "did you mean 'pmr-2022'?"
        ])
    }

    @Test func pointsOnAnExcludeRule() {
        #expect(ruleErrors("id: a\nkind: exclude\ntitle: A\nwhen: x\npoints: 2") == [
            "Rules/t.yaml:10:5: error: points are not allowed on an exclude rule: only score and caution rules have points"
        ])
    }

    @Test func evidenceLevelOutOfRange() {
        #expect(ruleErrors("id: a\nkind: exclude\ntitle: A\nwhen: x\nevidence: { level: 7, direction: for }") == [
            "Rules/t.yaml:10:24: error: evidence level 7 is out of range: expected 1 to 5 (Oxford CEBM 2011)"
        ])
    }

    @Test(arguments: [
        ("{}", "Rules/t.yaml:9:11: error: expected a condition (an expression, or a mapping with one key: all, any or not), found an empty mapping"),
        ("{ al: [x] }", "Rules/t.yaml:9:13: error: unknown condition 'al'; expected one of all, any, not; did you mean 'all'?"),
        ("{ all: [x], any: [y] }", "Rules/t.yaml:9:11: error: a condition mapping has exactly one key (all, any or not), found 2: all, any"),
        ("{ all: [] }", "Rules/t.yaml:9:18: error: 'all' needs at least one condition, found an empty list"),
        ("{ any: x }", "Rules/t.yaml:9:18: error: 'any' takes a list of conditions, found string \"x\""),
        ("[x]", "Rules/t.yaml:9:11: error: expected a condition (an expression, or a mapping with one key: all, any or not), found a list"),
        ("", "Rules/t.yaml:9:10: error: expected a condition (an expression, or a mapping with one key: all, any or not), found null"),
    ])
    func badWhen(_ when: String, _ expected: String) {
        #expect(ruleErrors("id: a\nkind: exclude\ntitle: A\nwhen: \(when)") == [expected])
    }

    @Test func nestedConditions() throws {
        let text = """
            therapy: t
            title: T
            version: "1"
            rules:
              - id: a
                kind: require
                title: A
                when:
                  all:
                    - age >= 18
                    - not: pregnant
                    - any: [bmi < 30, "diagnosis == 'other'"]
            tiers: { recommended: 2, consider: 1 }
            """
        let pack = try LoadingSupport.pack([("profile.yaml", LoadingSupport.profile), ("t.yaml", text)])
        guard case .all(let items, let location) = try #require(pack.therapies.first?.rules.first?.when) else {
            Issue.record("expected all")
            return
        }
        #expect(location == SourceLocation(file: "Rules/t.yaml", line: 9, column: 7))
        #expect(items.count == 3)
        guard case .any(let anyItems, _) = items[2], case .expression(let quoted) = anyItems[1] else {
            Issue.record("expected any")
            return
        }
        #expect(quoted.text == "diagnosis == 'other'")
        #expect(quoted.location == SourceLocation(file: "Rules/t.yaml", line: 12, column: 28))
    }

    @Test func folderLoading() throws {
        let folder = try #require(Bundle.module.resourceURL?.appendingPathComponent("Data/Loading/pack").path)
        let pack = try RulePackLoader.load(directory: folder)
        #expect(pack.files.map { ($0.path as NSString).lastPathComponent } == ["profile.yaml", "eswt.yaml", "prp.yml"])
        #expect(pack.therapies.map(\.id) == ["eswt", "prp"])
        let eswt = pack.therapies[0]
        #expect(eswt.reviewBy == CivilDate(year: 2027, month: 6, day: 30))
        #expect(eswt.parameters.first?.value == .int(30))
        #expect(eswt.parameters.first?.range == 30...90)
        #expect(eswt.parameters.last?.value == .double(1.5))
        #expect(eswt.rules.map(\.kind) == [.exclude, .require, .score, .caution])
        #expect(eswt.rules[3].points == -1)
        #expect(eswt.tiers.recommended == 6)
        #expect(eswt.rules[0].location.file == folder + "/eswt.yaml")
    }

    @Test func missingFolderOrProfileIsUnreadable() {
        #expect {
            _ = try RulePackLoader.load(directory: "/nonexistent-pack")
        } throws: { error in
            (error as? DiagnosticError)?.kind == .unreadable
                && (error as? DiagnosticError)?.description
                    == "/nonexistent-pack:1:1: error: cannot read the rule pack: no such folder"
        }
        #expect {
            _ = try LoadingSupport.pack([("t.yaml", LoadingSupport.therapy)])
        } throws: { error in
            (error as? DiagnosticError)?.kind == .unreadable
                && (error as? DiagnosticError)?.description
                    == "Rules/profile.yaml:1:1: error: cannot read the file: no such file (a rule pack needs a profile.yaml)"
        }
    }

    @Test func errorsFromSeveralFilesComeTogether() {
        do {
            _ = try LoadingSupport.pack([
                ("profile.yaml", "schema_version: 1\nfields: { a: { type: int } }\nextra: 1\n"),
                ("t.yaml", "therapy: T\n"),
            ])
            Issue.record("expected errors")
        } catch {
            #expect(error.kind == .invalid)
            #expect(error.diagnostics.map(\.description) == [
                "Rules/profile.yaml:3:1: error: unknown key 'extra' in profile; expected one of schema_version, fields, lint",
                "Rules/t.yaml:1:1: error: therapy file is missing required key 'rules'",
                "Rules/t.yaml:1:1: error: therapy file is missing required key 'tiers'",
                "Rules/t.yaml:1:1: error: therapy file is missing required key 'title'",
                "Rules/t.yaml:1:1: error: therapy file is missing required key 'version'",
                "Rules/t.yaml:1:10: error: invalid therapy id 'T': expected lowercase letters, digits and -, starting with a letter or digit",
            ])
        }
    }
}
