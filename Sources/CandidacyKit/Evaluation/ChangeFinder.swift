/// Finds the smallest changes to a patient's data that would move a therapy up a tier, where a
/// rule's condition is a simple comparison (DESIGN.md section 4's "what would change").
///
/// It reads conditions, not clinical meaning: a comparison of a patient field with a constant or
/// parameter, an `exists` over a patient list whose predicate is such comparisons, and a boolean
/// field. Anything else is named by its rule only.
struct ChangeFinder {
    let patient: Record
    let activation: Activation
    let profile: ProfileSchema
    /// The parts of the phrases that are the same for every patient, worked out once (a
    /// batch's); without them, each is worked out when needed, by the same code.
    var plans: ChangePlans?

    /// The suggestions for a decision of `compiled`, given its rules' verdicts in step order
    /// (``CompiledTherapy/stepOrder``): what its steps' outcomes and missing fields are.
    func suggestions(for decision: TherapyDecision, of compiled: CompiledTherapy, verdicts: [Verdict]) -> [ChangeSuggestion] {
        if decision.tier == .contraindicated || decision.tier == .recommended { return [] }
        let rules = compiled.rules
        // Where each rule's verdict is: verdicts come in step order.
        var position = [Int](repeating: -1, count: rules.count)
        for (step, index) in compiled.stepOrder.enumerated() where step < verdicts.count && rules.indices.contains(index) {
            position[index] = step
        }
        func outcome(_ index: Int) -> TruthValue? {
            position[index] < 0 ? nil : verdicts[position[index]].outcome
        }
        switch decision.tier {
        case .contraindicated, .recommended:
            return []
        case .ineligible:
            let unmet = rules.indices.filter { rules[$0].rule.kind == .require && outcome($0) == .false }.map { index in
                let rule = rules[index]
                let phrase = change(toMake: rule.condition)
                var suggestion = ChangeSuggestion(rule: rule.rule.id, effect: .meet, change: phrase?.change, now: phrase?.now)
                suggestion.firstLine = rule.rule.firstLine
                return suggestion
            }
            // A requirement no value of the data can meet (a diagnosis out of scope) keeps the
            // therapy ineligible whatever else changes: name only those, not changes that would not help.
            let unmeetable = unmet.filter { $0.change == nil }
            return unmeetable.isEmpty ? unmet : unmeetable
        case .needsData:
            return rules.indices.filter { index in
                (rules[index].rule.kind == .require || rules[index].rule.kind == .exclude) && outcome(index) == .unknown
            }.map { index in
                let missing = verdicts[position[index]].missing
                return ChangeSuggestion(
                    rule: rules[index].rule.id, effect: .settle,
                    change: missing.isEmpty ? nil : "recording " + missing.joined(separator: ", "), now: nil)
            }
        case .consider, .notRecommended:
            let next = decision.tier == .consider ? decision.tiers.recommended : decision.tiers.consider
            guard compiled.highestScore >= next else { return [] }
            var found: [ChangeSuggestion] = []
            for (index, rule) in rules.enumerated() where position[index] >= 0 {
                let step = verdicts[position[index]]
                if rule.rule.kind == .score, rule.rule.points > 0, step.outcome == .unknown {
                    let missing = step.missing.isEmpty ? nil : "recording " + step.missing.joined(separator: ", ")
                    found.append(ChangeSuggestion(rule: rule.rule.id, effect: .add(rule.rule.points), change: missing, now: nil))
                } else if rule.rule.kind == .score, rule.rule.points > 0, step.outcome == .false,
                          let phrase = change(toMake: rule.condition) {
                    // Only what a value of the data can change: a rule on the diagnosis is no suggestion.
                    found.append(ChangeSuggestion(rule: rule.rule.id, effect: .add(rule.rule.points), change: phrase.change, now: phrase.now))
                } else if rule.rule.kind == .caution, step.outcome == .true, rule.rule.points < 0 {
                    found.append(ChangeSuggestion(rule: rule.rule.id, effect: .giveBack(-rule.rule.points), change: nil, now: nil))
                }
            }
            return found.sorted { ($0.effect.points ?? 0) > ($1.effect.points ?? 0) }
        }
    }

    /// A change and the data today.
    typealias Phrase = (change: String, now: String?)

    /// The change that would make a false condition true, if it is simple enough to name.
    func change(toMake condition: CompiledCondition) -> Phrase? {
        switch condition {
        case .expression(_, let expression):
            return change(toMake: expression.root, in: expression)
        case .all(let items, _):
            // Every failing item needs a phrase: the first without one ends the search.
            var phrases: [Phrase] = []
            for item in items where !holds(item) {
                guard let phrase = change(toMake: item) else { return nil }
                phrases.append(phrase)
            }
            guard !phrases.isEmpty else { return nil }
            return join(phrases, with: " and ")
        case .any(let items, _):
            let phrases = items.compactMap { change(toMake: $0) }
            guard !phrases.isEmpty else { return nil }
            return join(phrases, with: ", or ")
        case .not:
            return nil
        }
    }

    private func holds(_ condition: CompiledCondition) -> Bool {
        switch condition {
        case .expression(_, let expression): expression.evaluate(activation) == .value(.bool(true))
        case .all(let items, _): items.allSatisfy(holds)
        case .any(let items, _): items.contains(where: holds)
        case .not(let item, _): !holds(item)
        }
    }

    private func join(_ phrases: [Phrase], with separator: String) -> Phrase {
        let nows = phrases.compactMap(\.now)
        var unique: [String] = []
        for now in nows where !unique.contains(now) { unique.append(now) }
        return (phrases.map(\.change).joined(separator: separator), unique.isEmpty ? nil : unique.joined(separator: "; "))
    }

    private func change(toMake node: ExpressionNode, in expression: CompiledExpression) -> Phrase? {
        switch node.kind {
        case .and:
            // The conjuncts and their fast paths, when planned; each part the fast path cannot
            // decide is evaluated by the tree walker.
            let planned = plans?.conjuncts(node, in: expression)
            let parts = planned?.nodes ?? conjuncts(node)
            // Every failing part needs a phrase: the first without one ends the search.
            var phrases: [Phrase] = []
            for index in parts.indices {
                let result = planned?.paths[index]?.evaluate(activation) ?? expression.evaluate(parts[index], activation)
                if result == .value(.bool(true)) { continue }
                guard let phrase = change(toMake: parts[index], in: expression) else { return nil }
                phrases.append(phrase)
            }
            guard !phrases.isEmpty else { return nil }
            return join(phrases, with: " and ")
        case .or(let lhs, let rhs):
            let phrases = [lhs, rhs].compactMap { change(toMake: $0, in: expression) }
            guard !phrases.isEmpty else { return nil }
            return join(phrases, with: ", or ")
        case .binary(let op, _, _) where op.isOrdering:
            // Only orderings: a diagnosis or another category is not a value to change.
            guard let plan = plans?.ordering(node, in: expression) ?? orderingPlan(node, in: expression) else { return nil }
            let now = patient.value(atPath: plan.parts)
            return (plan.change, now.map { "now \(ValueFormatter.plain($0))" } ?? "not recorded")
        case .identifier(let name):
            guard let path = patientPath(node) else { return nil }
            let now = patient.field(name)
            return ("\(path) true", now.map { "now \(ValueFormatter.plain($0))" } ?? "not recorded")
        case .comprehension(let comprehension) where comprehension.kind == .exists:
            return entryChange(comprehension, at: node, in: expression)
        default:
            return nil
        }
    }

    /// An ordering of a patient path with a constant: the change asked for and the path's names.
    struct OrderingPlan: Sendable {
        let change: String
        let parts: [String]
    }

    /// The plan of an ordering node (`kl_grade <= 3`), or `nil` when it is not a patient path
    /// against a constant.
    func orderingPlan(_ node: ExpressionNode, in expression: CompiledExpression) -> OrderingPlan? {
        guard case .binary(let op, let lhs, let rhs) = node.kind,
              let comparison = Comparison(op, lhs, rhs, variables: { patientPath($0) }),
              let bound = constant(comparison.constant, in: expression)
        else { return nil }
        return OrderingPlan(change: comparison.phrase(comparison.path, bound), parts: Self.parts(of: comparison.path))
    }

    /// `list.exists(v, …)` with a predicate of comparisons: what is the same for every patient.
    struct EntryPlan: Sendable {
        typealias Term = (field: String, comparison: Comparison, bound: Value)
        let listPath: String
        let listParts: [String]
        /// `conservative care`
        let noun: String
        /// The first term that is an ordering (`weeks >= 12`): the value the patient is told.
        let orderingTerm: Term?
        /// The terms that are not orderings (`treatment == "…"`): what an entry must meet.
        let otherTerms: [Term]
        /// The terms as phrases, `treatment physical_therapy, weeks of 6 or more`.
        let description: String
        /// ` with …`: the phrases of the terms that are not orderings (empty without any).
        let with: String
        /// The one amount asked for (`weeks >= 12`), its bound and unit, when there is exactly one.
        let amount: (term: Term, bound: Double, unit: String)?
    }

    /// The plan of an `exists` macro, or `nil` when its list or predicate is not simple enough to name.
    func entryPlan(_ comprehension: Comprehension, in expression: CompiledExpression) -> EntryPlan? {
        guard let listPath = patientPath(comprehension.range), let predicate = comprehension.predicate else { return nil }
        var terms: [EntryPlan.Term] = []
        for term in conjuncts(predicate) {
            guard case .binary(let op, let lhs, let rhs) = term.kind,
                  let comparison = Comparison(op, lhs, rhs, variables: { node in
                      guard case .select(let operand, let field) = node.kind,
                            case .identifier(let name) = operand.kind, name == comprehension.variable else { return nil }
                      return field
                  }),
                  let bound = constant(comparison.constant, in: expression)
            else { return nil }
            terms.append((comparison.path, comparison, bound))
        }
        guard !terms.isEmpty else { return nil }
        let otherTerms = terms.filter { !$0.comparison.isOrdering }
        let others = otherTerms.map { $0.comparison.phrase($0.field, $0.bound) }
        let amounts = terms.filter { $0.comparison.wantsLarger }
        var amount: (term: EntryPlan.Term, bound: Double, unit: String)?
        if amounts.count == 1, let term = amounts.first, let bound = Comparison.number(term.bound) {
            let unit = profile.field(atPath: Self.parts(of: listPath))
                .flatMap { field -> FieldSchema? in if case .list(let item) = field.type { item } else { nil } }?
                .field(named: term.field)?.unit ?? term.field
            amount = (term, bound, unit)
        }
        return EntryPlan(
            listPath: listPath, listParts: Self.parts(of: listPath),
            noun: String(decoding: listPath.utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: " ") : $0 }, as: UTF8.self),
            orderingTerm: terms.first { $0.comparison.isOrdering }, otherTerms: otherTerms,
            description: terms.map { $0.comparison.phrase($0.field, $0.bound) }.joined(separator: ", "),
            with: others.isEmpty ? "" : " with " + others.joined(separator: ", "), amount: amount)
    }

    /// `list.exists(v, v.a == "x" && v.n >= 6)`: an entry with those values.
    private func entryChange(_ comprehension: Comprehension, at node: ExpressionNode, in expression: CompiledExpression) -> Phrase? {
        guard let plan = plans?.entry(node, in: expression) ?? entryPlan(comprehension, in: expression) else { return nil }
        guard case .list(let items)? = patient.value(atPath: plan.listParts) else {
            return ("\(plan.noun) with \(plan.description)", "not recorded")
        }
        let now = nearest(items, plan: plan)
        // With an entry that only falls short on one amount, say how much more would do.
        if let shortfall = shortfall(items, plan: plan) {
            return ("\(shortfall) more \(plan.amount?.unit ?? "") of \(plan.noun)\(plan.with)", now)
        }
        return ("\(plan.noun) with \(plan.description)", now)
    }

    /// `7`: how much the best entry meeting every other term falls short of the one amount
    /// asked for (`weeks >= 12`).
    private func shortfall(_ items: [Value], plan: EntryPlan) -> Int? {
        guard let (term, bound, _) = plan.amount else { return nil }
        var best: Double?
        for item in items {
            guard case .record(let record) = item, Self.fits(record, plan.otherTerms),
                  let value = record.field(term.field).flatMap(Comparison.number)
            else { continue }
            // As `max()` picks: the first of equals, a later value only when strictly larger.
            if let current = best, !(current < value) { continue }
            best = value
        }
        // No entry that fits: the whole amount is still to do.
        var missing = bound - (best ?? 0)
        if term.comparison.op == .greater { missing += 1 }
        // (Below 2^63, so that the count is an Int.)
        guard missing > 0, missing == missing.rounded(), missing < 9e18 else { return nil }
        return Int(missing)
    }

    /// What the patient has closest to the entry asked for: among entries meeting every
    /// non-numeric term, the best value of the numeric one.
    private func nearest(_ items: [Value], plan: EntryPlan) -> String {
        let first = plan.orderingTerm
        var matching = 0
        var best: Double?
        for item in items {
            guard case .record(let record) = item, Self.fits(record, plan.otherTerms) else { continue }
            matching += 1
            guard let first, let value = record.field(first.field).flatMap(Comparison.number) else { continue }
            // As `max()` and `min()` pick: the first of equals.
            if let current = best, first.comparison.wantsLarger ? !(current < value) : !(value < current) { continue }
            best = value
        }
        guard let first else { return matching == 0 ? "now none" : "now \(matching)" }
        guard let best else { return items.isEmpty ? "now none recorded" : "now none that matches" }
        return "now \(ValueFormatter.plain(best == best.rounded() ? .int(Int64(best)) : .double(best))) \(first.field)"
    }

    /// Whether an entry meets every one of `terms` (each field recorded and satisfying its comparison).
    private static func fits(_ record: Record, _ terms: [EntryPlan.Term]) -> Bool {
        for term in terms {
            guard let value = record.field(term.field), term.comparison.holds(value, term.bound) else { return false }
        }
        return true
    }

    /// A dotted path's names (most paths have no dot: one name, without splitting).
    static func parts(of path: String) -> [String] {
        path.utf8.contains(UInt8(ascii: ".")) ? path.split(separator: ".").map(String.init) : [path]
    }

    func conjuncts(_ node: ExpressionNode) -> [ExpressionNode] {
        if case .and(let lhs, let rhs) = node.kind { return conjuncts(lhs) + conjuncts(rhs) }
        return [node]
    }

    /// The dotted path of a selection chain rooted at a patient field, or `nil`.
    private func patientPath(_ node: ExpressionNode) -> String? {
        switch node.kind {
        case .identifier(let name): name == "params" ? nil : name
        case .select(let operand, let field): patientPath(operand).map { "\($0).\(field)" }
        default: nil
        }
    }

    /// The value of a side that reads no patient field: a literal, a parameter, arithmetic on them.
    private func constant(_ node: ExpressionNode, in expression: CompiledExpression) -> Value? {
        guard readsNoPatientField(node), case .value(let value) = expression.evaluate(node, activation) else { return nil }
        return value
    }

    private func readsNoPatientField(_ node: ExpressionNode) -> Bool {
        switch node.kind {
        case .literal: true
        case .identifier(let name): name == "params"
        case .select(let operand, _): readsNoPatientField(operand)
        case .binary(_, let lhs, let rhs): readsNoPatientField(lhs) && readsNoPatientField(rhs)
        case .unary(_, let operand): readsNoPatientField(operand)
        case .list(let items): items.allSatisfy(readsNoPatientField)
        default: false
        }
    }
}

/// A comparison of a variable side (a patient path or an entry's field) with a constant side,
/// turned so that the variable is on the left.
struct Comparison: Sendable {
    let op: BinaryOperator
    let path: String
    let constant: ExpressionNode

    init?(_ op: BinaryOperator, _ lhs: ExpressionNode, _ rhs: ExpressionNode, variables: (ExpressionNode) -> String?) {
        if let path = variables(lhs) {
            (self.op, self.path, self.constant) = (op, path, rhs)
        } else if let path = variables(rhs), op != .in {
            let flipped: BinaryOperator = switch op {
            case .less: .greater
            case .lessOrEqual: .greaterOrEqual
            case .greater: .less
            case .greaterOrEqual: .lessOrEqual
            default: op
            }
            (self.op, self.path, self.constant) = (flipped, path, lhs)
        } else {
            return nil
        }
        guard op.isOrdering || op == .equal || op == .notEqual || op == .in else { return nil }
    }

    var isOrdering: Bool { op.isOrdering }
    var wantsLarger: Bool { op == .greater || op == .greaterOrEqual }

    /// `weeks of 6 or more`, `response other than resolved`, `treatment physical_therapy or home_exercise`.
    func phrase(_ subject: String, _ bound: Value) -> String {
        let text = ValueFormatter.plain(bound)
        switch op {
        case .greaterOrEqual: return "\(subject) of \(text) or more"
        case .greater: return "\(subject) above \(text)"
        case .lessOrEqual: return "\(subject) of \(text) or less"
        case .less: return "\(subject) below \(text)"
        case .notEqual: return "\(subject) other than \(text)"
        case .in:
            if case .list(let items) = bound { return "\(subject) " + items.map(ValueFormatter.plain).joined(separator: " or ") }
            return "\(subject) in \(text)"
        default: return "\(subject) \(text)"
        }
    }

    /// Whether a value satisfies the comparison with the bound (for the non-numeric terms).
    func holds(_ value: Value, _ bound: Value) -> Bool {
        switch op {
        case .equal: return value == bound
        case .notEqual: return value != bound
        case .in:
            if case .list(let items) = bound { return items.contains(value) }
            return false
        default:
            guard let lhs = Comparison.number(value), let rhs = Comparison.number(bound) else { return false }
            switch op {
            case .less: return lhs < rhs
            case .lessOrEqual: return lhs <= rhs
            case .greater: return lhs > rhs
            default: return lhs >= rhs
            }
        }
    }

    static func number(_ value: Value) -> Double? {
        switch value {
        case .int(let int): Double(int)
        case .double(let double): double
        default: nil
        }
    }
}

/// The parts of a therapy's change phrases that are the same for every patient — each ordering's
/// and each `exists` macro's plan — worked out once for a batch by ``ChangeFinder``'s own code.
final class ChangePlans: Sendable {
    /// A node of one of the therapy's conditions: its expression's text and its offset in it.
    /// Hashed by the text's hash worked out when compiling (``CompiledExpression/textHash``),
    /// compared by the text itself.
    private struct Key: Hashable {
        let text: String
        let textHash: Int
        let offset: Int

        init(_ expression: CompiledExpression, _ node: ExpressionNode) {
            (text, textHash, offset) = (expression.text, expression.textHash, node.offset)
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.offset == rhs.offset && lhs.textHash == rhs.textHash && lhs.text == rhs.text
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(textHash)
            hasher.combine(offset)
        }
    }

    private let orderings: [Key: ChangeFinder.OrderingPlan?]
    private let entries: [Key: ChangeFinder.EntryPlan?]
    private let conjunctions: [Key: Conjuncts]

    /// The conjuncts of an `&&` node of a condition (outside any macro), each with its fast
    /// path (compiled with the condition's slots and the therapy's parameters), or `nil` where
    /// it has none.
    struct Conjuncts: Sendable {
        let nodes: [ExpressionNode]
        let paths: [FastPath?]
    }

    init(_ compiled: CompiledTherapy, profile: ProfileSchema) {
        // Constants read parameters only, never the patient: an empty record will do.
        let finder = ChangeFinder(
            patient: Record(), activation: Activation(variables: compiled.variables, asOf: nil), profile: profile)
        var orderings: [Key: ChangeFinder.OrderingPlan?] = [:]
        var entries: [Key: ChangeFinder.EntryPlan?] = [:]
        func visit(_ node: ExpressionNode, _ expression: CompiledExpression) {
            let key = Key(expression, node)
            switch node.kind {
            case .binary(let op, _, _) where op.isOrdering:
                if orderings[key] == nil { orderings[key] = .some(finder.orderingPlan(node, in: expression)) }
            case .comprehension(let comprehension) where comprehension.kind == .exists:
                if entries[key] == nil { entries[key] = .some(finder.entryPlan(comprehension, in: expression)) }
            default:
                break
            }
            for child in node.children { visit(child, expression) }
        }
        var conjunctions: [Key: Conjuncts] = [:]
        // The `&&` nodes "what would change" takes apart: from the root through `&&` and `||`.
        func visitLogical(_ node: ExpressionNode, _ expression: CompiledExpression) {
            switch node.kind {
            case .and:
                let key = Key(expression, node)
                let nodes = finder.conjuncts(node)
                if conjunctions[key] == nil {
                    conjunctions[key] = Conjuncts(nodes: nodes, paths: nodes.map { conjunct in
                        FastPath(conjunct, slots: expression.slotLayout, parameters: compiled.parameterSource, absentIsUnknown: expression.absentIsUnknown)
                    })
                }
                nodes.forEach { visitLogical($0, expression) }
            case .or(let lhs, let rhs):
                visitLogical(lhs, expression)
                visitLogical(rhs, expression)
            default:
                break
            }
        }
        func visit(_ condition: CompiledCondition) {
            switch condition {
            case .expression(_, let expression):
                visit(expression.root, expression)
                visitLogical(expression.root, expression)
            case .all(let items, _), .any(let items, _): items.forEach(visit)
            case .not(let item, _): visit(item)
            }
        }
        for rule in compiled.rules { visit(rule.condition) }
        self.orderings = orderings
        self.entries = entries
        self.conjunctions = conjunctions
    }

    /// The conjuncts of an `&&` node, with their fast paths, or `nil` when not planned.
    func conjuncts(_ node: ExpressionNode, in expression: CompiledExpression) -> Conjuncts? {
        conjunctions[Key(expression, node)]
    }

    /// The plan of an ordering node: `.some(nil)` when it has none, `nil` when not planned.
    func ordering(_ node: ExpressionNode, in expression: CompiledExpression) -> ChangeFinder.OrderingPlan?? {
        orderings[Key(expression, node)]
    }

    /// The plan of an `exists` macro: `.some(nil)` when it has none, `nil` when not planned.
    func entry(_ node: ExpressionNode, in expression: CompiledExpression) -> ChangeFinder.EntryPlan?? {
        entries[Key(expression, node)]
    }
}
