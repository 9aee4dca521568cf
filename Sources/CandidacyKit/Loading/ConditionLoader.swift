/// Reads a rule's `when`: a CEL expression, or a mapping with exactly one key, `all` or `any`
/// (a non-empty list of conditions) or `not` (one condition). Expressions are not parsed here.
enum ConditionLoader {
    private static let combinators = ["all", "any", "not"]
    private static let expected = "expected a condition (an expression, or a mapping with one key: all, any or not)"

    static func condition(_ node: YAMLNode, document: YAMLDocument, log: inout DiagnosticLog) -> Condition? {
        switch node.content {
        case .scalar(let text, let style):
            if node.isNull {
                log.error(at: node.location, code: "wrong-type", "\(expected), found null")
                return nil
            }
            if text.allSatisfy(\.isWhitespace) {
                log.error(at: node.location, code: "wrong-type", "expected an expression, found an empty string")
                return nil
            }
            return .expression(
                ExpressionMapper.source(text: text, style: style, at: node.location, lines: document.lines))
        case .sequence:
            log.error(at: node.location, code: "wrong-type", "\(expected), found a list")
            return nil
        case .mapping(let pairs):
            guard let first = pairs.first else {
                log.error(at: node.location, code: "wrong-type", "\(expected), found an empty mapping")
                return nil
            }
            var valid = true
            for pair in pairs {
                let key = pair.key.scalarText ?? ""
                if !combinators.contains(key) {
                    log.error(
                        at: pair.key.location, code: "unknown-key",
                        "unknown condition '\(ScalarReader.excerpt(key))'; expected one of all, any, not"
                            + Suggestion.didYouMean(key, in: combinators))
                    valid = false
                }
            }
            if pairs.count > 1 {
                let keys = pairs.map { $0.key.scalarText ?? "" }.joined(separator: ", ")
                log.error(
                    at: node.location, code: "invalid-condition",
                    "a condition mapping has exactly one key (all, any or not), found \(pairs.count): \(keys)")
                return nil
            }
            guard valid, let key = first.key.scalarText else { return nil }
            let location = first.key.location
            if key == "not" {
                if first.value.items != nil {
                    log.error(
                        at: first.value.location, code: "wrong-type",
                        "'not' takes one condition, found a list: use not: { any: [...] } or not: { all: [...] }")
                    return nil
                }
                return condition(first.value, document: document, log: &log).map { .not($0, location) }
            }
            guard let items = first.value.items else {
                log.error(
                    at: first.value.location, code: "wrong-type",
                    "'\(key)' takes a list of conditions, found \(ScalarReader.describe(first.value))")
                return nil
            }
            guard !items.isEmpty else {
                log.error(
                    at: first.value.location, code: "empty",
                    "'\(key)' needs at least one condition, found an empty list")
                return nil
            }
            var conditions: [Condition] = []
            for item in items {
                if let condition = condition(item, document: document, log: &log) {
                    conditions.append(condition)
                } else {
                    valid = false
                }
            }
            guard valid else { return nil }
            return key == "all" ? .all(conditions, location) : .any(conditions, location)
        }
    }
}
