import Foundation
import Testing
@testable import CandidacyKit

/// Patient files, YAML and JSON, checked against the profile.
@Suite struct PatientLoaderTests {
    private func errors(_ text: String) throws -> [String] { try LoadingSupport.patientErrors(text) }

    @Test func validPatientFromTheDataFolder() throws {
        let folder = try #require(Bundle.module.resourceURL?.appendingPathComponent("Data/Loading").path)
        let pack = try RulePackLoader.load(directory: folder + "/pack")
        let patient = try PatientLoader.load(file: folder + "/patient.yaml", profile: pack.profile)
        #expect(patient.id == "case-017")
        #expect(patient.asOf == CivilDate(year: 2026, month: 10, day: 2))
        #expect(patient.record.fields["age"] == .int(34))
        #expect(patient.record.fields["pregnant"] == .bool(false))
        #expect(patient.record.value(atPath: ["labs", "platelet_count"]) == .double(240))
        #expect(
            patient.record.fields["conservative_care"]
                == .list([.record(Record(["treatment": .string("physical_therapy"), "weeks": .int(12), "response": .string("partial")]))]))
        let file = folder + "/patient.yaml"
        #expect(patient.locations["age"] == SourceLocation(file: file, line: 3, column: 6))
        #expect(patient.locations["labs.platelet_count"] == SourceLocation(file: file, line: 8, column: 25))
        #expect(patient.locations["conservative_care[0]"] == SourceLocation(file: file, line: 7, column: 5))
        #expect(patient.locations["conservative_care[0].weeks"] == SourceLocation(file: file, line: 7, column: 43))
    }

    @Test func validJSONPatient() throws {
        let folder = try #require(Bundle.module.resourceURL?.appendingPathComponent("Data/Loading").path)
        let pack = try RulePackLoader.load(directory: folder + "/pack")
        let patient = try PatientLoader.load(file: folder + "/patient.json", profile: pack.profile)
        #expect(patient.record.fields["age"] == .int(61))
        #expect(patient.record.fields["as_of"] == .date(CivilDate(year: 2026, month: 10, day: 2)!))
        #expect(patient.record.fields["pregnant"] == nil)  // explicit null = absent
        #expect(patient.record.fields["conservative_care"] == .list([]))
        #expect(patient.record.value(atPath: ["labs", "platelet_count"]) == .double(212.5))
        #expect(patient.locations["labs.platelet_count"] == SourceLocation(file: folder + "/patient.json", line: 7, column: 30))
    }

    @Test func invalidJSONPatient() throws {
        #expect(try errors("{\"age\": \"34\", \"as_of\": \"2026-02-30\", \"pregnant\": yes}") == [
            "p.yaml:1:9: error: age: expected an int, found string \"34\"",
            "p.yaml:1:24: error: as_of: invalid date '2026-02-30': expected YYYY-MM-DD, a real day",
            "p.yaml:1:50: error: pregnant: 'yes' is not a boolean: write true or false (YAML 1.1 booleans are not accepted)",
        ])
        #expect(try errors("{\"age\": 34,\n \"bmi\": 22.5,\n}x") == [
            "p.yaml:3:2: error: did not find expected <document start>"
        ])
    }

    @Test func numberFieldsTakePlainIntsAsDoubles() throws {
        let patient = try PatientLoader.load(
            contents: Array("bmi: 25\nage: null\n".utf8), file: "p.yaml", profile: LoadingSupport.schema())
        #expect(patient.record.fields == ["bmi": .double(25)])
        #expect(patient.locations == ["bmi": SourceLocation(file: "p.yaml", line: 1, column: 6)])
    }

    @Test func unknownFieldsSuggestTheNearest() throws {
        #expect(try errors("diagnossis: other\nlabs: { platelets: 3 }\n") == [
            "p.yaml:1:1: error: unknown field 'diagnossis'; did you mean 'diagnosis'?",
            "p.yaml:2:9: error: unknown field 'platelets' in labs; expected one of platelet_count",
        ])
    }

    @Test func enumValuesNotListed() throws {
        #expect(try errors("diagnosis: patelofemoral_pain\n") == [
            "p.yaml:1:12: error: 'patelofemoral_pain' is not a value of diagnosis; expected one of patellofemoral_pain, "
                + "patellar_tendinopathy, knee_osteoarthritis, other; did you mean 'patellofemoral_pain'?"
        ])
        #expect(try errors("conservative_care:\n  - { treatment: yoga, weeks: 3 }\n") == [
            "p.yaml:2:18: error: 'yoga' is not a value of conservative_care[0].treatment; expected one of physical_therapy, "
                + "home_exercise, nsaids"
        ])
    }

    @Test func numbersOutOfRange() throws {
        #expect(try errors("age: 130\nbmi: 5.5\nlabs: { platelet_count: 2500 }\nconservative_care: [{ weeks: -1 }]\n") == [
            "p.yaml:1:6: error: age 130 is out of range: expected 0 to 120 years",
            "p.yaml:2:6: error: bmi 5.5 is out of range: expected 10 to 80 kg/m²",
            "p.yaml:3:25: error: labs.platelet_count 2500 is out of range: expected 0 to 2000 10^9/L",
            "p.yaml:4:30: error: conservative_care[0].weeks -1 is out of range: expected 0 to 520 weeks",
        ])
    }

    @Test(arguments: ["yes", "no", "on", "off", "Yes", "NO", "y", "N"])
    func yaml11BooleansAreRejected(_ word: String) throws {
        #expect(try errors("pregnant: \(word)\n") == [
            "p.yaml:1:11: error: pregnant: '\(word)' is not a boolean: write true or false (YAML 1.1 booleans are not accepted)"
        ])
    }

    @Test(arguments: [
        ("age: abc", "p.yaml:1:6: error: age: expected an int, found string \"abc\""),
        ("age: \"34\"", "p.yaml:1:6: error: age: expected an int, found string \"34\""),
        ("age: 3.5", "p.yaml:1:6: error: age: expected an int, found number 3.5"),
        ("age: [3]", "p.yaml:1:6: error: age: expected an int, found a list"),
        ("bmi: '22'", "p.yaml:1:6: error: bmi: expected a number, found string \"22\""),
        ("bmi: .inf", "p.yaml:1:6: error: bmi: expected a number, found string \".inf\""),
        ("pregnant: 1", "p.yaml:1:11: error: pregnant: expected a bool, found int 1"),
        ("pregnant: \"true\"", "p.yaml:1:11: error: pregnant: expected a bool, found string \"true\""),
        ("pregnant: True", "p.yaml:1:11: error: pregnant: 'True' is not a boolean: write true or false, in lowercase"),
        ("as_of: 2026-02-30", "p.yaml:1:8: error: as_of: invalid date '2026-02-30': expected YYYY-MM-DD, a real day"),
        ("as_of: 2026-2-3", "p.yaml:1:8: error: as_of: invalid date '2026-2-3': expected YYYY-MM-DD, a real day"),
        ("as_of: { y: 1 }", "p.yaml:1:8: error: as_of: expected a date, found a mapping"),
        ("labs: 3", "p.yaml:1:7: error: labs: expected a mapping, found int 3"),
        ("conservative_care: {}", "p.yaml:1:20: error: conservative_care: expected a list, found an empty mapping"),
        ("conservative_care: [null]", "p.yaml:1:21: error: conservative_care[0]: expected an object, found null: list items cannot be null"),
        ("id: [a]", "p.yaml:1:5: error: id: expected a string, found a list"),
        ("age: 99999999999999999999", "p.yaml:1:6: error: age: int 99999999999999999999 does not fit in 64 bits"),
    ])
    func wrongTypes(_ text: String, _ expected: String) throws {
        #expect(try errors(text + "\n") == [expected])
    }

    @Test func quotedDatesAndStringsFromAnyScalar() throws {
        let patient = try PatientLoader.load(
            contents: Array("as_of: '2026-10-02'\nid: 17\n".utf8), file: "p.yaml", profile: LoadingSupport.schema())
        #expect(patient.record.fields["as_of"] == .date(CivilDate(year: 2026, month: 10, day: 2)!))
        #expect(patient.record.fields["id"] == .string("17"))
    }

    @Test func manyErrorsInOnePassSortedByLocation() throws {
        let errors = try errors("labs: { platelet_count: x }\nage: -3\nsexx: f\n")
        #expect(errors.map { $0.prefix(11) } == ["p.yaml:1:25", "p.yaml:2:6:", "p.yaml:3:1:"])
    }
}
