/// Prints a parsed CEL expression in one canonical form: single spaces around binary operators,
/// parentheses only where precedence needs them, string literals double-quoted.
///
/// Two conditions that differ only in layout, quoting or redundant parentheses print the same.
enum ExpressionPrinter {
    /// The canonical text of `node`.
    static func text(_ node: ExpressionNode) -> String {
        print(node, context: 0)
    }

    /// The leftmost offset in the text covered by `node` (an operator node's own offset is its operator's).
    static func startOffset(_ node: ExpressionNode) -> Int {
        node.children.reduce(node.offset) { min($0, startOffset($1)) }
    }

    /// Binding strength: higher binds tighter.
    private static func precedence(_ node: ExpressionNode) -> Int {
        switch node.kind {
        case .conditional: 1
        case .or: 2
        case .and: 3
        case .binary(let op, _, _):
            switch op {
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in: 4
            case .add, .subtract: 5
            case .multiply, .divide, .remainder: 6
            }
        case .unary: 7
        default: 8
        }
    }

    private static func print(_ node: ExpressionNode, context: Int) -> String {
        let own = precedence(node)
        let body: String
        switch node.kind {
        case .literal(let value): body = literal(value)
        case .identifier(let name): body = name
        case .select(let operand, let field): body = print(operand, context: 8) + "." + field
        case .presenceTest(let operand, let field):
            body = "has(" + (operand.map { print($0, context: 8) + "." } ?? "") + field + ")"
        case .index(let operand, let index): body = print(operand, context: 8) + "[" + print(index, context: 0) + "]"
        case .call(let function, let target, let arguments):
            let list = arguments.map { print($0, context: 0) }.joined(separator: ", ")
            body = (target.map { print($0, context: 8) + "." } ?? "") + function.description + "(" + list + ")"
        case .unary(let op, let operand): body = op.rawValue + print(operand, context: 7)
        case .binary(let op, let lhs, let rhs):
            body = print(lhs, context: own) + " " + op.rawValue + " " + print(rhs, context: own + 1)
        case .and(let lhs, let rhs): body = print(lhs, context: own) + " && " + print(rhs, context: own)
        case .or(let lhs, let rhs): body = print(lhs, context: own) + " || " + print(rhs, context: own)
        case .conditional(let condition, let then, let otherwise):
            body = print(condition, context: 2) + " ? " + print(then, context: 2) + " : " + print(otherwise, context: 1)
        case .list(let elements): body = "[" + elements.map { print($0, context: 0) }.joined(separator: ", ") + "]"
        case .map(let entries):
            body = "{" + entries.map { print($0.key, context: 0) + ": " + print($0.value, context: 0) }
                .joined(separator: ", ") + "}"
        case .comprehension(let comprehension): body = print(comprehension)
        }
        return own < context ? "(" + body + ")" : body
    }

    private static func print(_ comprehension: Comprehension) -> String {
        let name: String = switch comprehension.kind {
        case .existsOne: "exists_one"
        default: comprehension.kind.rawValue
        }
        var arguments = [comprehension.variable]
        if let second = comprehension.secondVariable { arguments.append(second) }
        if let predicate = comprehension.predicate { arguments.append(print(predicate, context: 0)) }
        if let transform = comprehension.transform { arguments.append(print(transform, context: 0)) }
        return print(comprehension.range, context: 8) + "." + name + "(" + arguments.joined(separator: ", ") + ")"
    }

    private static func literal(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return bool ? "true" : "false"
        case .int(let int): return String(int)
        case .double(let double):
            let text = String(double)
            return text.contains(".") || text.contains("e") || text.contains("n") ? text : text + ".0"
        case .string(let string):
            var output = ""
            JSONValue.quote(string, into: &output)
            return output
        default: return ValueFormatter.plain(value)
        }
    }
}
