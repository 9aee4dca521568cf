/// The values a profile field can take, as the schema declares them.
enum FieldDomain: Sendable, Hashable {
    /// An `int` or `number` between `low` and `high` (infinite when the schema gives no bound).
    case numeric(integer: Bool, low: Double, high: Double)
    /// An `enum` (its values) or a `bool` (`true` and `false`).
    case finite([String])

    /// The domain of a field's schema, or `nil` for types the analysis does not reason about.
    init?(_ schema: FieldSchema) {
        switch schema.type {
        case .int: self = .numeric(integer: true, low: schema.minimum ?? -.infinity, high: schema.maximum ?? .infinity)
        case .number: self = .numeric(integer: false, low: schema.minimum ?? -.infinity, high: schema.maximum ?? .infinity)
        case .enumeration(let values): self = .finite(values)
        case .bool: self = .finite(["true", "false"])
        default: return nil
        }
    }

    /// `0 to 120`, `one of a, b, c`.
    var summary: String {
        switch self {
        case .numeric(_, let low, let high):
            switch (low.isFinite, high.isFinite) {
            case (true, true): return "\(Format.number(low)) to \(Format.number(high))"
            case (true, false): return "at least \(Format.number(low))"
            case (false, true): return "at most \(Format.number(high))"
            case (false, false): return "any number"
            }
        case .finite(let values):
            return values == ["true", "false"] ? "true or false" : "one of \(values.joined(separator: ", "))"
        }
    }
}

/// What one comparison of a field with a constant says about the field's value.
struct Constraint: Sendable, Hashable {
    /// The tests the analysis understands.
    enum Test: Sendable, Hashable {
        /// `field op value` with `op` one of `==`, `!=`, `<`, `<=`, `>`, `>=`.
        case compare(BinaryOperator, Double)
        /// `field in [values]`, and its negation.
        case member(Set<Double>), notMember(Set<Double>)
        /// The field (an enum or bool) is one of these values.
        case oneOf(Set<String>)
    }

    /// The field's dotted path; inside a macro, rooted at the macro's variable (`c.weeks`).
    var path: String
    /// The values the schema allows.
    var domain: FieldDomain
    /// What the condition says.
    var test: Test

    /// The constraint that holds exactly when this one does not (for a known value).
    var negated: Constraint {
        var result = self
        switch test {
        case .compare(let op, let value):
            let flipped: BinaryOperator = switch op {
            case .equal: .notEqual
            case .notEqual: .equal
            case .less: .greaterOrEqual
            case .lessOrEqual: .greater
            case .greater: .lessOrEqual
            default: .less
            }
            result.test = .compare(flipped, value)
        case .member(let values): result.test = .notMember(values)
        case .notMember(let values): result.test = .member(values)
        case .oneOf(let values):
            if case .finite(let all) = domain { result.test = .oneOf(Set(all).subtracting(values)) }
        }
        return result
    }
}

/// A condition as propositional logic over ``Constraint``s; what the analysis cannot read is opaque.
indirect enum Formula: Sendable {
    case constraint(Constraint)
    /// A part the analysis does not reason about: it may be true or false.
    case opaque
    case constant(Bool)
    case and([Formula])
    case or([Formula])
    case not(Formula)

    /// Whether some values of the fields make the formula true: `nil` when the analysis gives up
    /// (too many cases).
    var isSatisfiable: Bool? {
        guard let cases = Formula.disjunctiveNormalForm(self, negated: false) else { return nil }
        return cases.contains { Formula.isSatisfiable(conjunction: $0) }
    }

    /// `true` or `false` when the formula has that value for every patient whose fields it reads
    /// are known, else `nil`.
    var constantValue: Bool? {
        if isSatisfiable == false { return false }
        if Formula.not(self).isSatisfiable == false { return true }
        return nil
    }

    /// The constrained fields and their domains, by path, in first-appearance order.
    var fields: [(path: String, domain: FieldDomain)] {
        var result: [(path: String, domain: FieldDomain)] = []
        func visit(_ formula: Formula) {
            switch formula {
            case .constraint(let constraint):
                if !result.contains(where: { $0.path == constraint.path }) {
                    result.append((constraint.path, constraint.domain))
                }
            case .and(let items), .or(let items): items.forEach(visit)
            case .not(let item): visit(item)
            case .opaque, .constant: break
            }
        }
        visit(self)
        return result
    }

    // MARK: Solving

    private static let maximumCases = 512

    /// The formula (or its negation) as a list of conjunctions, or `nil` past ``maximumCases``.
    private static func disjunctiveNormalForm(_ formula: Formula, negated: Bool) -> [[Constraint]]? {
        switch formula {
        case .constraint(let constraint): return [[negated ? constraint.negated : constraint]]
        case .opaque: return [[]]
        case .constant(let value): return value != negated ? [[]] : []
        case .not(let item): return disjunctiveNormalForm(item, negated: !negated)
        case .and(let items), .or(let items):
            let isConjunction: Bool = if case .and = formula { !negated } else { negated }
            if isConjunction {
                var result: [[Constraint]] = [[]]
                for item in items {
                    guard let cases = disjunctiveNormalForm(item, negated: negated) else { return nil }
                    var next: [[Constraint]] = []
                    for left in result {
                        for right in cases { next.append(left + right) }
                    }
                    guard next.count <= maximumCases else { return nil }
                    result = next
                }
                return result
            }
            var result: [[Constraint]] = []
            for item in items {
                guard let cases = disjunctiveNormalForm(item, negated: negated) else { return nil }
                result += cases
                guard result.count <= maximumCases else { return nil }
            }
            return result
        }
    }

    private static func isSatisfiable(conjunction: [Constraint]) -> Bool {
        var byPath: [String: [Constraint]] = [:]
        for constraint in conjunction { byPath[constraint.path, default: []].append(constraint) }
        return byPath.values.allSatisfy(isSatisfiable(sameField:))
    }

    /// Whether one field can meet all the constraints at once.
    private static func isSatisfiable(sameField constraints: [Constraint]) -> Bool {
        guard let domain = constraints.first?.domain else { return true }
        switch domain {
        case .finite(let all):
            var allowed = Set(all)
            for constraint in constraints {
                if case .oneOf(let values) = constraint.test { allowed.formIntersection(values) }
            }
            return !allowed.isEmpty
        case .numeric(let integer, var low, var high):
            var lowOpen = false
            var highOpen = false
            var points: Set<Double>?
            var excluded: Set<Double> = []
            func raise(_ value: Double, open: Bool) {
                if value > low || (value == low && open) { (low, lowOpen) = (value, open) }
            }
            func lower(_ value: Double, open: Bool) {
                if value < high || (value == high && open) { (high, highOpen) = (value, open) }
            }
            for constraint in constraints {
                switch constraint.test {
                case .compare(.equal, let value): points = (points ?? [value]).intersection([value])
                case .compare(.notEqual, let value): excluded.insert(value)
                case .compare(.less, let value): lower(value, open: true)
                case .compare(.lessOrEqual, let value): lower(value, open: false)
                case .compare(.greater, let value): raise(value, open: true)
                case .compare(.greaterOrEqual, let value): raise(value, open: false)
                case .compare: break
                case .member(let values): points = (points ?? values).intersection(values)
                case .notMember(let values): excluded.formUnion(values)
                case .oneOf: break
                }
            }
            func admits(_ value: Double) -> Bool {
                if integer && value != value.rounded() { return false }
                if value < low || (value == low && lowOpen) { return false }
                if value > high || (value == high && highOpen) { return false }
                return !excluded.contains(value)
            }
            if let points { return points.contains(where: admits) }
            if integer {
                let first = lowOpen ? (low + 1).rounded(.down) : low.rounded(.up)
                let last = highOpen ? (high - 1).rounded(.up) : high.rounded(.down)
                guard first <= last else { return false }
                guard last - first < 1_000 else { return true }
                return stride(from: first, through: last, by: 1).contains { !excluded.contains($0) }
            }
            if low < high { return true }
            return low == high && !lowOpen && !highOpen && !excluded.contains(low)
        }
    }
}
