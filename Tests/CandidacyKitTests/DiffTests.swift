import Foundation
import Testing
@testable import CandidacyKit

/// `PackComparer`, `PackDiffer` and the diff renderers on the shipped pack and on inline packs.
@Suite struct DiffTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A copy of the shipped `Rules/` in a temporary folder, with `edit` applied to one file.
    static func editedCopy(_ file: String, _ edit: (String) -> String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-diff-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: root.appendingPathComponent("Rules"), to: folder)
        let url = folder.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let edited = edit(text)
        #expect(edited != text, "the edit must change \(file)")
        try Data(edited.utf8).write(to: url)
        return folder
    }

    static func compiled(_ directory: String) throws -> CompiledPack {
        try CompiledPack(RulePackLoader.load(directory: directory))
    }

    static func fixtureFiles() throws -> [String] {
        try FixtureLoader.files(under: [root.appendingPathComponent("Fixtures").path])
    }

    // MARK: - The acceptance case

    /// `min_platelet_count` 100 → 150 moves exactly the cases whose platelet count lies in
    /// [100, 150): the `prp-low-platelets` caution now holds for them. Computed from the fixture
    /// data, and again by evaluating each fixture under both packs; the diff must list exactly
    /// those cases and nothing else.
    @Test func oneParameterChangeListsExactlyTheCasesThatMove() throws {
        let copy = try Self.editedCopy("prp.yaml") {
            $0.replacingOccurrences(of: "  min_platelet_count:\n    value: 100\n", with: "  min_platelet_count:\n    value: 150\n")
        }
        let old = try Self.compiled(Self.root.appendingPathComponent("Rules").path)
        let new = try Self.compiled(copy.path)
        let files = try Self.fixtureFiles()
        #expect(files.count >= 80)

        // From the data: platelet counts newly below the threshold.
        var fromData = Set<String>()
        for file in files {
            let patient = try PatientLoader.load(file: file, profile: old.pack.profile)
            let count: Double? = switch patient.record.value(atPath: ["labs", "platelet_count"]) {
            case .double(let value)?: value
            case .int(let value)?: Double(value)
            default: nil
            }
            if let count, count >= 100, count < 150 { fromData.insert(file) }
        }
        #expect(!fromData.isEmpty)

        // From evaluating each case under both packs.
        var fromEvaluation = Set<String>()
        for file in files {
            let before = Evaluator(pack: old).evaluate(try PatientLoader.load(file: file, profile: old.pack.profile))
            let after = Evaluator(pack: new).evaluate(try PatientLoader.load(file: file, profile: new.pack.profile))
            for decision in before.decisions {
                let other = try #require(after.decisions.first { $0.therapy == decision.therapy })
                if other.tier != decision.tier || other.score != decision.score
                    || Set(other.deciding) != Set(decision.deciding) {
                    fromEvaluation.insert("\(file) \(decision.therapy)")
                }
            }
        }
        #expect(fromEvaluation == Set(fromData.map { "\($0) prp" }))

        let diff = try PackDiffer.diff(old: old, new: new, files: files)
        #expect(Set(diff.caseChanges.map { "\($0.file) \($0.therapy)" }) == fromEvaluation)
        #expect(diff.caseChanges.count == fromEvaluation.count)
        #expect(diff.invalidCases.isEmpty)
        #expect(diff.unchangedCases == files.count - fromData.count)
        for change in diff.caseChanges {
            #expect(change.responsible.map(\.rule) == ["prp-low-platelets"])
            #expect(change.responsible.first?.before?.outcome == .false)
            #expect(change.responsible.first?.after?.outcome == .true)
        }
        #expect(diff.packChanges.map(\.summary) == ["parameter min_platelet_count: 100 → 150"])
        #expect(diff.packChanges.first?.therapy == "prp")

        let text = PackDiffTextRenderer().render(diff)
        #expect(text.contains("min_platelet_count: 100 → 150"))
        #expect(text.contains("\(fromData.count) of \(files.count) cases change"))
        for file in files {
            #expect(text.contains(file) == fromData.contains(file), "\(file)")
        }
    }

    @Test func identicalPacksChangeNothing() throws {
        let pack = try Self.compiled(Self.root.appendingPathComponent("Rules").path)
        let diff = try PackDiffer.diff(old: pack, new: pack, files: Self.fixtureFiles())
        #expect(diff.packChanges.isEmpty)
        #expect(diff.caseChanges.isEmpty)
        #expect(diff.unchangedCases == diff.caseCount)
        #expect(diff.summary.line == "none of \(diff.caseCount) cases change")
    }

    /// Reflowing a condition over several lines changes nothing; rewording a title is wording.
    @Test func wordingAndWhitespaceAreNotConditionChanges() throws {
        let copy = try Self.editedCopy("prp.yaml") {
            $0.replacingOccurrences(
                of: "    when: labs.platelet_count < params.min_platelet_count",
                with: "    when: >-\n      labs.platelet_count\n      < params.min_platelet_count")
                .replacingOccurrences(of: "title: Platelet-rich plasma (PRP) injection", with: "title: PRP injection")
        }
        let old = try Self.compiled(Self.root.appendingPathComponent("Rules").path)
        let new = try Self.compiled(copy.path)
        let changes = PackComparer.changes(from: old.pack, to: new.pack)
        #expect(changes.map(\.kind) == [.therapyWording])
        #expect(changes.first?.kind.affectsOutcomes == false)
    }

    /// Version, references and positions: pack changes that move no case.
    @Test func versionReferencesAndPositions() throws {
        let copy = try Self.editedCopy("eswt.yaml") {
            $0.replacingOccurrences(of: "version: 2.0.0", with: "version: 2.1.0")
                .replacingOccurrences(
                    of: "references:\n",
                    with: "references:\n  new-source:\n    citation: \"New source 2026.\"\n")
                .replacingOccurrences(
                    of: "source: AAOS 2021, stance: for, position: limited support",
                    with: "source: AAOS 2021, stance: uncertain, position: limited support")
                .replacingOccurrences(
                    of: "  - { diagnosis: patellofemoral_pain, source: Crossley 2016, stance: uncertain, position: does not assess shockwave therapy, ref: crossley-2016 }\n",
                    with: "")
        }
        let old = try Self.compiled(Self.root.appendingPathComponent("Rules").path)
        let new = try Self.compiled(copy.path)
        let changes = PackComparer.changes(from: old.pack, to: new.pack)
        #expect(changes.map(\.summary) == [
            "version: 2.0.0 → 2.1.0",
            "reference new-source added: New source 2026.",
            "position knee_osteoarthritis/AAOS 2021: for: limited support [grade: limited] (aaos-2021) → "
                + "uncertain: limited support [grade: limited] (aaos-2021)",
            "position patellofemoral_pain/Crossley 2016 removed: uncertain: does not assess shockwave therapy (crossley-2016)",
        ])
        #expect(changes.allSatisfy { !$0.kind.affectsOutcomes && $0.therapy == "eswt" })
        let diff = try PackDiffer.diff(old: old, new: new, files: Self.fixtureFiles())
        #expect(diff.caseChanges.isEmpty)
        #expect(diff.new.versions.first { $0.therapy == "eswt" }?.version == "2.1.0")
    }

    // MARK: - Inline packs

    static let oldTherapy = TestPack.therapy(
        rules: """
              - { id: t-pregnant, kind: exclude, title: Pregnant, when: pregnant, reason: Old reason. }
              - { id: t-chronic, kind: score, points: 2, title: Chronic, when: 'symptom_weeks >= 12' }
              - { id: t-old, kind: score, points: 3, title: Old factor, when: 'age < 40' }
            """,
        parameters: "parameters:\n  weeks: { value: 6 }", recommended: 5, consider: 2)

    static let newTherapy = TestPack.therapy(
        rules: """
              - { id: t-pregnant, kind: exclude, title: Pregnant, when: pregnant, reason: New reason. }
              - { id: t-chronic, kind: score, points: 2, title: Chronic, when: 'symptom_weeks >= 26' }
              - { id: t-new, kind: score, points: 1, title: New factor, when: 'kl_grade <= 2' }
            """,
        parameters: "parameters:\n  weeks: { value: 6 }", recommended: 4, consider: 2)

    static func patient(_ yaml: String, _ name: String) -> (file: String, contents: [UInt8]) {
        (name, Array(yaml.utf8))
    }

    @Test func ruleAddedRemovedAndConditionChanged() throws {
        let old = try TestPack.compile(Self.oldTherapy)
        let new = try TestPack.compile(Self.newTherapy)
        let changes = PackComparer.changes(from: old.pack, to: new.pack)
        #expect(changes.map(\.summary) == [
            "tiers recommended: 5 → 4",
            "rule t-pregnant reason: Old reason. → New reason.",
            "rule t-chronic condition: symptom_weeks >= 12 → symptom_weeks >= 26",
            "rule t-new added: score +1 when kl_grade <= 2",
            "rule t-old removed: score +3 when age < 40",
        ])
        #expect(changes.map(\.kind) == [.tiers, .ruleWording, .ruleCondition, .ruleAdded, .ruleRemoved])

        let diff = PackDiffer.diff(old: old, new: new, cases: [
            // 20 weeks: chronic true → false; age 30: old factor +3 gone; kl 1: new factor +1.
            Self.patient("id: a\nage: 30\nsymptom_weeks: 20\nkl_grade: 1\npregnant: false\n", "a.yaml"),
            // Nothing this pack reads changes: 30 weeks, age 50, kl 4.
            Self.patient("id: b\nage: 50\nsymptom_weeks: 30\nkl_grade: 4\npregnant: false\n", "b.yaml"),
            // Pregnant: contraindicated under both, and the score is the same (2).
            Self.patient("id: c\nage: 50\nsymptom_weeks: 30\nkl_grade: 4\npregnant: true\n", "c.yaml"),
        ])
        #expect(diff.caseChanges.map(\.caseID) == ["a"])
        let change = try #require(diff.caseChanges.first)
        #expect(change.before == CaseChange.Outcome(tier: .recommended, score: 5, deciding: ["t-chronic", "t-old"]))
        #expect(change.after == CaseChange.Outcome(tier: .notRecommended, score: 1, deciding: ["t-new"]))
        #expect(change.aspects == [.tier, .score, .deciding])
        #expect(change.responsible.map(\.summary) == [
            "t-chronic: true +2 → false",
            "t-new (added): true +1",
            "t-old (removed): true +3",
        ])
        #expect(change.thresholds == CaseChange.ThresholdChange(
            before: "recommended 5, consider 2", after: "recommended 4, consider 2"))
        #expect(diff.unchangedCases == 2)
        #expect(diff.summary.line == "1 of 3 cases changes: 1 tier")
    }

    /// A rule whose points change moves only the cases where it holds; a tier threshold change
    /// moves a case with no rule responsible, and says so.
    @Test func pointsAndThresholds() throws {
        let old = try TestPack.compile(TestPack.therapy(
            rules: "  - { id: t-a, kind: score, points: 2, title: A, when: 'age < 40' }", recommended: 3, consider: 1))
        let points = try TestPack.compile(TestPack.therapy(
            rules: "  - { id: t-a, kind: score, points: 3, title: A, when: 'age < 40' }", recommended: 3, consider: 1))
        let tiers = try TestPack.compile(TestPack.therapy(
            rules: "  - { id: t-a, kind: score, points: 2, title: A, when: 'age < 40' }", recommended: 2, consider: 1))
        let cases = [Self.patient("id: young\nage: 30\n", "y.yaml"), Self.patient("id: old\nage: 60\n", "o.yaml")]

        let byPoints = PackDiffer.diff(old: old, new: points, cases: cases)
        #expect(byPoints.packChanges.map(\.summary) == ["rule t-a points: +2 → +3"])
        #expect(byPoints.caseChanges.map(\.caseID) == ["young"])
        #expect(byPoints.caseChanges.first?.responsible.map(\.summary) == ["t-a: true +2 → true +3"])
        #expect(byPoints.summary.line == "1 of 2 cases changes: 1 tier")

        let byTiers = PackDiffer.diff(old: old, new: tiers, cases: cases)
        #expect(byTiers.caseChanges.map(\.caseID) == ["young"])
        let change = try #require(byTiers.caseChanges.first)
        #expect(change.responsible.isEmpty)
        #expect(change.thresholds?.after == "recommended 2, consider 1")
        #expect(PackDiffTextRenderer().render(byTiers).contains("tiers: recommended 3, consider 1 → recommended 2, consider 1"))
    }

    /// A case a profile change makes invalid is reported, not a crash; it is a change.
    @Test func caseInvalidUnderOnePack() throws {
        let old = try TestPack.compile(TestPack.therapy(rules: "  - { id: t-a, kind: score, points: 2, title: A, when: 'age < 40' }"))
        let profile = TestPack.profile.replacingOccurrences(of: "  bmi: { type: number, min: 10, max: 80 }\n", with: "")
        let new = try TestPack.compile(
            TestPack.therapy(rules: "  - { id: t-a, kind: score, points: 2, title: A, when: 'age < 40' }"), profile: profile)
        let diff = PackDiffer.diff(old: old, new: new, cases: [
            Self.patient("id: x\nage: 30\nbmi: 25\n", "x.yaml"), Self.patient("id: y\nage: 30\n", "y.yaml"),
            Self.patient("id: z\nage: [\n", "z.yaml"),
        ])
        #expect(diff.packChanges.map(\.kind) == [.profileFieldRemoved])
        #expect(diff.packChanges.first?.subject == "bmi")
        #expect(diff.caseChanges.isEmpty)
        #expect(diff.invalidCases.map(\.caseID) == ["x", "z.yaml"])
        #expect(diff.invalidCases.first?.oldErrors == nil)
        #expect(diff.invalidCases.first?.newErrors?.first?.hasPrefix("x.yaml:3:1: error: unknown field 'bmi'") == true)
        #expect(diff.invalidCases.last?.isChange == false)
        #expect(diff.unchangedCases == 1)
        let summary = diff.summary
        #expect(summary.changed == 1)
        #expect(summary.invalidUnderBoth == 1)
        #expect(summary.line == "1 of 3 cases changes: 1 valid under one pack only")
    }

    /// A therapy added or removed is a pack change and a change for every case.
    @Test func therapyAddedAndRemoved() throws {
        let rules = "  - { id: t-a, kind: score, points: 2, title: A, when: 'age < 40' }"
        let old = try TestPack.compile(TestPack.therapy(rules: rules))
        let second = TestPack.therapy(rules: "  - { id: u-a, kind: score, points: 1, title: A, when: 'age < 40' }")
            .replacingOccurrences(of: "therapy: t\n", with: "therapy: u\n")
        let new = try CompiledPack(RulePackLoader.load(files: [
            PackFile(path: "profile.yaml", contents: Array(TestPack.profile.utf8)),
            PackFile(path: "t.yaml", contents: Array(TestPack.therapy(rules: rules).utf8)),
            PackFile(path: "u.yaml", contents: Array(second.utf8)),
        ], path: "T"))
        let cases = [Self.patient("id: y\nage: 30\n", "y.yaml")]
        let added = PackDiffer.diff(old: old, new: new, cases: cases)
        #expect(added.packChanges.map(\.summary) == ["therapy u added: Test therapy"])
        #expect(added.caseChanges.map(\.therapy) == ["u"])
        #expect(added.caseChanges.first?.before == nil)
        #expect(added.caseChanges.first?.aspects == [.therapy])
        let removed = PackDiffer.diff(old: new, new: old, cases: cases)
        #expect(removed.packChanges.map(\.kind) == [.therapyRemoved])
        #expect(removed.caseChanges.first?.after == nil)
        #expect(PackDiffTextRenderer().render(removed).contains("u  not-recommended · score 1 → not in the new pack"))
    }

    // MARK: - Renderers

    @Test func jsonHasTheStableKeys() throws {
        let old = try TestPack.compile(Self.oldTherapy)
        let new = try TestPack.compile(Self.newTherapy)
        let diff = PackDiffer.diff(old: old, new: new, cases: [
            Self.patient("id: a\nage: 30\nsymptom_weeks: 20\nkl_grade: 1\npregnant: false\n", "a.yaml"),
        ])
        let text = PackDiffJSONRenderer().render(diff)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == [
            "schema_version", "engine", "old", "new", "summary", "pack_changes", "case_changes", "invalid_cases",
            "unchanged_cases",
        ])
        let oldPack = try #require(object["old"] as? [String: Any])
        #expect(oldPack["path"] as? String == "T")
        #expect((oldPack["digest"] as? String)?.hasPrefix("sha256:") == true)
        let cases = try #require(object["case_changes"] as? [[String: Any]])
        #expect(cases.count == 1)
        let first = try #require(cases.first)
        #expect(first["case"] as? String == "a")
        #expect(first["file"] as? String == "a.yaml")
        #expect(first["therapy"] as? String == "t")
        #expect(first["responsible"] as? [String] == ["t-chronic", "t-new", "t-old"])
        let before = try #require(first["before"] as? [String: Any])
        #expect(before["tier"] as? String == "recommended")
        #expect(before["score"] as? Int == 5)
        #expect(before["deciding"] as? [String] == ["t-chronic", "t-old"])
        #expect(object["unchanged_cases"] as? Int == 0)
        let packChanges = try #require(object["pack_changes"] as? [[String: Any]])
        #expect(packChanges.map { $0["change"] as? String } == [
            "tiers", "rule-wording", "rule-condition", "rule-added", "rule-removed",
        ])
        #expect(PackDiffJSONRenderer().render(diff) == text)
    }

    @Test func markdownHasTheSummaryTableAndChanges() throws {
        let old = try TestPack.compile(Self.oldTherapy)
        let new = try TestPack.compile(Self.newTherapy)
        let diff = PackDiffer.diff(old: old, new: new, cases: [
            Self.patient("id: a|b\nage: 30\nsymptom_weeks: 20\nkl_grade: 1\npregnant: false\n", "a.yaml"),
        ])
        let markdown = PackDiffMarkdownRenderer().render(diff)
        #expect(markdown.contains("**1 of 1 case changes: 1 tier.** 0 cases unchanged."))
        #expect(markdown.contains("| case | therapy | before | after | deciding | rules responsible |"))
        #expect(markdown.contains("| `a\\|b` (`a.yaml`) | `t` | recommended · 5 | **not-recommended · 1** |"))
        #expect(markdown.contains("- `t`: rule `t-chronic` condition: `symptom_weeks >= 12` → `symptom_weeks >= 26`"))
        #expect(markdown.contains("- `t`: rule `t-pregnant` reason changed\n  - before: Old reason.\n  - after: New reason."))
        // Every table row has the header's six cells.
        for line in markdown.split(separator: "\n") where line.hasPrefix("| `") {
            #expect(line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 7, "\(line)")
        }
    }
}
