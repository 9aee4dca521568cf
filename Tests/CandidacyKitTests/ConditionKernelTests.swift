import Foundation
import Testing
@testable import CandidacyKit

/// A condition's kernel answers exactly as the tree walker does, or falls back: on the shipped
/// pack's conditions for every fixture patient, and on a table of conditions and hostile records.
@Suite struct ConditionKernelTests {
    static let slots = FieldSlots(profile: CELFixture.profile)
    static let parameters = ParameterSource(CELFixture.parameters)

    static func compiled(_ text: String) throws -> CompiledExpression {
        try CompiledExpression(text, environment: CELFixture.environment, slots: slots, parameters: parameters)
    }

    /// An activation as the evaluator makes one: slots (and their codes) filled, parameters carried.
    static func activation(_ record: Record) -> Activation {
        var activation = Activation(patient: record, parameters: CELFixture.parameters, asOf: CELFixture.date("2026-10-02"))
        activation.slots = SlotValues(layout: slots, record: record)
        activation.parameterSource = parameters
        return activation
    }

    /// The kernel's answer as an evaluation result, or `nil` when it falls back.
    static func answer(_ kernel: ConditionKernel, _ activation: Activation) -> EvaluationResult? {
        var missing = ["left over from an earlier condition"]
        let truth = kernel.truth(activation, missing: &missing)
        switch truth {
        case .true: return .value(.bool(true))
        case .false: return .value(.bool(false))
        case .unknown: return .unknown(Set(missing.dropFirst()))
        case .fallBack: return nil
        }
    }

    static let conditions = [
        "pregnant", "!pregnant", "active_infection || pregnant", "pregnant && active_infection", "true && pregnant",
        "false || pregnant", "!(pregnant || bleeding_disorder)", "diagnosis == 'other'", "diagnosis != 'other'",
        "diagnosis in ['other', 'knee_osteoarthritis']", "diagnosis in []",
        "age >= 30", "age < 30.5", "age == 34", "age != 34", "age <= 34", "age > 34",
        "bmi > 30", "bmi <= 31.5", "bmi == 31", "bmi != 31.5", "bmi >= 9007199254740993", "age > 9007199254740993",
        "labs.hemoglobin < 10", "labs.platelet_count >= 150 && age > 3", "labs.platelet_count == 240",
        "has(pregnant) ? pregnant : (age > 3 ? false : pregnant)", "has(bmi)", "has(pregnant) || bmi > 40",
        "age >= params.steroid_washout_days", "diagnosis == 'other' ? age > 3 : bmi < 20",
        "pregnant && bmi > 30 || active_infection && labs.hemoglobin < 10",
        // A comparison with a condition's choice of constants: both operands' unknowns gathered.
        "age >= (diagnosis == 'other' ? 30 : params.steroid_washout_days)", "labs.hemoglobin < (pregnant ? 10 : 12.5)",
        "diagnosis == (has(bmi) ? 'other' : 'knee_osteoarthritis')", "bmi != (age > 30 ? 31.5 : 20)",
        // A plain string field: compared by bytes, multi-byte and empty strings included.
        "id in ['cäse-017', 'case-01', '', 'case-017']", "id == 'case-017'", "id != 'cäse-017'",
        "id == 'case-018'", "id in ['caseX017', 'cäse-01', 'case-0170']",
    ]

    static let longText = String(repeating: "x", count: ConditionKernel.longestString + 1)

    /// Records for every branch: complete, partial, empty, and values of types or sizes the
    /// kernel leaves to the fast path (`nil` when it must answer every condition itself).
    static let records: [(Record, mustAnswer: Bool)] = [
        (CELFixture.patient, true),
        (Record(["age": .int(20), "diagnosis": .string("other"), "pregnant": .bool(true), "active_infection": .bool(false),
                 "id": .string("cäse-017")]), true),
        (Record(["id": .string("")]), true),
        (Record(["diagnosis": .string("knee_osteoarthritis"), "labs": .record(Record(["hemoglobin": .double(9)])),
                 "bmi": .double(.nan), "bleeding_disorder": .bool(true)]), true),
        (Record(), true),
        (Record(["labs": .record(Record())]), true),
        // An enum's string not listed, and an int where the profile says number: read as values.
        (Record(["diagnosis": .string("Other"), "bmi": .int(31), "age": .double(33.5)]), false),
        (Record(["diagnosis": .string(longText), "pregnant": .string("yes"), "labs": .map([])]), false),
        (Record(["diagnosis": .int(5), "age": .string("old"), "labs": .int(1), "bmi": .bool(true)]), false),
    ]

    @Test(arguments: conditions)
    func kernelAgreesWithTheTreeWalker(_ text: String) throws {
        let expression = try Self.compiled(text)
        let kernel = try #require(expression.kernel, "\(text) has no kernel")
        for (record, mustAnswer) in Self.records {
            let activation = Self.activation(record)
            let walker = expression.evaluate(expression.root, activation)
            if let answer = Self.answer(kernel, activation) {
                #expect(answer == walker, "\(text) on \(record)")
            } else {
                #expect(!mustAnswer, "\(text) fell back on \(record)")
            }
            // Whatever the kernel does, the evaluation's result is the tree walker's.
            #expect(expression.evaluateSorted(activation) == FastPathTests.sorted(walker), "\(text) on \(record)")
        }
    }

    static let macros = [
        "conservative_care.exists(c, c.weeks >= 12)", "conservative_care.all(c, c.weeks >= 6)",
        "conservative_care.exists(c, c.treatment in ['physical_therapy', 'home_exercise'] && c.weeks >= 12 && c.response != 'resolved')",
        "injections.exists(i, i.agent == 'corticosteroid' && days_since(i.date) < params.steroid_washout_days)",
        "injections.exists(i, weeks_since(i.date) <= 4)", "injections.all(i, days_since(i.date) > 40)",
        "conservative_care.exists(c, c.weeks > 3 && bmi > 30)", "conservative_care.all(c, c.weeks > 3 || pregnant)",
        "!has(conservative_care) || !conservative_care.exists(c, c.response == 'resolved')",
        "conservative_care.exists(age, age.weeks > 3) && age > 3", "days_since(as_of) < 3", "diagnosis == 'other' && injections.exists(i, true)",
        "conservative_care.exists(c, c.response == 'resolved' || c.weeks >= (bmi > 30 ? 6 : params.steroid_washout_days))",
        "conservative_care.all(c, c.weeks < (pregnant ? 12 : 4))",
        "conservative_care.exists(c, c.response in ['resolved', 'none'] || c.treatment != 'physical_therapy')",
    ]

    /// Records for the macros: lists empty, absent, of records lacking a field, of other values,
    /// and too long to read.
    static let macroRecords: [Record] = {
        let care = { (weeks: Int64?, response: String?) -> Value in
            var fields: [String: Value] = ["treatment": .string("physical_therapy")]
            if let weeks { fields["weeks"] = .int(weeks) }
            if let response { fields["response"] = .string(response) }
            return .record(Record(fields))
        }
        let injection = { (agent: String, date: String?) -> Value in
            var fields: [String: Value] = ["agent": .string(agent)]
            if let date { fields["date"] = .date(CELFixture.date(date)) }
            return .record(Record(fields))
        }
        return [
            CELFixture.patient,
            Record(["conservative_care": .list([]), "injections": .list([]), "bmi": .double(35)]),
            Record(["age": .int(50), "as_of": .date(CELFixture.date("2026-10-01"))]),
            Record(["conservative_care": .list([care(12, "partial"), care(4, "resolved")]),
                    "injections": .list([injection("prp", "2026-09-30"), injection("corticosteroid", "2025-01-01")])]),
            Record(["conservative_care": .list([care(2, "none"), care(20, "none")]), "pregnant": .bool(true)]),
            Record(["conservative_care": .list([care(nil, "none"), care(20, "resolved")]), "injections": .list([injection("prp", nil)])]),
            Record(["conservative_care": .list([.int(3)]), "injections": .record(Record())]),
            Record(["conservative_care": .list(Array(repeating: care(1, "none"), count: 40_000))]),
        ]
    }()

    /// `exists` and `all` over a top-level list, with `days_since` and `weeks_since`: the tree
    /// walker's answers, with and without an as-of date; and the kernel itself answers most.
    @Test(arguments: macros)
    func macroKernelsAgreeWithTheTreeWalker(_ text: String) throws {
        let expression = try Self.compiled(text)
        let kernel = try #require(expression.kernel, "\(text) has no kernel")
        var answered = 0
        for record in Self.macroRecords {
            for dated in [true, false] {
                var activation = Self.activation(record)
                if !dated { activation.asOf = nil }
                let walker = expression.evaluate(expression.root, activation)
                if let answer = Self.answer(kernel, activation) {
                    answered += 1
                    #expect(answer == walker, "\(text) on \(record) dated \(dated)")
                }
                #expect(expression.evaluateSorted(activation) == FastPathTests.sorted(walker), "\(text) on \(record)")
            }
        }
        #expect(answered >= 6, "\(text): the kernel answered \(answered) of \(Self.macroRecords.count * 2)")
    }

    /// It falls back on an activation without the slots of its layout, or without the parameters
    /// it folded; a condition without `params` needs only the slots.
    @Test func fallsBackWithoutItsSlotsOrParameters() throws {
        let folded = try #require(try Self.compiled("age >= params.steroid_washout_days").kernel)
        let plain = try #require(try Self.compiled("age >= 30").kernel)
        var noParameters = Self.activation(CELFixture.patient)
        noParameters.parameterSource = nil
        var missing: [String] = []
        #expect(folded.truth(noParameters, missing: &missing) == .fallBack)
        #expect(plain.truth(noParameters, missing: &missing) == .true)
        let unfilled = Activation(patient: CELFixture.patient, parameters: CELFixture.parameters, asOf: nil)
        #expect(plain.truth(unfilled, missing: &missing) == .fallBack)
        var foreign = Self.activation(CELFixture.patient)
        foreign.slots = SlotValues(layout: FieldSlots(profile: CELFixture.profile), record: CELFixture.patient)
        #expect(plain.truth(foreign, missing: &missing) == .fallBack)
        var changed = Self.activation(CELFixture.patient)
        changed.record = Record()
        #expect(plain.truth(changed, missing: &missing) == .fallBack)
        #expect(missing.isEmpty)
    }

    /// Conditions with a macro, a call, arithmetic or a left-hand constant have no kernel.
    @Test(arguments: [
        "days_since(as_of) > 3.5", "age + 1 > 3", "3 < age", "[1, 2].exists(x, x > 1)",
        "conservative_care.exists(c, c.weeks > age)", "conservative_care.exists_one(c, c.weeks > 3)",
        "conservative_care.exists(c, injections.exists(i, i.agent == 'prp'))", "conservative_care.exists(c, has(c.weeks))",
        "size(diagnosis) > 3", "-age < 3", "[age, 3][0] > 1", "age > bmi",
    ])
    func coversOnlySmallConditions(_ text: String) throws {
        #expect(try Self.compiled(text).kernel == nil, "\(text)")
    }

    /// Every one of the shipped pack's conditions has a kernel, and on every fixture patient each
    /// answers (or falls back) exactly as the tree walker does.
    @Test(arguments: FixtureSuiteTests.fixtureFiles)
    func shippedConditionsAgree(_ file: String) throws {
        let pack = try FixtureSuiteTests.pack.get()
        let contents = try [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file)))
        let patient = try FixtureLoader.load(contents: contents, file: file, pack: pack).patient
        let slots = SlotValues(layout: pack.slots, record: patient.record)
        var kernels = 0
        var answered = 0
        var expressions: [String] = []
        for therapy in pack.therapies {
            let activation = therapy.activation(record: patient.record, slots: slots, asOf: patient.asOf)
            for rule in therapy.rules {
                for expression in FastPathTests.expressions(rule.condition) {
                    expressions.append(expression.text)
                    guard let kernel = expression.kernel else { continue }
                    kernels += 1
                    guard let answer = Self.answer(kernel, activation) else { continue }
                    answered += 1
                    #expect(answer == expression.evaluate(expression.root, activation), "\(rule.rule.id): \(expression.text)")
                }
            }
        }
        // Which shipped conditions have a kernel is the planner's business, not the rule author's:
        // a condition without one is evaluated by the tree walker, so only agreement is checked.
        #expect(kernels > 0 && kernels <= expressions.count)
        // Only an element lacking a field a macro's predicate reads is left to the fast path.
        #expect(answered * 10 >= kernels * 9, "\(file): \(kernels - answered) kernels fell back")
    }

    /// The verdict of an `all:` or `any:` rule from its items' kernels is its step's outcome and
    /// missing fields in a full evaluation, on every fixture patient (whichever of the shipped
    /// pack's all:/any: rules have one); a fixture whose items fall back is left to the items'
    /// evaluation.
    @Test(arguments: FixtureSuiteTests.fixtureFiles)
    func compoundVerdictsAreTheStepsOutcomes(_ file: String) throws {
        let pack = try FixtureSuiteTests.pack.get()
        let contents = try [UInt8](Data(contentsOf: FixtureSuiteTests.root.appendingPathComponent(file)))
        let patient = try FixtureLoader.load(contents: contents, file: file, pack: pack).patient
        let evaluation = Evaluator(pack: pack).evaluate(patient)
        let slots = SlotValues(layout: pack.slots, record: patient.record)
        var compounds = 0
        for therapy in pack.therapies {
            let activation = therapy.activation(record: patient.record, slots: slots, asOf: patient.asOf)
            let decision = try #require(evaluation.decisions.first { $0.therapy == therapy.therapy.id })
            for (position, compound) in therapy.stepCompounds.enumerated() {
                guard let compound else { continue }
                compounds += 1
                var scratch = ["left over"]
                guard let verdict = compound.verdict(activation, scratch: &scratch) else { continue }
                let step = try #require(decision.steps.first { $0.rule == therapy.stepIDs[position] })
                #expect(verdict.outcome == step.outcome, "\(file): \(step.rule)")
                #expect(verdict.missing == step.missing, "\(file): \(step.rule)")
                // The same, written over a verdict left from another patient.
                var reused = Verdict(outcome: .unknown, missing: ["stale", "zzz"])
                #expect(compound.verdict(activation, scratch: &scratch, into: &reused))
                #expect(reused.outcome == step.outcome && reused.missing == step.missing, "\(file): \(step.rule) reused")
            }
        }
        // How many compound rules get a kernel is the planner's business, not the pack's.
        #expect(compounds > 0)
    }

    @Test func codesTellFlagsNumbersAndSymbols() {
        let symbols = ["a", "b", "c"]
        #expect(SlotCode(nil, symbols: symbols) == SlotCode(nil, symbols: nil))
        #expect(SlotCode(nil, symbols: nil).tag == .absent)
        #expect(SlotCode(.bool(true), symbols: nil).payload == 1)
        #expect(SlotCode(.bool(false), symbols: nil).payload == 0)
        #expect(SlotCode(.int(-7), symbols: nil) == SlotCode(.int(-7), symbols: symbols))
        #expect(SlotCode(.int(-7), symbols: nil).payload == -7)
        #expect(SlotCode(.double(2.5), symbols: nil).tag == .double)
        #expect(SlotCode(.string("c"), symbols: symbols).payload == 2)
        #expect(SlotCode(.string("c"), symbols: symbols).tag == .symbol)
        #expect(SlotCode(.string("d"), symbols: symbols).tag == .other)
        #expect(SlotCode(.string("a"), symbols: nil).tag == .other)
        #expect(SlotCode(.list([]), symbols: nil).tag == .other)
    }
}
