import Foundation
import Testing
@testable import CandidacyKit

/// Every path that decides a condition gives what the plain ``ReferenceEvaluator`` gives, on
/// 10,000 generated conditions over generated patients (issue 22): the tree walker, the
/// evaluator's own path (fast path, with its fallback), the kernel where the planner made one,
/// and the full evaluation's step (outcome and missing fields). The conditions use parameters,
/// `has()`, every macro, date and list functions, ternaries, arithmetic that can fail, and
/// patients with fields missing at the top level, inside records and inside list elements.
@Suite struct DifferentialTests {
    static let parameters = """
        parameters:
          min_age: { value: 40 }
          max_bmi: { value: 30.5 }
          weeks: { value: 12 }
          strict: { value: true }
        """

    /// One atom of the grammar: the property tests' atoms and more.
    static func atom(_ g: inout ScenarioGenerator) -> String {
        switch g.int(0...19) {
        case 0: return "age >= params.min_age"
        case 1: return "bmi > params.max_bmi"
        case 2: return "params.strict && pregnant"
        case 3: return "(has(labs.platelet_count) ? labs.platelet_count < \(g.int(50...300)) : pregnant)"
        case 4: return g.chance(0.5) ? "has(pregnant)" : "!has(conservative_care)"
        case 5: return "conservative_care.all(c, c.weeks >= \(g.int(0...20)))"
        case 6: return "conservative_care.exists_one(c, c.response == \"\(g.pick(ScenarioGenerator.responses))\")"
        case 7: return "size(conservative_care.filter(c, c.weeks > \(g.int(0...20)))) >= \(g.int(0...3))"
        case 8: return "max(conservative_care.map(c, c.weeks)) >= params.weeks"
        case 9: return "sum(injections.map(i, days_since(i.date))) > \(g.int(0...500))"
        case 10: return "injections.exists(i, weeks_since(i.date) < \(g.int(1...40)))"
        case 11: return "kl_grade / (kl_grade - \(g.int(0...4))) > 0"
        case 12: return "symptom_weeks - age < \(g.int(-60...60))"
        case 13: return "(age > \(g.int(10...90)) ? kl_grade : symptom_weeks) >= \(g.int(0...10))"
        case 14: return "!has(conservative_care) || conservative_care.exists(c, c.weeks >= params.weeks && c.response != \"resolved\")"
        case 15: return "min(conservative_care.map(c, c.weeks)) < \(g.int(0...20))"
        case 16: return "labs.platelet_count * 2.0 > \(g.int(100...500)).5"
        case 17: return "injections.all(i, days_between(i.date, params_date()) >= 0)".replacingOccurrences(of: "params_date()", with: "i.date")
        default: return g.atom()
        }
    }

    static func expression(_ g: inout ScenarioGenerator, depth: Int) -> String {
        guard depth > 0, g.chance(0.55) else { return atom(&g) }
        switch g.int(0...3) {
        case 0: return "(\(expression(&g, depth: depth - 1)) && \(expression(&g, depth: depth - 1)))"
        case 1: return "(\(expression(&g, depth: depth - 1)) || \(expression(&g, depth: depth - 1)))"
        case 2: return "!(\(expression(&g, depth: depth - 1)))"
        default: return "(\(atom(&g)) ? \(expression(&g, depth: depth - 1)) : \(expression(&g, depth: depth - 1)))"
        }
    }

    /// A patient with fields removed at every level, and sometimes empty lists.
    static func patient(_ g: inout ScenarioGenerator) -> Patient {
        var patient = g.patient()
        for field in ScenarioGenerator.fields where g.chance(0.3) { patient.record.fields[field] = nil }
        if g.chance(0.2) { patient.record.fields["labs"] = .record(Record()) }
        for list in ["conservative_care", "injections"] {
            guard g.chance(0.4), case .list(let items)? = patient.record.fields[list] else { continue }
            patient.record.fields[list] = .list(items.map { item in
                guard case .record(var record) = item else { return item }
                for key in Array(record.fields.keys) where g.chance(0.3) { record.fields[key] = nil }
                return .record(record)
            })
        }
        return patient
    }

    static func outcome(_ result: EvaluationResult) -> ReferenceEvaluator.Outcome {
        switch result {
        case .value(let value): .value(value)
        case .unknown(let paths): .unknown(paths)
        case .error: .error
        }
    }

    /// What a full evaluation's step says, in the reference's terms (a non-bool value is an error there).
    static func outcome(_ step: Step) -> ReferenceEvaluator.Outcome {
        if step.error != nil { return .error }
        switch step.outcome {
        case .true: return .value(.bool(true))
        case .false: return .value(.bool(false))
        case .unknown: return .unknown(Set(step.missing))
        }
    }

    static func expected(_ reference: ReferenceEvaluator.Outcome) -> ReferenceEvaluator.Outcome {
        if case .value(let value) = reference, case .bool = value { return reference }
        if case .value = reference { return .error }
        return reference
    }

    @Test func everyPathAgreesWithTheReference() throws {
        var conditions = 0
        var unknowns = 0
        var errors = 0
        var kernels = 0
        try PropertyTests.check(seed: "iU1ZiB3d7oQ9e4RTxVBQIRtkXvfwfaoXIdc2voPmZPA=") { seed in
            var g = ScenarioGenerator(seed: seed)
            let texts = (0..<10).map { _ in Self.expression(&g, depth: 3) }
            let rules = texts.enumerated().map { index, text in
                "  - id: r-\(index)\n    kind: require\n    title: Rule \(index)\n    when: '\(text)'"
            }.joined(separator: "\n")
            let pack = try TestPack.compile(TestPack.therapy(rules: rules, parameters: Self.parameters))
            let patient = Self.patient(&g)
            let therapy = pack.therapies[0]
            let slots = SlotValues(layout: pack.slots, record: patient.record)
            let activation = therapy.activation(record: patient.record, slots: slots, asOf: patient.asOf)
            let steps = Evaluator(pack: pack).evaluate(patient).decisions[0].steps
            for (index, rule) in therapy.rules.enumerated() {
                guard case .expression(_, let expression) = rule.condition else { continue }
                var reference = ReferenceEvaluator(record: patient.record, params: therapy.parameters, asOf: patient.asOf)
                let want = reference.evaluate(expression.root)
                conditions += 1
                if case .unknown = want { unknowns += 1 }
                if case .error = want { errors += 1 }
                let context = "seed \(seed): \(expression.text)"
                #expect(Self.outcome(expression.evaluate(expression.root, activation)) == want, "tree walker, \(context)")
                #expect(Self.outcome(expression.evaluate(activation)) == want, "evaluator, \(context)")
                if let kernel = expression.kernel, let answer = ConditionKernelTests.answer(kernel, activation) {
                    kernels += 1
                    #expect(Self.outcome(answer) == Self.expected(want), "kernel, \(context)")
                }
                let step = try #require(steps.first { $0.rule == rule.rule.id })
                #expect(Self.outcome(step) == Self.expected(want), "step \(index), \(context)")
            }
        }
        #expect(conditions >= 10_000)
        #expect(unknowns > 1_000, "only \(unknowns) unknowns")
        #expect(errors > 100, "only \(errors) errors")
        #expect(kernels > 0)
    }
}
