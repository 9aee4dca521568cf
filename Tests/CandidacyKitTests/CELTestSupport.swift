@testable import CandidacyKit

/// A small profile, a therapy's parameters and a patient for the CEL unit tests.
enum CELFixture {
    static let here = SourceLocation(file: "profile.yaml", line: 1, column: 1)

    static func field(_ name: String, _ type: FieldType) -> FieldSchema {
        FieldSchema(name: name, type: type, location: here)
    }

    static let profile = ProfileSchema(
        schemaVersion: 1,
        fields: [
            field("id", .string),
            field("as_of", .date),
            field("age", .int),
            field("bmi", .number),
            field("diagnosis", .enumeration(["patellofemoral_pain", "patellar_tendinopathy", "knee_osteoarthritis", "other"])),
            field("pregnant", .bool),
            field("active_infection", .bool),
            field("bleeding_disorder", .bool),
            field("labs", .object([field("platelet_count", .number), field("hemoglobin", .number)])),
            field("imaging", .object([field("grade", .int)])),
            field("conservative_care", .list(field("conservative_care", .object([
                field("treatment", .enumeration(["physical_therapy", "home_exercise", "nsaids"])),
                field("weeks", .int),
                field("response", .enumeration(["none", "partial", "resolved", "worse"])),
            ])))),
            field("injections", .list(field("injections", .object([
                field("agent", .enumeration(["corticosteroid", "hyaluronic_acid", "prp"])),
                field("date", .date),
            ])))),
        ],
        file: "profile.yaml")

    static let parameters = [
        Parameter(name: "steroid_washout_days", value: .int(30), unit: "days", range: 30...90, description: nil, refs: [], location: here),
    ]

    static let environment = TypeEnvironment(profile: profile, parameters: parameters)

    static func date(_ text: String) -> CivilDate {
        CivilDate(parsing: text) ?? CivilDate(daysSinceEpoch: 0)
    }

    static let patient = Record([
        "id": .string("case-017"),
        "as_of": .date(date("2026-10-02")),
        "age": .int(34),
        "bmi": .double(31.5),
        "diagnosis": .string("patellofemoral_pain"),
        "pregnant": .bool(false),
        "labs": .record(Record(["platelet_count": .double(240)])),
        "conservative_care": .list([
            .record(Record(["treatment": .string("physical_therapy"), "weeks": .int(12), "response": .string("partial")])),
            .record(Record(["treatment": .string("home_exercise"), "weeks": .int(8)])),
        ]),
        "injections": .list([
            .record(Record(["agent": .string("corticosteroid"), "date": .date(date("2026-09-01"))])),
        ]),
    ])

    static let activation = Activation(patient: patient, parameters: parameters, asOf: date("2026-10-02"))
}

/// An evaluation result with the error's details left out, for comparing in tables.
enum Outcome: Sendable, Hashable, CustomStringConvertible {
    case value(Value)
    case error
    case unknown(Set<String>)

    init(_ result: EvaluationResult) {
        switch result {
        case .value(let value): self = .value(value)
        case .error: self = .error
        case .unknown(let paths): self = .unknown(paths)
        }
    }

    static let `true` = Outcome.value(.bool(true))
    static let `false` = Outcome.value(.bool(false))

    static func int(_ value: Int64) -> Outcome { .value(.int(value)) }

    var description: String {
        switch self {
        case .value(let value): "\(value)"
        case .error: "error"
        case .unknown(let paths): "unknown\(paths.sorted())"
        }
    }
}
