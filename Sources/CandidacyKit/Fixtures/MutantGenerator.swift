/// Makes the mutants of a compiled pack, one change each, in pack order: for each therapy its
/// parameters, then its rules in file order, and within a rule the tokens of its condition in
/// order, then its points, then its kind.
///
/// - Each int literal of a condition ±1, each double literal ±10% (a literal that the change
///   would leave equal is skipped).
/// - Each `<` ↔ `<=` and `>` ↔ `>=`.
/// - Each int parameter ±1, each double parameter ±10%.
/// - Each score or caution rule's points ±1.
/// - Each `exclude` rule as a `caution` worth 0 points.
public enum MutantGenerator {
    /// Every mutant of the pack.
    public static func mutants(of pack: CompiledPack) -> [Mutant] {
        var result: [Mutant] = []
        for compiled in pack.therapies {
            let therapy = compiled.therapy
            for parameter in therapy.parameters {
                for value in nudged(parameter.value) {
                    result.append(Mutant(
                        therapy: therapy.id, change: .parameter(name: parameter.name, value: value),
                        location: parameter.location,
                        summary: "params.\(parameter.name): \(ValueFormatter.plain(parameter.value)) → \(ValueFormatter.plain(value))"))
                }
            }
            for rule in compiled.rules {
                result += conditionMutants(rule.condition, path: [], rule: rule.rule.id, therapy: therapy.id)
                if rule.rule.kind == .score || rule.rule.kind == .caution {
                    for points in [rule.rule.points + 1, rule.rule.points - 1] {
                        result.append(Mutant(
                            therapy: therapy.id, change: .points(rule: rule.rule.id, points: points),
                            location: rule.rule.location, summary: "\(rule.rule.id) points: \(rule.rule.points) → \(points)"))
                    }
                }
                if rule.rule.kind == .exclude {
                    result.append(Mutant(
                        therapy: therapy.id, change: .excludeToCaution(rule: rule.rule.id),
                        location: rule.rule.location, summary: "\(rule.rule.id): exclude → caution (points 0)"))
                }
            }
        }
        return result
    }

    private static func conditionMutants(_ condition: CompiledCondition, path: [Int], rule: String, therapy: String) -> [Mutant] {
        switch condition {
        case .expression(let source, _):
            return expressionMutants(source, path: path, rule: rule, therapy: therapy)
        case .all(let items, _), .any(let items, _):
            return items.enumerated().flatMap { index, item in
                conditionMutants(item, path: path + [index], rule: rule, therapy: therapy)
            }
        case .not(let item, _):
            return conditionMutants(item, path: path + [0], rule: rule, therapy: therapy)
        }
    }

    private static func expressionMutants(_ source: ExpressionSource, path: [Int], rule: String, therapy: String) -> [Mutant] {
        let scalars = Array(source.text.unicodeScalars)
        guard case .success(let tokens) = Lexer.tokenize(scalars) else { return [] }
        let shown = source.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var result: [Mutant] = []
        for token in tokens {
            let original = String(String.UnicodeScalarView(scalars[token.offset..<token.end]))
            for replacement in replacements(for: token.kind) {
                var mutated = scalars
                mutated.replaceSubrange(token.offset..<token.end, with: replacement.unicodeScalars)
                result.append(Mutant(
                    therapy: therapy,
                    change: .condition(rule: rule, path: path, text: String(String.UnicodeScalarView(mutated))),
                    location: source.location(atScalarOffset: token.offset),
                    summary: "\(shown): '\(original)' → '\(replacement)'"))
            }
        }
        return result
    }

    /// The texts that replace a token: nudged numbers and flipped comparisons.
    private static func replacements(for kind: Token.Kind) -> [String] {
        switch kind {
        case .int(let magnitude):
            var texts: [String] = []
            if magnitude < UInt64(Int64.max) { texts.append(String(magnitude + 1)) }
            texts.append(magnitude == 0 ? "(-1)" : String(magnitude - 1))
            return texts
        case .double(let value):
            return nudged(.double(value)).compactMap { nudged in
                if case .double(let double) = nudged { return doubleLiteral(double) }
                return nil
            }
        case .punctuation(.less): return ["<="]
        case .punctuation(.lessOrEqual): return ["<"]
        case .punctuation(.greater): return [">="]
        case .punctuation(.greaterOrEqual): return [">"]
        default: return []
        }
    }

    /// An int one up and one down, a double 10% up and 10% down; nothing for other values or
    /// for a double the change would leave equal (0.0).
    static func nudged(_ value: Value) -> [Value] {
        switch value {
        case .int(let int):
            var values: [Value] = []
            if int < Int64.max { values.append(.int(int + 1)) }
            if int > Int64.min { values.append(.int(int - 1)) }
            return values
        case .double(let double):
            return [double * 1.1, double * 0.9]
                .map { ($0 * 1_000_000).rounded() / 1_000_000 }
                .filter { $0 != double && $0.isFinite }
                .map(Value.double)
        default:
            return []
        }
    }

    /// A double as a CEL double literal: always with a fraction or an exponent, negative ones
    /// in parentheses.
    private static func doubleLiteral(_ value: Double) -> String {
        var text = JSONValue.number(value)
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        return value < 0 ? "(\(text))" : text
    }
}
