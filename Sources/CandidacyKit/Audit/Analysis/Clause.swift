/// One part of a rule's condition that can be judged on its own: the whole condition, an item
/// of `all:`/`any:`/`not:`, an operand of `&&`, `||` or `!`, or the predicate of a macro.
struct Clause: Sendable {
    /// What the part says, as logic.
    var formula: Formula
    /// Where it starts.
    var location: SourceLocation
    /// Its canonical text.
    var text: String
    /// Whether it is the predicate of a macro such as `exists`, judged for one item at a time.
    var isPredicate: Bool
    /// Its parts, judged when the whole is not constant.
    var parts: [Clause]

    /// The clauses of a compiled rule condition.
    static func build(_ condition: CompiledCondition, therapy: CompiledTherapy, profile: ProfileSchema) -> Clause {
        let builder = ClauseBuilder(profile: profile, parameters: therapy.parameters, bound: [:])
        return builder.clause(condition)
    }
}

/// Builds ``Clause``s and ``Formula``s from compiled conditions and expression trees.
struct ClauseBuilder {
    let profile: ProfileSchema
    let parameters: Record
    /// Macro variables in scope, with the schema of the list item each one is bound to.
    var bound: [String: FieldSchema]

    func clause(_ condition: CompiledCondition) -> Clause {
        switch condition {
        case .expression(let source, let compiled):
            return clause(compiled.root, source: source)
        case .all(let items, let location), .any(let items, let location):
            let parts = items.map(clause)
            let isAll: Bool = if case .all = condition { true } else { false }
            let text = (isAll ? "all: [" : "any: [") + parts.map(\.text).joined(separator: ", ") + "]"
            let formula: Formula = isAll ? .and(parts.map(\.formula)) : .or(parts.map(\.formula))
            return Clause(formula: formula, location: location, text: text, isPredicate: false, parts: parts)
        case .not(let item, let location):
            let part = clause(item)
            return Clause(
                formula: .not(part.formula), location: location, text: "not: " + part.text, isPredicate: false,
                parts: [part])
        }
    }

    func clause(_ node: ExpressionNode, source: ExpressionSource, isPredicate: Bool = false) -> Clause {
        var parts: [Clause] = []
        switch node.kind {
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            parts = [clause(lhs, source: source), clause(rhs, source: source)]
        case .unary(.not, let operand):
            parts = [clause(operand, source: source)]
        case .conditional(let condition, _, _):
            parts = [clause(condition, source: source)]
        case .comprehension(let comprehension):
            if let predicate = comprehension.predicate, let item = itemSchema(of: comprehension.range) {
                var inner = self
                inner.bound[comprehension.variable] = item
                if let second = comprehension.secondVariable {
                    inner.bound[comprehension.variable] = nil
                    inner.bound[second] = item
                }
                parts = [inner.clause(predicate, source: source, isPredicate: true)]
            }
        default:
            break
        }
        return Clause(
            formula: formula(node), location: source.location(atScalarOffset: ExpressionPrinter.startOffset(node)),
            text: ExpressionPrinter.text(node), isPredicate: isPredicate, parts: parts)
    }

    // MARK: Formulas

    func formula(_ node: ExpressionNode) -> Formula {
        switch node.kind {
        case .literal(.bool(let value)): return .constant(value)
        case .identifier, .select:
            guard let (path, domain) = field(node), case .finite(let values) = domain, values == ["true", "false"]
            else { return .opaque }
            return .constraint(Constraint(path: path, domain: domain, test: .oneOf(["true"])))
        case .unary(.not, let operand): return .not(formula(operand))
        case .and(let lhs, let rhs): return .and([formula(lhs), formula(rhs)])
        case .or(let lhs, let rhs): return .or([formula(lhs), formula(rhs)])
        case .binary(let op, let lhs, let rhs): return comparison(op, lhs, rhs) ?? .opaque
        default: return .opaque
        }
    }

    private func comparison(_ op: BinaryOperator, _ lhs: ExpressionNode, _ rhs: ExpressionNode) -> Formula? {
        if op == .in {
            guard let (path, domain) = field(lhs), case .list(let elements) = rhs.kind else { return nil }
            let values = elements.compactMap(constant)
            guard values.count == elements.count else { return nil }
            switch domain {
            case .numeric:
                let numbers = values.compactMap(\.number)
                guard numbers.count == values.count else { return nil }
                return .constraint(Constraint(path: path, domain: domain, test: .member(Set(numbers))))
            case .finite(let all):
                let texts = values.compactMap(\.finiteText)
                guard texts.count == values.count else { return nil }
                return .constraint(Constraint(path: path, domain: domain, test: .oneOf(Set(texts).intersection(all))))
            }
        }
        var op = op
        var fieldNode = lhs
        var valueNode = rhs
        if field(lhs) == nil {
            (fieldNode, valueNode) = (rhs, lhs)
            switch op {
            case .less: op = .greater
            case .lessOrEqual: op = .greaterOrEqual
            case .greater: op = .less
            case .greaterOrEqual: op = .lessOrEqual
            default: break
            }
        }
        guard let (path, domain) = field(fieldNode), let value = constant(valueNode) else { return nil }
        switch domain {
        case .numeric:
            guard let number = value.number else { return nil }
            switch op {
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                return .constraint(Constraint(path: path, domain: domain, test: .compare(op, number)))
            default: return nil
            }
        case .finite(let all):
            guard let text = value.finiteText, op == .equal || op == .notEqual else { return nil }
            let allowed = op == .equal ? Set(all).intersection([text]) : Set(all).subtracting([text])
            return .constraint(Constraint(path: path, domain: domain, test: .oneOf(allowed)))
        }
    }

    /// The path and domain of a field read directly (a variable or a chain of selections).
    func field(_ node: ExpressionNode) -> (String, FieldDomain)? {
        guard let path = node.pathText, let schema = schema(atPath: path), let domain = FieldDomain(schema) else {
            return nil
        }
        return (path, domain)
    }

    /// The schema of a dotted path rooted at a profile field or a macro variable.
    func schema(atPath path: String) -> FieldSchema? {
        let names = path.split(separator: ".").map(String.init)
        guard let first = names.first else { return nil }
        var current: FieldSchema
        if let item = bound[first] {
            current = item
        } else if first == "params" {
            return nil
        } else if let field = profile.field(named: first) {
            current = field
        } else {
            return nil
        }
        for name in names.dropFirst() {
            guard let next = current.field(named: name) else { return nil }
            current = next
        }
        return current
    }

    /// The item schema of a list the macro ranges over.
    private func itemSchema(of range: ExpressionNode) -> FieldSchema? {
        guard let path = range.pathText, let schema = schema(atPath: path), case .list(let item) = schema.type else {
            return nil
        }
        return item
    }

    /// A literal, a negated number literal, or `params.NAME`.
    func constant(_ node: ExpressionNode) -> Value? {
        switch node.kind {
        case .literal(let value): return value
        case .unary(.negate, let operand):
            switch operand.kind {
            case .literal(.int(let value)): return .int(-value)
            case .literal(.double(let value)): return .double(-value)
            default: return nil
            }
        case .select(let operand, let name):
            guard case .identifier("params") = operand.kind, bound["params"] == nil else { return nil }
            return parameters.field(name)
        default: return nil
        }
    }
}

extension Value {
    /// An int or double as a `Double`.
    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// A string, or a bool as `true`/`false`: how finite domains name values.
    var finiteText: String? {
        switch self {
        case .string(let text): text
        case .bool(let value): value ? "true" : "false"
        default: nil
        }
    }
}
