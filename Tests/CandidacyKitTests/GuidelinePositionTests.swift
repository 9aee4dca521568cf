import Testing
@testable import CandidacyKit

/// `positions:` in a therapy file: loading, type checks against the profile, selection by the
/// patient's diagnosis and every report format.
@Suite struct GuidelinePositionTests {
    /// ``LoadingSupport/therapy`` with references and the given `positions:` block.
    static func therapy(positions: String) -> String {
        """
        therapy: eswt
        title: ESWT
        version: 1.0.0
        references:
          aaos-2021: { citation: "AAOS 2021 guideline.", url: "https://example.org/aaos", grade: limited }
          racgp-2018: { citation: "RACGP 2018 guideline." }
        rules:
          - { id: eswt-pregnancy, kind: exclude, title: Pregnancy, when: pregnant }
        tiers: { recommended: 6, consider: 3 }
        positions:
        \(positions)
        """
    }

    static let kneePositions = """
          - diagnosis: knee_osteoarthritis
            source: AAOS 2021
            stance: for
            position: may be used (limited)
            grade: limited
            ref: aaos-2021
          - { diagnosis: knee_osteoarthritis, source: RACGP 2018, stance: against, position: conditionally against, ref: racgp-2018 }
          - { diagnosis: patellar_tendinopathy, source: ISMST, stance: for, position: standard indication, ref: aaos-2021 }
        """

    private func errors(_ positions: String) -> [String] {
        LoadingSupport.therapyErrors(Self.therapy(positions: positions))
    }

    @Test func positionsLoadInFileOrder() throws {
        let pack = try LoadingSupport.pack([
            ("profile.yaml", LoadingSupport.profile), ("t.yaml", Self.therapy(positions: Self.kneePositions)),
        ])
        let positions = try #require(pack.therapies.first?.positions)
        #expect(positions.map(\.source) == ["AAOS 2021", "RACGP 2018", "ISMST"])
        #expect(positions[0] == GuidelinePosition(
            diagnosis: "knee_osteoarthritis", source: "AAOS 2021", stance: .for, position: "may be used (limited)",
            grade: "limited", ref: "aaos-2021", location: SourceLocation(file: "Rules/t.yaml", line: 11, column: 5)))
        #expect(positions[1].grade == nil)
        #expect(positions[1].stance == .against)
    }

    @Test func unknownAndMissingKeys() {
        #expect(errors("  - { diagnosis: other, source: S, stance: for, positon: p, ref: aaos-2021 }") == [
            "Rules/t.yaml:11:5: error: guideline position is missing required key 'position'",
            "Rules/t.yaml:11:49: error: unknown key 'positon' in guideline position; did you mean 'position'?",
        ])
        #expect(errors("  {}") == ["Rules/t.yaml:11:3: error: expected a list of guideline positions, found an empty mapping"])
        #expect(errors("  - { diagnosis: other, source: [S], stance: for, position: p, ref: aaos-2021 }") == [
            "Rules/t.yaml:11:33: error: expected a string, found a list"
        ])
    }

    @Test func refMustNameAReferenceOfTheFile() {
        #expect(errors("  - { diagnosis: other, source: S, stance: for, position: p, ref: aaos-2012 }") == [
            "Rules/t.yaml:11:67: error: unknown reference 'aaos-2012': not declared under references in this file; "
                + "did you mean 'aaos-2021'?"
        ])
    }

    @Test func stanceIsForAgainstOrUncertain() {
        #expect(errors("  - { diagnosis: other, source: S, stance: agianst, position: p, ref: aaos-2021 }") == [
            "Rules/t.yaml:11:44: error: unknown stance 'agianst'; expected one of for, against, uncertain; "
                + "did you mean 'against'?"
        ])
    }

    @Test func diagnosisMustBeAValueOfTheProfileField() {
        #expect(errors("  - { diagnosis: knee_osteoarthritus, source: S, stance: for, position: p, ref: aaos-2021 }") == [
            "Rules/t.yaml:11:18: error: unknown diagnosis 'knee_osteoarthritus': not a value of the profile's field "
                + "'diagnosis' (patellofemoral_pain, patellar_tendinopathy, knee_osteoarthritis, other); "
                + "did you mean 'knee_osteoarthritis'?"
        ])
    }

    @Test func positionsNeedADiagnosisEnumInTheProfile() throws {
        func errors(profile: String) -> [String] {
            do {
                _ = try LoadingSupport.pack([
                    ("profile.yaml", profile), ("t.yaml", Self.therapy(positions: Self.kneePositions)),
                ])
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        let without = errors(profile: "schema_version: 1\nfields:\n  pregnant: { type: bool }\n")
        #expect(without.count == 3)
        #expect(without.first == "Rules/t.yaml:11:16: error: guideline positions need an enum field 'diagnosis' in "
            + "Rules/profile.yaml, which declares none")
        let asString = errors(profile: "schema_version: 1\nfields:\n  pregnant: { type: bool }\n  diagnosis: { type: string }\n")
        #expect(asString.first == "Rules/t.yaml:11:16: error: guideline positions need the field 'diagnosis' of "
            + "Rules/profile.yaml to be an enum, but it is declared with type string")
        #expect(errors(profile: "schema_version: 1\nfields:\n  pregnant: { type: bool }\n").allSatisfy {
            $0.contains("diagnosis")
        })
    }

    // MARK: - Evaluation and reports

    static func pack() throws -> CompiledPack {
        let therapy = TestPack.therapy(rules: "  - { id: t-pregnancy, kind: exclude, title: Pregnancy, when: pregnant }")
            .replacingOccurrences(of: "version: 1.0.0\n", with: """
                version: 1.0.0
                references:
                  aaos-2021: { citation: "AAOS 2021 guideline.", url: "https://example.org/aaos" }
                  racgp-2018: { citation: "RACGP 2018 guideline." }
                positions:
                \(kneePositions)

                """)
        return try TestPack.compile(therapy)
    }

    @Test func evaluationSelectsThePatientsDiagnosis() throws {
        let pack = try Self.pack()
        let knee = try TestPack.decide("pregnant: false\ndiagnosis: knee_osteoarthritis", pack)
        #expect(knee.positions.map(\.source) == ["AAOS 2021", "RACGP 2018"])
        let tendon = try TestPack.decide("pregnant: false\ndiagnosis: patellar_tendinopathy", pack)
        #expect(tendon.positions.map(\.source) == ["ISMST"])
        #expect(try TestPack.decide("pregnant: false\ndiagnosis: other", pack).positions.isEmpty)
        #expect(try TestPack.decide("pregnant: false", pack).positions.isEmpty, "no diagnosis recorded, no positions")
    }

    @Test func everyFormatShowsThePositions() throws {
        let pack = try Self.pack()
        let patient = try TestPack.patient("id: c1\npregnant: false\ndiagnosis: knee_osteoarthritis", pack: pack)
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        let context = ReportContext(pack: pack)

        let text = TextReporter().render(evaluation, context: context)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let tierLine = try #require(lines.firstIndex { $0.hasPrefix("   Tier: ") })
        #expect(lines[tierLine + 1] == "   Guidelines for knee_osteoarthritis: AAOS 2021 may be used (limited) "
            + "[grade: limited] · RACGP 2018 conditionally against")

        let markdown = MarkdownReporter().render(evaluation, context: context)
        #expect(markdown.contains("""
            **Guidelines for knee\\_osteoarthritis:**

            - **AAOS 2021** (for): may be used (limited); grade: limited
            - **RACGP 2018** (against): conditionally against
            """))

        let json = JSONReporter(pretty: false).render(evaluation, context: context)
        #expect(json.contains("""
            "positions":[{"source":"AAOS 2021","stance":"for","position":"may be used (limited)","grade":"limited",\
            "reference":{"id":"aaos-2021","citation":"AAOS 2021 guideline.","url":"https://example.org/aaos"}},\
            {"source":"RACGP 2018","stance":"against","position":"conditionally against","grade":null,\
            "reference":{"id":"racgp-2018","citation":"RACGP 2018 guideline.","url":null}}]
            """))
    }

    @Test func reportsWithoutPositionsLeaveThemOut() throws {
        let pack = try Self.pack()
        let patient = try TestPack.patient("pregnant: false", pack: pack)
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        let context = ReportContext(pack: pack)
        #expect(!TextReporter().render(evaluation, context: context).contains("Guidelines for"))
        #expect(!MarkdownReporter().render(evaluation, context: context).contains("Guidelines for"))
        #expect(JSONReporter(pretty: false).render(evaluation, context: context).contains("\"positions\":[]"))
    }
}
