import Testing
@testable import CandidacyKit

/// A two-therapy pack and helpers for the fixture loader and runner tests.
enum FixtureTestPack {
    static let eswt = """
        therapy: eswt
        title: Shockwave
        version: 1.0.0
        rules:
          - { id: eswt-pregnancy, kind: exclude, title: Pregnancy, when: pregnant }
          - { id: eswt-tendinopathy, kind: require, title: Tendinopathy, when: 'diagnosis == "patellar_tendinopathy"' }
          - { id: eswt-chronic, kind: score, points: 3, title: Chronic, when: symptom_weeks >= 12 }
          - id: eswt-steroid
            kind: caution
            points: -1
            title: Recent steroid injection
            when: injections.exists(i, i.agent == "corticosteroid" && days_since(i.date) < 42)
        tiers: { recommended: 5, consider: 2 }
        """

    static let prp = """
        therapy: prp
        title: Platelet-rich plasma
        version: 1.0.0
        rules:
          - { id: prp-platelets, kind: require, title: Platelets, when: labs.platelet_count >= 150 }
          - { id: prp-age, kind: score, points: 2, title: Adult, when: age >= 18 }
        tiers: { recommended: 4, consider: 2 }
        """

    /// The pack of ``TestPack/profile`` and the given therapy files (`eswt` and `prp` by default).
    static func compile(_ therapies: [String] = [eswt, prp]) throws -> CompiledPack {
        var files = [PackFile(path: "profile.yaml", contents: Array(TestPack.profile.utf8))]
        for (index, therapy) in therapies.enumerated() {
            files.append(PackFile(path: "t\(index).yaml", contents: Array(therapy.utf8)))
        }
        return try CompiledPack(RulePackLoader.load(files: files, path: "T"))
    }

    /// Loads an inline fixture as the file `f.yaml`.
    static func load(_ text: String, pack: CompiledPack) throws(DiagnosticError) -> Fixture {
        try FixtureLoader.load(contents: Array(text.utf8), file: "f.yaml", pack: pack)
    }

    /// The printed diagnostics of loading an inline fixture as `f.yaml`; empty when it loads.
    static func errors(_ text: String) throws -> [String] {
        let pack = try compile()
        do {
            _ = try load(text, pack: pack)
            return []
        } catch {
            #expect(error.kind == .invalid)
            return error.diagnostics.map(\.description)
        }
    }

    /// A valid fixture's first three lines; expectations follow from line 4.
    static let header = """
        description: A case
        patient: { as_of: 2026-10-02, age: 34 }
        expect:
        """
}
