/// A recursive-descent parser for CEL (cel.dev) syntax, with macros expanded into
/// ``Comprehension`` nodes and `has()` into presence tests.
///
/// The parser stops at the first syntax error. Inputs longer than
/// ``ExpressionLimits/maximumLength`` or nested deeper than ``ExpressionLimits/maximumNestingDepth``
/// are errors, so hostile input cannot exhaust the stack.
public struct ExpressionParser {
    /// Words CEL reserves: they cannot name variables or functions, only fields after a dot.
    public static let reservedWords: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "in",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    private static let macroNames: Set<String> = [
        "all", "exists", "exists_one", "existsOne", "map", "filter", "transformList", "transformMap",
    ]

    private let tokens: [Token]
    private var position = 0
    private var depth = 0

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses an expression's text.
    public static func parse(_ text: String) throws(ExpressionError) -> ExpressionNode {
        let scalars = Array(text.unicodeScalars)
        if scalars.count > ExpressionLimits.maximumLength {
            throw ExpressionError(
                offset: ExpressionLimits.maximumLength,
                message: "expression is too long: \(scalars.count) characters, at most \(ExpressionLimits.maximumLength) allowed")
        }
        let tokens: [Token]
        switch Lexer.tokenize(scalars) {
        case .success(let result): tokens = result
        case .failure(let error): throw error
        }
        var parser = ExpressionParser(tokens: tokens)
        let node = try parser.parseExpression()
        let next = parser.current
        if case .end = next.kind {
        } else {
            throw ExpressionError(offset: next.offset, message: "expected end of expression but found \(next.displayName)")
        }
        if let deep = ExpressionParser.nodeTooDeep(node) {
            throw ExpressionError(
                offset: deep.offset,
                message: "expression nests too deeply: more than \(ExpressionLimits.maximumTreeDepth) levels of operators")
        }
        return node
    }

    // MARK: Tokens

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func accept(_ punctuation: Token.Punctuation) -> Token? {
        if current.isPunctuation(punctuation) { return advance() }
        return nil
    }

    private mutating func expect(_ punctuation: Token.Punctuation, _ context: String = "") throws(ExpressionError) -> Token {
        if let token = accept(punctuation) { return token }
        throw ExpressionError(
            offset: current.offset,
            message: "expected '\(punctuation.rawValue)'\(context) but found \(current.displayName)")
    }

    private func peekPunctuation(_ ahead: Int) -> Token.Punctuation? {
        let index = Swift.min(position + ahead, tokens.count - 1)
        if case .punctuation(let punctuation) = tokens[index].kind { return punctuation }
        return nil
    }

    private mutating func enter(_ offset: Int, levels: Int = 1) throws(ExpressionError) {
        depth += levels
        if depth > ExpressionLimits.maximumNestingDepth {
            throw ExpressionError(
                offset: offset,
                message: "expression nests too deeply: more than \(ExpressionLimits.maximumNestingDepth) levels")
        }
    }

    // MARK: Grammar

    /// Expr = ConditionalOr ["?" ConditionalOr ":" Expr]
    private mutating func parseExpression() throws(ExpressionError) -> ExpressionNode {
        try enter(current.offset)
        defer { depth -= 1 }
        let condition = try parseLogical(or: true)
        guard let question = accept(.question) else { return condition }
        let then = try parseLogical(or: true)
        _ = try expect(.colon, " in a conditional expression")
        let otherwise = try parseExpression()
        return ExpressionNode(.conditional(condition, then, otherwise), at: question.offset)
    }

    /// ConditionalOr = ConditionalAnd {"||" ConditionalAnd}; ConditionalAnd = Relation {"&&" Relation}.
    /// Chains are built as balanced trees, which `&&` and `||` allow since CEL makes them commutative.
    private mutating func parseLogical(or: Bool) throws(ExpressionError) -> ExpressionNode {
        var operands = [or ? try parseLogical(or: false) : try parseRelation()]
        var offsets: [Int] = []
        while let token = accept(or ? .or : .and) {
            offsets.append(token.offset)
            operands.append(or ? try parseLogical(or: false) : try parseRelation())
        }
        if operands.count == 1 { return operands[0] }
        return ExpressionParser.balance(operands[...], offsets[...], or: or)
    }

    private static func balance(_ operands: ArraySlice<ExpressionNode>, _ offsets: ArraySlice<Int>, or: Bool) -> ExpressionNode {
        if operands.count == 1, let only = operands.first { return only }
        let middle = operands.startIndex + operands.count / 2
        let left = balance(operands[..<middle], offsets[offsets.startIndex..<(middle - 1)], or: or)
        let right = balance(operands[middle...], offsets[middle...], or: or)
        let offset = offsets[middle - 1]
        return ExpressionNode(or ? .or(left, right) : .and(left, right), at: offset)
    }

    private func relationOperator() -> BinaryOperator? {
        switch current.kind {
        case .punctuation(.equal): .equal
        case .punctuation(.notEqual): .notEqual
        case .punctuation(.less): .less
        case .punctuation(.lessOrEqual): .lessOrEqual
        case .punctuation(.greater): .greater
        case .punctuation(.greaterOrEqual): .greaterOrEqual
        case .identifier("in"): .in
        default: nil
        }
    }

    /// Relation = Addition {Relop Addition}
    private mutating func parseRelation() throws(ExpressionError) -> ExpressionNode {
        var node = try parseAddition()
        while let op = relationOperator() {
            let token = advance()
            let rhs = try parseAddition()
            node = ExpressionNode(.binary(op, node, rhs), at: token.offset)
        }
        return node
    }

    /// Addition = Multiplication {("+" | "-") Multiplication}
    private mutating func parseAddition() throws(ExpressionError) -> ExpressionNode {
        var node = try parseMultiplication()
        while true {
            let op: BinaryOperator
            if current.isPunctuation(.plus) {
                op = .add
            } else if current.isPunctuation(.minus) {
                op = .subtract
            } else {
                return node
            }
            let token = advance()
            let rhs = try parseMultiplication()
            node = ExpressionNode(.binary(op, node, rhs), at: token.offset)
        }
    }

    /// Multiplication = Unary {("*" | "/" | "%") Unary}
    private mutating func parseMultiplication() throws(ExpressionError) -> ExpressionNode {
        var node = try parseUnary()
        while true {
            let op: BinaryOperator
            if current.isPunctuation(.star) {
                op = .multiply
            } else if current.isPunctuation(.slash) {
                op = .divide
            } else if current.isPunctuation(.percent) {
                op = .remainder
            } else {
                return node
            }
            let token = advance()
            let rhs = try parseUnary()
            node = ExpressionNode(.binary(op, node, rhs), at: token.offset)
        }
    }

    /// Unary = Member | "!" {"!"} Member | "-" {"-"} Member.
    /// A minus directly before an int literal is part of the literal, so `-9223372036854775808` is an int.
    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        var operators: [Token] = []
        while current.isPunctuation(.bang) || current.isPunctuation(.minus) {
            operators.append(advance())
        }
        if operators.isEmpty { return try parseMember() }
        try enter(operators[0].offset, levels: operators.count)
        defer { depth -= operators.count }
        var node: ExpressionNode
        if let last = operators.last, last.isPunctuation(.minus), case .int(let magnitude) = current.kind,
           !(peekPunctuation(1) == .dot || peekPunctuation(1) == .leftBracket) {
            let literal = advance()
            let value: Int64 = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            node = ExpressionNode(.literal(.int(value)), at: last.offset)
            _ = literal
            operators.removeLast()
        } else {
            node = try parseMember()
        }
        for token in operators.reversed() {
            let op: UnaryOperator = token.isPunctuation(.bang) ? .not : .negate
            node = ExpressionNode(.unary(op, node), at: token.offset)
        }
        return node
    }

    /// Member = Primary {"." IDENT ["(" [ExprList] ")"] | "[" Expr "]"}
    private mutating func parseMember() throws(ExpressionError) -> ExpressionNode {
        var node = try parsePrimary()
        while true {
            if let dot = accept(.dot) {
                guard case .identifier(let name) = current.kind else {
                    throw ExpressionError(offset: current.offset, message: "expected a field name after '.' but found \(current.displayName)")
                }
                _ = advance()
                if let open = accept(.leftParen) {
                    let arguments = try parseArguments(open: open)
                    node = try makeReceiverCall(name, target: node, arguments: arguments, offset: dot.offset)
                } else {
                    node = ExpressionNode(.select(node, field: name), at: dot.offset)
                }
            } else if let open = accept(.leftBracket) {
                let index = try parseExpression()
                _ = try expect(.rightBracket, " to close the index opened at offset \(open.offset)")
                node = ExpressionNode(.index(node, index), at: open.offset)
            } else if current.isPunctuation(.leftBrace), isTypeName(node) {
                throw ExpressionError(offset: current.offset, message: "message construction (Type{field: value}) is not supported")
            } else {
                return node
            }
        }
    }

    private func isTypeName(_ node: ExpressionNode) -> Bool {
        switch node.kind {
        case .identifier: true
        case .select(let operand, _): isTypeName(operand)
        default: false
        }
    }

    private mutating func parseArguments(open: Token) throws(ExpressionError) -> [ExpressionNode] {
        var arguments: [ExpressionNode] = []
        if accept(.rightParen) != nil { return arguments }
        while true {
            arguments.append(try parseExpression())
            if accept(.rightParen) != nil { return arguments }
            if accept(.comma) == nil {
                throw ExpressionError(
                    offset: current.offset, message: "expected ',' or ')' in the argument list but found \(current.displayName)")
            }
        }
    }

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .int(let magnitude):
            _ = advance()
            guard magnitude <= UInt64(Int64.max) else {
                throw ExpressionError(offset: token.offset, message: "integer literal out of range for a 64-bit int")
            }
            return ExpressionNode(.literal(.int(Int64(magnitude))), at: token.offset)
        case .uint:
            throw ExpressionError(offset: token.offset, message: "unsigned integer literals (with a 'u' suffix) are not supported")
        case .double(let value):
            _ = advance()
            return ExpressionNode(.literal(.double(value)), at: token.offset)
        case .string(let value):
            _ = advance()
            return ExpressionNode(.literal(.string(value)), at: token.offset)
        case .bytes:
            throw ExpressionError(offset: token.offset, message: "bytes literals are not supported")
        case .identifier(let name):
            _ = advance()
            switch name {
            case "true": return ExpressionNode(.literal(.bool(true)), at: token.offset)
            case "false": return ExpressionNode(.literal(.bool(false)), at: token.offset)
            case "null": return ExpressionNode(.literal(.null), at: token.offset)
            default: break
            }
            if ExpressionParser.reservedWords.contains(name) {
                throw ExpressionError(offset: token.offset, message: "'\(name)' is a reserved word and cannot name a variable or function")
            }
            if let open = accept(.leftParen) {
                let arguments = try parseArguments(open: open)
                return try makeGlobalCall(name, arguments: arguments, offset: token.offset)
            }
            return ExpressionNode(.identifier(name), at: token.offset)
        case .punctuation(.dot):
            // A leading dot names an identifier in the root scope.
            _ = advance()
            guard case .identifier(let name) = current.kind, !ExpressionParser.reservedWords.contains(name) else {
                throw ExpressionError(offset: current.offset, message: "expected an identifier after '.' but found \(current.displayName)")
            }
            _ = advance()
            if let open = accept(.leftParen) {
                let arguments = try parseArguments(open: open)
                return try makeGlobalCall(name, arguments: arguments, offset: token.offset)
            }
            return ExpressionNode(.identifier(name), at: token.offset)
        case .punctuation(.leftParen):
            _ = advance()
            let inner = try parseExpression()
            _ = try expect(.rightParen, " to close the '(' at offset \(token.offset)")
            return inner
        case .punctuation(.leftBracket):
            _ = advance()
            try enter(token.offset)
            defer { depth -= 1 }
            var elements: [ExpressionNode] = []
            while accept(.rightBracket) == nil {
                elements.append(try parseExpression())
                if accept(.comma) == nil {
                    _ = try expect(.rightBracket, " to close the list opened at offset \(token.offset)")
                    break
                }
            }
            return ExpressionNode(.list(elements), at: token.offset)
        case .punctuation(.leftBrace):
            _ = advance()
            try enter(token.offset)
            defer { depth -= 1 }
            var entries: [MapLiteralEntry] = []
            while accept(.rightBrace) == nil {
                let key = try parseExpression()
                _ = try expect(.colon, " after a map key")
                let value = try parseExpression()
                entries.append(MapLiteralEntry(key: key, value: value))
                if accept(.comma) == nil {
                    _ = try expect(.rightBrace, " to close the map opened at offset \(token.offset)")
                    break
                }
            }
            return ExpressionNode(.map(entries), at: token.offset)
        case .punctuation, .end:
            throw ExpressionError(offset: token.offset, message: "expected an expression but found \(token.displayName)")
        }
    }

    // MARK: Calls and macros

    private func makeGlobalCall(_ name: String, arguments: [ExpressionNode], offset: Int) throws(ExpressionError) -> ExpressionNode {
        if name == "has" {
            guard arguments.count == 1 else {
                throw ExpressionError(offset: offset, message: "has() takes exactly one argument, a field selection such as has(a.b)")
            }
            switch arguments[0].kind {
            case .select(let operand, let field):
                return ExpressionNode(.presenceTest(operand, field: field), at: offset)
            case .identifier(let field):
                return ExpressionNode(.presenceTest(nil, field: field), at: offset)
            default:
                throw ExpressionError(
                    offset: arguments[0].offset, message: "has() needs a field selection such as has(a.b) or a field name")
            }
        }
        return ExpressionNode(.call(ExpressionFunction(name: name), target: nil, arguments: arguments), at: offset)
    }

    private func makeReceiverCall(
        _ name: String, target: ExpressionNode, arguments: [ExpressionNode], offset: Int
    ) throws(ExpressionError) -> ExpressionNode {
        guard ExpressionParser.macroNames.contains(name) else {
            return ExpressionNode(.call(ExpressionFunction(name: name), target: target, arguments: arguments), at: offset)
        }
        func variable(_ index: Int) throws(ExpressionError) -> String {
            guard case .identifier(let variable) = arguments[index].kind else {
                throw ExpressionError(
                    offset: arguments[index].offset,
                    message: "argument \(index + 1) of \(name)() must be a variable name")
            }
            return variable
        }
        let kind: Comprehension.Kind
        var twoVariables = false
        var hasFilter = false
        switch (name, arguments.count) {
        case ("all", 2), ("exists", 2), ("exists_one", 2), ("existsOne", 2), ("filter", 2), ("map", 2):
            kind = ExpressionParser.comprehensionKind(name)
        case ("all", 3), ("exists", 3), ("exists_one", 3), ("existsOne", 3):
            kind = ExpressionParser.comprehensionKind(name)
            twoVariables = true
        case ("map", 3):
            kind = .map
            hasFilter = true
        case ("transformList", 3), ("transformMap", 3):
            kind = ExpressionParser.comprehensionKind(name)
            twoVariables = true
        case ("transformList", 4), ("transformMap", 4):
            kind = ExpressionParser.comprehensionKind(name)
            twoVariables = true
            hasFilter = true
        default:
            throw ExpressionError(offset: offset, message: "wrong number of arguments to \(name)(): \(arguments.count)")
        }
        let first = try variable(0)
        let second = twoVariables ? try variable(1) : nil
        let rest = Array(arguments.dropFirst(twoVariables ? 2 : 1))
        let comprehension: Comprehension
        switch kind {
        case .map, .transformList, .transformMap:
            comprehension = Comprehension(
                kind: kind, range: target, variable: first, secondVariable: second,
                predicate: hasFilter ? rest[0] : nil, transform: rest[rest.count - 1])
        default:
            comprehension = Comprehension(
                kind: kind, range: target, variable: first, secondVariable: second, predicate: rest[0], transform: nil)
        }
        return ExpressionNode(.comprehension(comprehension), at: offset)
    }

    private static func comprehensionKind(_ name: String) -> Comprehension.Kind {
        switch name {
        case "all": .all
        case "exists": .exists
        case "exists_one", "existsOne": .existsOne
        case "map": .map
        case "filter": .filter
        case "transformList": .transformList
        default: .transformMap
        }
    }

    // MARK: Tree depth

    /// The first node found deeper than ``ExpressionLimits/maximumTreeDepth``, searched without recursion.
    static func nodeTooDeep(_ root: ExpressionNode) -> ExpressionNode? {
        var stack: [(ExpressionNode, Int)] = [(root, 1)]
        while let (node, level) = stack.popLast() {
            if level > ExpressionLimits.maximumTreeDepth { return node }
            for child in node.children { stack.append((child, level + 1)) }
        }
        return nil
    }
}

extension ExpressionNode {
    /// The node's direct children, in source order.
    var children: [ExpressionNode] {
        switch kind {
        case .literal, .identifier: []
        case .select(let operand, _): [operand]
        case .presenceTest(let operand, _): operand.map { [$0] } ?? []
        case .index(let operand, let index): [operand, index]
        case .call(_, let target, let arguments): (target.map { [$0] } ?? []) + arguments
        case .unary(_, let operand): [operand]
        case .binary(_, let lhs, let rhs), .and(let lhs, let rhs), .or(let lhs, let rhs): [lhs, rhs]
        case .conditional(let condition, let then, let otherwise): [condition, then, otherwise]
        case .list(let elements): elements
        case .map(let entries): entries.flatMap { [$0.key, $0.value] }
        case .comprehension(let comprehension):
            [comprehension.range] + [comprehension.predicate, comprehension.transform].compactMap { $0 }
        }
    }
}
