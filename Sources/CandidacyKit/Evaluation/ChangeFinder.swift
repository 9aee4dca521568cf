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

    /// The suggestions for a decision, given the compiled rules and the steps they produced.
    func suggestions(for decision: TherapyDecision, rules: [CompiledRule]) -> [ChangeSuggestion] {
        let outcomes = Dictionary(uniqueKeysWithValues: decision.steps.map { ($0.rule, $0) })
        switch decision.tier {
        case .contraindicated, .recommended:
            return []
        case .ineligible:
            let unmet = rules.filter { $0.rule.kind == .require && outcomes[$0.rule.id]?.outcome == .false }.map { rule in
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
            return rules.filter { ($0.rule.kind == .require || $0.rule.kind == .exclude) && outcomes[$0.rule.id]?.outcome == .unknown }
                .map { rule in
                    let missing = outcomes[rule.rule.id]?.missing ?? []
                    return ChangeSuggestion(
                        rule: rule.rule.id, effect: .settle,
                        change: missing.isEmpty ? nil : "recording " + missing.joined(separator: ", "), now: nil)
                }
        case .consider, .notRecommended:
            let next = decision.tier == .consider ? decision.tiers.recommended : decision.tiers.consider
            let highest = decision.steps.reduce(0) { $0 + max(0, $1.potentialPoints) }
            guard highest >= next else { return [] }
            var found: [ChangeSuggestion] = []
            for rule in rules {
                guard let step = outcomes[rule.rule.id] else { continue }
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
            let failing = items.filter { !holds($0) }
            let phrases = failing.map { change(toMake: $0) }
            guard !phrases.isEmpty, phrases.allSatisfy({ $0 != nil }) else { return nil }
            return join(phrases.compactMap { $0 }, with: " and ")
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
            let failing = conjuncts(node).filter { expression.evaluate($0, activation) != .value(.bool(true)) }
            let phrases = failing.map { change(toMake: $0, in: expression) }
            guard !phrases.isEmpty, phrases.allSatisfy({ $0 != nil }) else { return nil }
            return join(phrases.compactMap { $0 }, with: " and ")
        case .or(let lhs, let rhs):
            let phrases = [lhs, rhs].compactMap { change(toMake: $0, in: expression) }
            guard !phrases.isEmpty else { return nil }
            return join(phrases, with: ", or ")
        case .binary(let op, let lhs, let rhs) where op.isOrdering:
            // Only orderings: a diagnosis or another category is not a value to change.
            guard let comparison = Comparison(op, lhs, rhs, variables: { patientPath($0) }) else { return nil }
            guard let bound = constant(comparison.constant, in: expression) else { return nil }
            let now = patient.value(atPath: Self.parts(of: comparison.path))
            return (comparison.phrase(comparison.path, bound), now.map { "now \(ValueFormatter.plain($0))" } ?? "not recorded")
        case .identifier(let name):
            guard let path = patientPath(node) else { return nil }
            let now = patient.fields[name]
            return ("\(path) true", now.map { "now \(ValueFormatter.plain($0))" } ?? "not recorded")
        case .comprehension(let comprehension) where comprehension.kind == .exists:
            return entryChange(comprehension, in: expression)
        default:
            return nil
        }
    }

    /// `list.exists(v, v.a == "x" && v.n >= 6)`: an entry with those values.
    private func entryChange(_ comprehension: Comprehension, in expression: CompiledExpression) -> Phrase? {
        guard let listPath = patientPath(comprehension.range), let predicate = comprehension.predicate else { return nil }
        var terms: [(field: String, comparison: Comparison, bound: Value)] = []
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
        let description = terms.map { $0.comparison.phrase($0.field, $0.bound) }.joined(separator: ", ")
        let noun = String(decoding: listPath.utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        guard case .list(let items)? = patient.value(atPath: Self.parts(of: listPath)) else {
            return ("\(noun) with \(description)", "not recorded")
        }
        let now = nearest(items, terms: terms, noun: noun)
        // With an entry that only falls short on one amount, say how much more would do.
        if let shortfall = shortfall(items, terms: terms, listPath: listPath) {
            let others = terms.filter { !$0.comparison.isOrdering }.map { $0.comparison.phrase($0.field, $0.bound) }
            let with = others.isEmpty ? "" : " with " + others.joined(separator: ", ")
            return ("\(shortfall.amount) more \(shortfall.unit) of \(noun)\(with)", now)
        }
        return ("\(noun) with \(description)", now)
    }

    /// `7` `weeks`: how much the best entry meeting every other term falls short of the one
    /// amount asked for (`weeks >= 12`), with the field's unit from the profile.
    private func shortfall(_ items: [Value], terms: [(field: String, comparison: Comparison, bound: Value)], listPath: String) -> (amount: Int, unit: String)? {
        let amounts = terms.filter { $0.comparison.wantsLarger }
        guard amounts.count == 1, let term = amounts.first, let bound = Comparison.number(term.bound) else { return nil }
        let others = terms.filter { !$0.comparison.isOrdering }
        let best = items.compactMap { item -> Double? in
            guard case .record(let record) = item,
                  others.allSatisfy({ other in record.fields[other.field].map { other.comparison.holds($0, other.bound) } ?? false })
            else { return nil }
            return record.fields[term.field].flatMap(Comparison.number)
        }.max() ?? 0  // no entry that fits: the whole amount is still to do
        var missing = bound - best
        if term.comparison.op == .greater { missing += 1 }
        guard missing > 0, missing == missing.rounded() else { return nil }
        let unit = profile.field(atPath: Self.parts(of: listPath))
            .flatMap { field -> FieldSchema? in if case .list(let item) = field.type { item } else { nil } }?
            .field(named: term.field)?.unit ?? term.field
        return (Int(missing), unit)
    }

    /// What the patient has closest to the entry asked for: among entries meeting every
    /// non-numeric term, the best value of the numeric one.
    private func nearest(_ items: [Value], terms: [(field: String, comparison: Comparison, bound: Value)], noun: String) -> String {
        let numeric = terms.filter { $0.comparison.isOrdering }
        let others = terms.filter { !$0.comparison.isOrdering }
        let matching = items.compactMap { item -> Record? in
            guard case .record(let record) = item else { return nil }
            let fits = others.allSatisfy { term in
                guard let value = record.fields[term.field] else { return false }
                return term.comparison.holds(value, term.bound)
            }
            return fits ? record : nil
        }
        guard let first = numeric.first else { return matching.isEmpty ? "now none" : "now \(matching.count)" }
        let values = matching.compactMap { $0.fields[first.field].flatMap(Comparison.number) }
        guard let best = first.comparison.wantsLarger ? values.max() : values.min() else {
            return items.isEmpty ? "now none recorded" : "now none that matches"
        }
        return "now \(ValueFormatter.plain(best == best.rounded() ? .int(Int64(best)) : .double(best))) \(first.field)"
    }

    /// A dotted path's names (most paths have no dot: one name, without splitting).
    private static func parts(of path: String) -> [String] {
        path.utf8.contains(UInt8(ascii: ".")) ? path.split(separator: ".").map(String.init) : [path]
    }

    private func conjuncts(_ node: ExpressionNode) -> [ExpressionNode] {
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
struct Comparison {
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
