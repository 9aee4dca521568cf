import Foundation
import Testing
@testable import CandidacyKit

/// The promises the shipped pack makes, checked on the pack itself rather than on chosen cases.
@Suite struct ShippedPackSafetyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shipped() throws -> CompiledPack {
        try CompiledPack(RulePackLoader.load(directory: root.appendingPathComponent("Rules").path))
    }

    /// The three regenerative therapies the safety statements are about (exercise therapy, the
    /// first-line care, is not one of them).
    static let regenerative: Set<String> = ["prp", "stem-cell", "eswt"]

    static func decisions(_ yaml: String, _ pack: CompiledPack) throws -> [String: TherapyDecision] {
        let patient = try PatientLoader.load(contents: Array(yaml.utf8), file: "p.yaml", profile: pack.pack.profile)
        let evaluation = Evaluator(pack: pack).evaluate(patient, therapies: regenerative)
        return Dictionary(uniqueKeysWithValues: evaluation.decisions.map { ($0.therapy, $0) })
    }

    /// A favourable patient for each diagnosis: long failed care, every contraindication ruled out.
    static func favourable(_ diagnosis: String) -> String {
        """
        id: probe
        as_of: 2026-10-02
        age: 40
        bmi: 24
        diagnosis: \(diagnosis)
        symptom_weeks: 52
        pain_nrs: 6
        kl_grade: 2
        imaging_confirmed: true
        cell_therapy_context: clinical_trial
        conservative_care:
          - { treatment: physical_therapy, weeks: 16, response: none }
        labs: { platelet_count: 250, hemoglobin: 14 }
        medications: []
        injections: [{ agent: hyaluronic_acid, date: 2026-01-10, response: none }]
        knee_surgeries: []
        history: []
        pregnant: false
        active_infection: false
        active_malignancy: false
        malignancy_in_treatment_field: false
        bleeding_disorder: false
        platelet_dysfunction: false
        critical_thrombocytopenia: false
        hemodynamic_instability: false
        recent_fever_or_illness: false
        immunosuppressed: false
        open_physes: false
        implant_in_treatment_field: false
        implanted_electronic_device: false
        diabetes: none
        smoking: never
        """
    }

    static let diagnoses = ["patellofemoral_pain", "patellar_tendinopathy", "knee_osteoarthritis", "other"]

    @Test(arguments: diagnoses)
    func pregnancyAlwaysContraindicatesShockwave(_ diagnosis: String) throws {
        let pack = try Self.shipped()
        let pregnant = Self.favourable(diagnosis).replacingOccurrences(of: "pregnant: false", with: "pregnant: true")
        #expect(try Self.decisions(pregnant, pack)["eswt"]?.tier == .contraindicated)
        // Even with nothing else recorded.
        #expect(try Self.decisions("pregnant: true", pack)["eswt"]?.tier == .contraindicated)
    }

    @Test(arguments: diagnoses)
    func activeInfectionContraindicatesAllThree(_ diagnosis: String) throws {
        let pack = try Self.shipped()
        let infected = Self.favourable(diagnosis).replacingOccurrences(of: "active_infection: false", with: "active_infection: true")
        let decisions = try Self.decisions(infected, pack)
        #expect(decisions.count == 3)
        for (therapy, decision) in decisions {
            #expect(decision.tier == .contraindicated, "\(therapy) is \(decision.tier.rawValue)")
        }
        for decision in try Self.decisions("active_infection: true", pack).values {
            #expect(decision.tier == .contraindicated)
        }
    }

    /// With only the diagnosis known, the top of the score range is the most any such patient can
    /// score: every other rule is unknown and counts at its best.
    @Test(arguments: diagnoses)
    func cellTherapyNeverReachesRecommended(_ diagnosis: String) throws {
        let pack = try Self.shipped()
        let decision = try #require(try Self.decisions("diagnosis: \(diagnosis)", pack)["stem-cell"])
        #expect(decision.scoreRange.upperBound < decision.tiers.recommended)
        #expect(try Self.decisions(Self.favourable(diagnosis), pack)["stem-cell"]?.tier != .recommended)
    }

    @Test func nothingReachesRecommendedForPatellofemoralPain() throws {
        let pack = try Self.shipped()
        let open = try Self.decisions("diagnosis: patellofemoral_pain", pack)
        #expect(open.count == 3)
        for (therapy, decision) in open {
            #expect(decision.scoreRange.upperBound < decision.tiers.recommended, "\(therapy) could reach \(decision.scoreRange.upperBound)")
        }
        let best = try Self.decisions(Self.favourable("patellofemoral_pain"), pack)
        for (therapy, decision) in best {
            #expect(decision.tier != .recommended, "\(therapy) is recommended")
        }
        #expect(best["prp"]?.tier == .consider)
        #expect(best["eswt"]?.tier == .consider)
    }

    @Test func theShippedPackReachesRecommendedWhereTheSourcesSupportIt() throws {
        let pack = try Self.shipped()
        let oa = Self.favourable("knee_osteoarthritis").replacingOccurrences(of: "kl_grade: 2", with: "kl_grade: 1")
        #expect(try Self.decisions(oa, pack)["prp"]?.tier == .recommended)
    }

    /// Patellar tendinopathy: PRP (Scott 2019) and ESWT (ISMST lists it, PATELLASS found no added
    /// benefit) reach at most consider, and so does PRP for Kellgren–Lawrence 4 (ESSKA-ICRS
    /// "uncertain"); with only the diagnosis known, the top of the range stays below recommended.
    @Test func tendinopathyAndEndStageOsteoarthritisReachAtMostConsider() throws {
        let pack = try Self.shipped()
        let open = try Self.decisions("diagnosis: patellar_tendinopathy", pack)
        for therapy in ["prp", "eswt"] {
            let decision = try #require(open[therapy])
            #expect(decision.scoreRange.upperBound < decision.tiers.recommended, "\(therapy) could reach \(decision.scoreRange.upperBound)")
        }
        let best = try Self.decisions(Self.favourable("patellar_tendinopathy"), pack)
        #expect(best["prp"]?.tier == .consider)
        #expect(best["eswt"]?.tier == .consider)
        let kl4 = try Self.decisions("diagnosis: knee_osteoarthritis\nkl_grade: 4", pack)
        let prp = try #require(kl4["prp"])
        #expect(prp.scoreRange.upperBound < prp.tiers.recommended)
        let favourableKL4 = Self.favourable("knee_osteoarthritis").replacingOccurrences(of: "kl_grade: 2", with: "kl_grade: 4")
        #expect(try Self.decisions(favourableKL4, pack)["prp"]?.tier == .consider)
    }

    /// A platelet count below the critical count contraindicates PRP and the cell harvest, whatever
    /// the yes/no field says (SIR 2019); a PRP course without benefit makes PRP not recommended.
    @Test func criticalCountAndFailedPRPCourse() throws {
        let pack = try Self.shipped()
        let oa = Self.favourable("knee_osteoarthritis").replacingOccurrences(of: "kl_grade: 2", with: "kl_grade: 1")
        let low = oa.replacingOccurrences(of: "platelet_count: 250", with: "platelet_count: 45")
        let decisions = try Self.decisions(low, pack)
        #expect(decisions["prp"]?.tier == .contraindicated)
        #expect(decisions["stem-cell"]?.tier == .contraindicated)
        let failed = oa.replacingOccurrences(
            of: "injections: [{ agent: hyaluronic_acid, date: 2026-01-10, response: none }]",
            with: "injections: [{ agent: hyaluronic_acid, date: 2026-01-10, response: none }, { agent: prp, date: 2026-05-01, response: none }]")
        #expect(try Self.decisions(failed, pack)["prp"]?.tier == .notRecommended)
    }

    /// The disputed anticoagulant exclusion (Vetrano 2013 excludes, Medscape does not list it) is a
    /// site parameter: off by default a caution, on it contraindicates PRP. Fixtures cannot set a
    /// parameter, so this test does.
    @Test func anticoagulantExclusionFollowsTheSiteParameter() throws {
        var pack = try RulePackLoader.load(directory: Self.root.appendingPathComponent("Rules").path)
        let patient = Self.favourable("knee_osteoarthritis").replacingOccurrences(
            of: "medications: []", with: "medications: [{ class: anticoagulant, last_dose: 2026-10-01 }]")
        let byDefault = try #require(try Self.decisions(patient, CompiledPack(pack))["prp"])
        #expect(byDefault.tier != .contraindicated)
        #expect(byDefault.cautions.contains("prp-anticoagulated"))

        let prp = try #require(pack.therapies.firstIndex { $0.id == "prp" })
        let parameter = try #require(pack.therapies[prp].parameters.firstIndex { $0.name == "exclude_anticoagulated" })
        pack.therapies[prp].parameters[parameter].value = .bool(true)
        let excluded = try #require(try Self.decisions(patient, CompiledPack(pack))["prp"])
        #expect(excluded.tier == .contraindicated)
        #expect(excluded.deciding == ["prp-anticoagulated-excluded"])
    }
}
