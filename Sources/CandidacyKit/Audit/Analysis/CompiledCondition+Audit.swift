extension CompiledCondition {
    /// The expressions of the condition, in source order, with their sources.
    var expressions: [(source: ExpressionSource, expression: CompiledExpression)] {
        switch self {
        case .expression(let source, let expression): [(source, expression)]
        case .all(let items, _), .any(let items, _): items.flatMap(\.expressions)
        case .not(let item, _): item.expressions
        }
    }

    /// Every attribute path the condition's expressions read (see ``CompiledExpression/readPaths``).
    var readPaths: [String] {
        expressions.flatMap(\.expression.readPaths)
    }

    /// The condition in one canonical form: expressions printed by ``ExpressionPrinter``,
    /// `all:`/`any:`/`not:` spelled out, so that two conditions meaning the same text compare equal.
    var canonicalText: String {
        switch self {
        case .expression(_, let expression): ExpressionPrinter.text(expression.root)
        case .all(let items, _): "all(" + items.map(\.canonicalText).joined(separator: "; ") + ")"
        case .any(let items, _): "any(" + items.map(\.canonicalText).joined(separator: "; ") + ")"
        case .not(let item, _): "not(" + item.canonicalText + ")"
        }
    }
}
