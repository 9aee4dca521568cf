@testable import CandidacyKit

/// A small deterministic random generator (SplitMix64) for building scenarios from one seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random rule packs and patients over ``TestPack/profile``, for the property tests: conditions
/// drawn from a grammar of the profile's fields (comparisons, enum tests, list macros, dates,
/// `&&`, `||`, `!`, and `all:`/`any:`/`not:` mappings), with random kinds, points and tiers.
///
/// `has()` is left out on purpose: it tests presence, so it is never unknown and its value
/// changes when a missing field is filled in; the soundness property is about unknowns.
struct ScenarioGenerator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let diagnoses = ["patellofemoral_pain", "patellar_tendinopathy", "knee_osteoarthritis", "other"]
    static let treatments = ["physical_therapy", "home_exercise", "nsaids"]
    static let responses = ["none", "partial", "resolved", "worse"]
    static let agents = ["corticosteroid", "prp", "other"]
    /// The top-level fields a patient may lack.
    static let fields = ["age", "bmi", "diagnosis", "symptom_weeks", "kl_grade", "pregnant", "active_infection", "labs", "conservative_care", "injections"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// One atomic condition.
    mutating func atom() -> String {
        switch int(0...11) {
        case 0: return "age \(pick([">=", ">", "<", "<="])) \(int(10...90))"
        case 1: return "bmi \(pick([">=", ">", "<"])) \(int(18...40)).\(int(0...9))"
        case 2: return "kl_grade \(pick([">=", "<=", "=="])) \(int(0...4))"
        case 3: return "symptom_weeks \(pick([">=", "<"])) \(int(0...60))"
        case 4: return "labs.platelet_count \(pick(["<", ">="])) \(int(50...300))"
        case 5: return chance(0.5) ? "pregnant" : "!pregnant"
        case 6: return chance(0.5) ? "active_infection" : "!active_infection"
        case 7: return "diagnosis == \"\(pick(Self.diagnoses))\""
        case 8: return "diagnosis in [\"\(pick(Self.diagnoses))\", \"\(pick(Self.diagnoses))\"]"
        case 9:
            return "conservative_care.exists(c, c.treatment == \"\(pick(Self.treatments))\" && c.weeks >= \(int(0...20)) && c.response != \"resolved\")"
        case 10: return "injections.exists(i, i.agent == \"\(pick(Self.agents))\" && days_since(i.date) < \(int(10...200)))"
        default: return "sum(conservative_care.map(c, c.weeks)) \(pick([">=", "<"])) \(int(0...30))"
        }
    }

    /// A CEL expression of up to `depth` levels of `&&`, `||` and `!`.
    mutating func expression(depth: Int) -> String {
        guard depth > 0, chance(0.5) else { return atom() }
        switch int(0...2) {
        case 0: return "(\(expression(depth: depth - 1)) && \(expression(depth: depth - 1)))"
        case 1: return "(\(expression(depth: depth - 1)) || \(expression(depth: depth - 1)))"
        default: return "!(\(expression(depth: depth - 1)))"
        }
    }

    /// A rule's `when:` as YAML lines, indented under `    when:`.
    mutating func when() -> String {
        if chance(0.75) { return " '\(expression(depth: 2))'" }
        let items = (0..<int(1...3)).map { _ in "        - '\(expression(depth: 1))'" }.joined(separator: "\n")
        switch int(0...2) {
        case 0: return "\n      all:\n" + items
        case 1: return "\n      any:\n" + items
        default: return "\n      not: '\(expression(depth: 1))'"
        }
    }

    /// A therapy file with random rules and tiers; `bonus` adds points to one score rule.
    mutating func therapy() -> String {
        var rules: [String] = []
        for index in 0..<int(3...10) {
            let kind = pick(["exclude", "require", "require", "score", "score", "score", "caution"])
            var rule = "  - id: t-\(index)\n    kind: \(kind)\n    title: Rule \(index)\n    when:\(when())"
            if kind == "score" { rule += "\n    points: \(int(1...4))" }
            if kind == "caution" { rule += "\n    points: \(-int(1...3))" }
            rules.append(rule)
        }
        let recommended = int(2...9)
        return """
            therapy: t
            title: Generated therapy
            version: 1.0.0
            rules:
            \(rules.joined(separator: "\n"))
            tiers:
              recommended: \(recommended)
              consider: \(int(0...recommended))
            """
    }

    /// A value for one top-level field.
    mutating func value(for field: String) -> Value {
        switch field {
        case "age": return .int(Int64(int(0...120)))
        case "bmi": return .double(Double(int(150...450)) / 10)
        case "diagnosis": return .string(pick(Self.diagnoses))
        case "symptom_weeks": return .int(Int64(int(0...80)))
        case "kl_grade": return .int(Int64(int(0...4)))
        case "pregnant", "active_infection": return .bool(chance(0.3))
        case "labs": return .record(Record(["platelet_count": .double(Double(int(30...400)))]))
        case "conservative_care":
            return .list((0..<int(0...3)).map { _ in
                .record(Record([
                    "treatment": .string(pick(Self.treatments)), "weeks": .int(Int64(int(0...24))),
                    "response": .string(pick(Self.responses)),
                ]))
            })
        default:
            return .list((0..<int(0...2)).map { _ in
                .record(Record([
                    "agent": .string(pick(Self.agents)),
                    "date": .date(CivilDate(daysSinceEpoch: ScenarioGenerator.asOf.daysSinceEpoch - int(0...400))),
                ]))
            })
        }
    }

    static let asOf = CivilDate(daysSinceEpoch: 20_728)  // 2026-10-02

    /// A patient with every field recorded.
    mutating func patient() -> Patient {
        var fields: [String: Value] = ["as_of": .date(Self.asOf), "id": .string("generated")]
        for field in Self.fields { fields[field] = value(for: field) }
        return Patient(file: "generated.yaml", record: Record(fields), locations: [:])
    }
}
