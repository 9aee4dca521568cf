import Foundation
import Testing
@testable import CandidacyKit

/// Fixture files (DESIGN.md section 5): what loads, and every error with its location.
@Suite struct FixtureLoaderTests {
    private func errors(_ text: String) throws -> [String] { try FixtureTestPack.errors(text) }
    private func errors(expect lines: String) throws -> [String] {
        try errors(FixtureTestPack.header + "\n" + lines)
    }

    // MARK: - Valid fixtures

    @Test func loadsEveryPartWithLocations() throws {
        let pack = try FixtureTestPack.compile()
        let fixture = try FixtureTestPack.load("""
            description: 28-year-old, patellar tendinopathy
            patient:
              id: case-001
              as_of: 2026-10-02
              diagnosis: patellar_tendinopathy
            expect:
              prp: { score: 2 }
              eswt:
                tier: consider
                score: 3
                because: [eswt-chronic, eswt-tendinopathy]
            """, pack: pack)
        #expect(fixture.file == "f.yaml")
        #expect(fixture.description == "28-year-old, patellar tendinopathy")
        #expect(fixture.patient.id == "case-001")
        #expect(fixture.asOf == CivilDate(year: 2026, month: 10, day: 2))
        #expect(fixture.patient.locations["diagnosis"] == SourceLocation(file: "f.yaml", line: 5, column: 14))
        // File order, not pack order.
        #expect(fixture.expectations.map(\.therapy) == ["prp", "eswt"])
        let prp = fixture.expectations[0]
        #expect(prp.tier == nil && prp.score == 2 && prp.because.isEmpty)
        #expect(prp.location == SourceLocation(file: "f.yaml", line: 7, column: 3))
        #expect(prp.scoreLocation == SourceLocation(file: "f.yaml", line: 7, column: 17))
        let eswt = fixture.expectations[1]
        #expect(eswt.tier == .consider)
        #expect(eswt.score == 3)
        #expect(eswt.because == ["eswt-chronic", "eswt-tendinopathy"])
        #expect(eswt.location == SourceLocation(file: "f.yaml", line: 8, column: 3))
        #expect(eswt.tierLocation == SourceLocation(file: "f.yaml", line: 9, column: 11))
        #expect(eswt.scoreLocation == SourceLocation(file: "f.yaml", line: 10, column: 12))
        #expect(eswt.becauseLocations == [
            SourceLocation(file: "f.yaml", line: 11, column: 15), SourceLocation(file: "f.yaml", line: 11, column: 29),
        ])
    }

    @Test func everyTierIsAccepted() throws {
        let pack = try FixtureTestPack.compile()
        for tier in ["recommended", "consider", "needs-data", "not-recommended", "ineligible", "contraindicated"] {
            let fixture = try FixtureTestPack.load(FixtureTestPack.header + "\n  eswt: { tier: \(tier) }", pack: pack)
            #expect(fixture.expectations.first?.tier?.rawValue == tier)
        }
    }

    @Test func jsonFixtureFromTheDataFolder() throws {
        let folder = try #require(Bundle.module.resourceURL?.appendingPathComponent("Data/Fixtures").path)
        let fixture = try FixtureLoader.load(file: folder + "/case.json", pack: FixtureTestPack.compile())
        #expect(fixture.description == "A JSON case")
        #expect(fixture.patient.id == "case-json")
        #expect(fixture.expectations.map(\.tier) == [.contraindicated])
        #expect(fixture.expectations.first?.because == ["eswt-pregnancy"])
        #expect(fixture.expectations.first?.location == SourceLocation(file: folder + "/case.json", line: 4, column: 15))
    }

    // MARK: - The fixture file

    @Test func unknownTopLevelKeys() throws {
        #expect(try errors("""
            description: A case
            patient: { as_of: 2026-10-02 }
            expct:
              eswt: { tier: consider }
            """) == [
            "f.yaml:1:1: error: fixture is missing required key 'expect'",
            "f.yaml:3:1: error: unknown key 'expct' in fixture; did you mean 'expect'?",
        ])
        #expect(try errors(FixtureTestPack.header + "\n  eswt: { tier: consider }\nnotes: none") == [
            "f.yaml:5:1: error: unknown key 'notes' in fixture; expected one of description, patient, expect"
        ])
    }

    @Test func missingKeys() throws {
        #expect(try errors("expect: { eswt: { tier: consider } }") == [
            "f.yaml:1:1: error: fixture is missing required key 'description'",
            "f.yaml:1:1: error: fixture is missing required key 'patient'",
        ])
        #expect(try errors("") == ["f.yaml:1:1: error: expected a mapping, found an empty document"])
        #expect(try errors("- a list") == ["f.yaml:1:1: error: expected a mapping, found a list"])
    }

    @Test func descriptionMustBeALine() throws {
        #expect(try errors("description:\npatient: { as_of: 2026-10-02 }\nexpect: { eswt: { tier: consider } }") == [
            "f.yaml:1:13: error: description: expected a string, found null"
        ])
        #expect(try errors("description: '  '\npatient: { as_of: 2026-10-02 }\nexpect: { eswt: { tier: consider } }") == [
            "f.yaml:1:14: error: description: expected a line saying what the case is, found an empty string"
        ])
    }

    @Test(arguments: ["expect: {}", "expect:", "expect: ~"])
    func emptyExpect(_ line: String) throws {
        #expect(try errors("description: A case\npatient: { as_of: 2026-10-02 }\n" + line) == [
            "f.yaml:3:1: error: expect is empty: expected at least one therapy id (one of eswt, prp) "
                + "with its expected tier, score or because"
        ])
    }

    @Test func expectMustBeAMapping() throws {
        #expect(try errors("description: A case\npatient: { as_of: 2026-10-02 }\nexpect: [eswt]") == [
            "f.yaml:3:9: error: expect: expected a mapping from therapy ids to expectations, found a list"
        ])
    }

    // MARK: - The patient

    @Test func patientErrorsKeepTheirLocations() throws {
        #expect(try errors("""
            description: A case
            patient:
              as_of: 2026-10-02
              agee: 34
              age: 200
            expect:
              eswt: { tier: consider }
            """) == [
            "f.yaml:4:3: error: unknown field 'agee'; did you mean 'age'?",
            "f.yaml:5:8: error: age 200 is out of range: expected 0 to 120 years",
        ])
    }

    @Test func patientNeedsAsOf() throws {
        #expect(try errors("description: A case\npatient:\n  id: case-1\nexpect: { eswt: { tier: consider } }") == [
            "f.yaml:2:1: error: a fixture needs patient.as_of so that it never depends on today's date"
        ])
        #expect(try errors("description: A case\npatient:\n  as_of:\nexpect: { eswt: { tier: consider } }") == [
            "f.yaml:3:3: error: a fixture needs patient.as_of so that it never depends on today's date"
        ])
        // Reported together with the patient's other errors.
        #expect(try errors("description: A case\npatient: { age: old }\nexpect: { eswt: { tier: consider } }") == [
            "f.yaml:2:1: error: a fixture needs patient.as_of so that it never depends on today's date",
            "f.yaml:2:17: error: age: expected an int, found string \"old\"",
        ])
    }

    @Test func patientMustBeAMapping() throws {
        #expect(try errors("description: A case\npatient: case-1\nexpect: { eswt: { tier: consider } }") == [
            "f.yaml:2:10: error: patient: expected a mapping of patient fields, found string \"case-1\""
        ])
    }

    // MARK: - Expectations

    @Test func unknownTherapy() throws {
        #expect(try errors(expect: "  eswtt: { tier: consider }") == [
            "f.yaml:4:3: error: unknown therapy 'eswtt' in expect; did you mean 'eswt'?"
        ])
        #expect(try errors(expect: "  stem-cell: { tier: consider }") == [
            "f.yaml:4:3: error: unknown therapy 'stem-cell' in expect; expected one of eswt, prp"
        ])
        // The rest of an unknown therapy's expectation is still checked.
        #expect(try errors(expect: "  knee: { tier: best }") == [
            "f.yaml:4:3: error: unknown therapy 'knee' in expect; expected one of eswt, prp",
            "f.yaml:4:17: error: knee.tier: unknown tier 'best'; expected one of recommended, consider, needs-data, "
                + "not-recommended, ineligible, contraindicated",
        ])
    }

    @Test func unknownTier() throws {
        #expect(try errors(expect: "  eswt: { tier: recomended }") == [
            "f.yaml:4:17: error: eswt.tier: unknown tier 'recomended'; expected one of recommended, consider, needs-data, "
                + "not-recommended, ineligible, contraindicated; did you mean 'recommended'?"
        ])
        #expect(try errors(expect: "  eswt: { tier: 3 }") == [
            "f.yaml:4:17: error: eswt.tier: unknown tier '3'; expected one of recommended, consider, needs-data, "
                + "not-recommended, ineligible, contraindicated"
        ])
        #expect(try errors(expect: "  eswt: { tier: [consider] }") == [
            "f.yaml:4:17: error: eswt.tier: expected a tier (one of recommended, consider, needs-data, "
                + "not-recommended, ineligible, contraindicated), found a list"
        ])
    }

    @Test func unknownRuleInBecause() throws {
        #expect(try errors(expect: "  eswt: { because: [eswt-pregancy] }") == [
            "f.yaml:4:21: error: eswt.because: 'eswt-pregancy' is not a rule of eswt; did you mean 'eswt-pregnancy'?"
        ])
        #expect(try errors(expect: "  eswt: { because: [eswt-chronic, prp-age] }") == [
            "f.yaml:4:35: error: eswt.because: 'prp-age' is a rule of prp, not of eswt"
        ])
        #expect(try errors(expect: "  prp: { because: [weight] }") == [
            "f.yaml:4:20: error: prp.because: 'weight' is not a rule of prp; expected one of prp-platelets, prp-age"
        ])
        #expect(try errors(expect: "  prp: { because: [prp-age, prp-age] }") == [
            "f.yaml:4:29: error: prp.because: 'prp-age' is listed twice"
        ])
        #expect(try errors(expect: "  prp: { because: prp-age }") == [
            "f.yaml:4:19: error: prp.because: expected a list of strings, found string \"prp-age\""
        ])
    }

    @Test(arguments: [
        ("4.5", "number 4.5"), ("'4'", "string \"4\""), ("high", "string \"high\""), ("[4]", "a list"), ("~", "null"),
    ])
    func scoreMustBeAnInt(_ value: String, _ found: String) throws {
        #expect(try errors(expect: "  prp: { score: \(value) }") == [
            "f.yaml:4:17: error: prp.score: expected an int, found \(found)"
        ])
    }

    @Test func unknownKeysInAnExpectation() throws {
        #expect(try errors(expect: "  eswt: { teir: consider }") == [
            "f.yaml:4:11: error: unknown key 'teir' in the expectation for eswt; did you mean 'tier'?"
        ])
        #expect(try errors(expect: "  eswt: { tier: consider, why: chronic }") == [
            "f.yaml:4:27: error: unknown key 'why' in the expectation for eswt; expected one of tier, score, because"
        ])
    }

    @Test func expectationMustBeANonEmptyMapping() throws {
        #expect(try errors(expect: "  eswt: recommended") == [
            "f.yaml:4:9: error: eswt: expected a mapping with tier, score or because, found string \"recommended\""
        ])
        #expect(try errors(expect: "  eswt: {}") == [
            "f.yaml:4:9: error: the expectation for eswt expects nothing: expected tier, score or because"
        ])
        #expect(try errors(expect: "  eswt: { because: [] }") == [
            "f.yaml:4:9: error: the expectation for eswt expects nothing: expected tier, score or because"
        ])
    }

    @Test func everyErrorOfAFileIsReportedInOrder() throws {
        let found = try errors("""
            description: A case
            patient: { as_of: 2026-10-02, sex: female }
            expect:
              eswt: { tier: recomended, because: [eswt-pregancy] }
              prp: { score: high }
            extra: 1
            """)
        #expect(found == [
            "f.yaml:2:31: error: unknown field 'sex'",
            "f.yaml:4:17: error: eswt.tier: unknown tier 'recomended'; expected one of recommended, consider, needs-data, "
                + "not-recommended, ineligible, contraindicated; did you mean 'recommended'?",
            "f.yaml:4:39: error: eswt.because: 'eswt-pregancy' is not a rule of eswt; did you mean 'eswt-pregnancy'?",
            "f.yaml:5:17: error: prp.score: expected an int, found string \"high\"",
            "f.yaml:6:1: error: unknown key 'extra' in fixture; expected one of description, patient, expect",
        ])
    }

    @Test func aTherapyExpectedTwiceIsADuplicateKey() throws {
        #expect(try errors(expect: "  eswt: { tier: consider }\n  eswt: { score: 3 }") == [
            "f.yaml:5:3: error: duplicate key 'eswt': already written at 4:3"
        ])
    }

    @Test func aProfileFieldNamedPatientIsReported() throws {
        let profile = TestPack.profile + "\n  patient: { type: string }"
        let pack = try CompiledPack(RulePackLoader.load(files: [
            PackFile(path: "profile.yaml", contents: Array(profile.utf8)),
            PackFile(path: "t.yaml", contents: Array(FixtureTestPack.eswt.utf8)),
        ], path: "T"))
        #expect {
            try FixtureTestPack.load(FixtureTestPack.header + "\n  eswt: { tier: consider }", pack: pack)
        } throws: { error in
            (error as? DiagnosticError)?.description
                == "f.yaml:2:1: error: the profile declares a field named 'patient' (at T/profile.yaml:31:3), so a "
                + "fixture's patient cannot be told apart from it: rename the field to use fixtures"
        }
    }

    @Test func syntaxErrorsAndUnreadableFiles() throws {
        let syntax = try errors("description: A case\npatient: { as_of: 2026-10-02\nexpect: {}")
        #expect(syntax.count == 1)
        #expect(syntax.first?.hasPrefix("f.yaml:") == true)
        let pack = try FixtureTestPack.compile()
        #expect {
            try FixtureLoader.load(file: "/nonexistent/fixture.yaml", pack: pack)
        } throws: { error in
            (error as? DiagnosticError)?.kind == .unreadable
                && (error as? DiagnosticError)?.description
                    == "/nonexistent/fixture.yaml:1:1: error: cannot read the file: no such file"
        }
    }

    // MARK: - Finding fixtures

    @Test func filesUnderFoldersAreFoundRecursivelyAndSorted() throws {
        let folder = try #require(Bundle.module.resourceURL?.appendingPathComponent("Data/Fixtures").path)
        let tree = folder + "/tree"
        #expect(try FixtureLoader.files(under: [tree]) == [
            tree + "/a.yml", tree + "/b.yaml", tree + "/sub/c.json", tree + "/sub/deeper/d.yaml",
        ])
        // A trailing slash, a file named directly, and a file found twice.
        #expect(try FixtureLoader.files(under: [tree + "/sub/", folder + "/case.json", tree + "/sub/c.json"]) == [
            tree + "/sub/c.json", tree + "/sub/deeper/d.yaml", folder + "/case.json",
        ])
        #expect {
            try FixtureLoader.files(under: [folder + "/missing"])
        } throws: { error in
            (error as? DiagnosticError)?.kind == .unreadable
                && (error as? DiagnosticError)?.description == "\(folder)/missing:1:1: error: cannot read: no such file or folder"
        }
    }
}
