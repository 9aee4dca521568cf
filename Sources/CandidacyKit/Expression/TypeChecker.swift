/// Checks a parsed expression against a ``TypeEnvironment``: unknown variables, fields and
/// functions, wrong argument types, comparisons of incompatible types, enum literals the
/// schema does not list, and (for rule conditions) a result that is not `bool`.
///
/// It reports every problem it finds; a subexpression with an error is typed `dyn` so that
/// one mistake is reported once.
public struct TypeChecker {
    private let environment: TypeEnvironment
    private var locals: [(name: String, type: CELType)] = []
    private var errors: [ExpressionError] = []

    private init(environment: TypeEnvironment) {
        self.environment = environment
    }

    /// The type of `node`, or every error found. With `expecting`, a result of another type is an error.
    public static func check(
        _ node: ExpressionNode, in environment: TypeEnvironment, expecting expected: CELType? = nil
    ) -> Result<CELType, ExpressionErrors> {
        var checker = TypeChecker(environment: environment)
        let type = checker.check(node)
        if let expected, checker.errors.isEmpty, !type.isDyn, !CELType.areComparable(type, expected) || type == .null {
            checker.report(0, "the condition must be \(expected) but its type is \(type)")
        }
        if checker.errors.isEmpty { return .success(type) }
        return .failure(ExpressionErrors(checker.errors))
    }

    private mutating func report(_ offset: Int, _ message: String) {
        errors.append(ExpressionError(offset: offset, message: message))
    }

    private mutating func noOverload(_ name: String, _ types: [CELType], at offset: Int) -> CELType {
        report(offset, "no overload of '\(name)' for (\(types.map(\.description).joined(separator: ", ")))")
        return .dyn
    }

    private func local(_ name: String) -> CELType? {
        locals.last { $0.name == name }?.type
    }

    // MARK: Nodes

    private mutating func check(_ node: ExpressionNode) -> CELType {
        switch node.kind {
        case .literal(let value):
            return CELType(of: value)
        case .identifier(let name):
            if let type = local(name) ?? environment.type(of: name) { return type }
            let candidates = locals.map(\.name).reversed() + environment.variableNames
            report(node.offset, "unknown identifier '\(name)'\(Suggestion.didYouMean(name, in: candidates))")
            return .dyn
        case .select(let operand, let field):
            return select(field, from: check(operand), operand: operand, at: node.offset)
        case .presenceTest(let operand, let field):
            if let operand {
                let type = check(operand)
                switch type {
                case .object, .dyn, .map: _ = select(field, from: type, operand: operand, at: node.offset)
                default: report(node.offset, "has() needs a field of an object or map, but \(type) has no fields")
                }
            } else if environment.type(of: field) == nil || local(field) != nil {
                report(node.offset, "has(\(field)) needs a field of the patient profile\(Suggestion.didYouMean(field, in: environment.variableNames))")
            }
            return .bool
        case .index(let operand, let index):
            return checkIndex(check(operand), check(index), index: index, at: node.offset)
        case .call(let function, let target, let arguments):
            return checkCall(function, target: target, arguments: arguments, at: node.offset)
        case .unary(let op, let operand):
            let type = check(operand)
            switch (op, type) {
            case (.not, .bool), (.not, .dyn): return .bool
            case (.negate, .int), (.negate, .double), (.negate, .dyn): return type
            default: return noOverload(op.rawValue, [type], at: node.offset)
            }
        case .binary(let op, let lhs, let rhs):
            return checkBinary(op, lhs, rhs, at: node.offset)
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            let name = if case .and = node.kind { "&&" } else { "||" }
            let left = check(lhs)
            let right = check(rhs)
            if (left == .bool || left.isDyn) && (right == .bool || right.isDyn) { return .bool }
            return noOverload(name, [left, right], at: node.offset)
        case .conditional(let condition, let then, let otherwise):
            let type = check(condition)
            if type != .bool && !type.isDyn {
                report(condition.offset, "the condition of '?:' must be bool but its type is \(type)")
            }
            return CELType.join(check(then), check(otherwise))
        case .list(let elements):
            guard let first = elements.first else { return .list(.dyn) }
            var element = check(first)
            for other in elements.dropFirst() { element = CELType.join(element, check(other)) }
            return .list(element)
        case .map(let entries):
            guard let first = entries.first else { return .map(.dyn, .dyn) }
            var key = check(first.key)
            var value = check(first.value)
            for entry in entries.dropFirst() {
                key = CELType.join(key, check(entry.key))
                value = CELType.join(value, check(entry.value))
            }
            return .map(key, value)
        case .comprehension(let comprehension):
            return checkComprehension(comprehension, at: node.offset)
        }
    }

    private mutating func select(_ field: String, from type: CELType, operand: ExpressionNode, at offset: Int) -> CELType {
        switch type {
        case .object(let name, let fields):
            if let found = fields.first(where: { $0.name == field }) { return found.type }
            report(offset + 1, "unknown field '\(field)' of \(name)\(Suggestion.didYouMean(field, in: fields.map(\.name)))")
            return .dyn
        case .map(let key, let value):
            if key.isStringLike || key.isDyn { return value }
            report(offset + 1, "cannot select field '\(field)' from \(type): its keys are not strings")
            return .dyn
        case .dyn:
            return .dyn
        default:
            report(offset + 1, "cannot select field '\(field)': \(operand.pathText.map { "\($0) is" } ?? "the value is") \(type), which has no fields")
            return .dyn
        }
    }

    private mutating func checkIndex(_ container: CELType, _ index: CELType, index indexNode: ExpressionNode, at offset: Int) -> CELType {
        switch container {
        case .list(let element):
            if index == .int || index.isDyn { return element }
            report(indexNode.offset, "a list index must be int but its type is \(index)")
            return .dyn
        case .map(let key, let value):
            if CELType.areComparable(key, index) { return value }
            report(indexNode.offset, "a key of \(container) cannot be \(index)")
            return .dyn
        case .dyn:
            return .dyn
        default:
            return noOverload("[]", [container, index], at: offset)
        }
    }

    private mutating func checkBinary(_ op: BinaryOperator, _ lhs: ExpressionNode, _ rhs: ExpressionNode, at offset: Int) -> CELType {
        let left = check(lhs)
        let right = check(rhs)
        switch op {
        case .equal, .notEqual:
            guard CELType.areComparable(left, right) else { return noOverload(op.rawValue, [left, right], at: offset) }
            checkEnumLiteral(rhs, against: left, enumNode: lhs)
            checkEnumLiteral(lhs, against: right, enumNode: rhs)
            return .bool
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard CELType.areOrderable(left, right) else { return noOverload(op.rawValue, [left, right], at: offset) }
            return .bool
        case .in:
            switch right {
            case .list(let element):
                guard CELType.areComparable(left, element) else { return noOverload("in", [left, right], at: offset) }
                if case .list(let elements) = rhs.kind {
                    for element in elements { checkEnumLiteral(element, against: left, enumNode: lhs) }
                }
                checkEnumLiteral(lhs, against: element, enumNode: rhs)
                return .bool
            case .map(let key, _):
                guard CELType.areComparable(left, key) else { return noOverload("in", [left, right], at: offset) }
                return .bool
            case .dyn:
                return .bool
            default:
                return noOverload("in", [left, right], at: offset)
            }
        case .add:
            switch (left, right) {
            case (.int, .int), (.double, .double): return left
            case (let a, let b) where a.isStringLike && b.isStringLike: return .string
            case (.list(let a), .list(let b)): return .list(CELType.join(a, b))
            case (.dyn, .dyn): return .dyn
            case (.dyn, let other), (let other, .dyn):
                switch other {
                case .int, .double, .string, .list: return other
                case .enumeration: return .string
                default: return noOverload("+", [left, right], at: offset)
                }
            default: return noOverload("+", [left, right], at: offset)
            }
        case .subtract, .multiply, .divide, .remainder:
            let allowed: [CELType] = op == .remainder ? [.int] : [.int, .double]
            switch (left, right) {
            case (.dyn, .dyn): return .dyn
            case (.dyn, let other), (let other, .dyn):
                if allowed.contains(other) { return other }
            default:
                if left == right, allowed.contains(left) { return left }
            }
            return noOverload(op.rawValue, [left, right], at: offset)
        }
    }

    /// Reports a string literal compared with an enumeration-typed expression when the enumeration does not list it.
    private mutating func checkEnumLiteral(_ literal: ExpressionNode, against type: CELType, enumNode: ExpressionNode) {
        guard case .enumeration(let values) = type, case .literal(.string(let text)) = literal.kind,
              !values.contains(text)
        else { return }
        let name = enumNode.pathText ?? "the enum"
        report(
            literal.offset,
            "'\(text)' is not a value of \(name) (enum: \(values.joined(separator: ", ")))\(Suggestion.didYouMean(text, in: values))")
    }

    // MARK: Calls

    private static let functionNames = ExpressionFunction.byName.keys.sorted() + ["has"]

    private mutating func checkCall(
        _ function: ExpressionFunction, target: ExpressionNode?, arguments: [ExpressionNode], at offset: Int
    ) -> CELType {
        let targetType = target.map { check($0) }
        let types = arguments.map { check($0) }
        let all = (targetType.map { [$0] } ?? []) + types
        let name = function.description
        func expectCount(_ count: Int, receiver: Bool) -> Bool {
            if receiver != (target != nil) {
                report(offset, receiver
                    ? "\(name)() is called on a value, as x.\(name)(…)"
                    : "\(name)() is not called on a value; write \(name)(…)")
                return false
            }
            if types.count != count {
                report(offset, "\(name)() takes \(count) argument\(count == 1 ? "" : "s") but was given \(types.count)")
                return false
            }
            return true
        }
        guard let entry = FunctionTable.entry(function) else {
            let unknown = function.description
            report(offset, "unknown function '\(unknown)'\(Suggestion.didYouMean(unknown, in: TypeChecker.functionNames))")
            return .dyn
        }
        switch entry.form {
        case .either(let message):
            guard all.count == 1 else {
                report(offset, message)
                return .dyn
            }
        case .receiver(let count):
            guard expectCount(count, receiver: true) else { return .dyn }
        case .global(let count):
            guard expectCount(count, receiver: false) else { return .dyn }
        }
        return entry.type(all) ?? noOverload(name, all, at: offset)
    }

    // MARK: Macros

    private mutating func checkComprehension(_ comprehension: Comprehension, at offset: Int) -> CELType {
        let rangeType = check(comprehension.range)
        let name = comprehension.kind == .existsOne ? "exists_one" : comprehension.kind.rawValue
        var first: CELType = .dyn
        var second: CELType = .dyn
        switch rangeType {
        case .list(let element):
            (first, second) = comprehension.secondVariable == nil ? (element, .dyn) : (.int, element)
        case .map(let key, let value):
            (first, second) = (key, value)
        case .dyn:
            break
        default:
            report(offset, "\(name)() needs a list or map but \(comprehension.range.pathText.map { "\($0) is" } ?? "the value is") \(rangeType)")
        }
        if comprehension.kind == .transformMap, case .list = rangeType {
            report(offset, "transformMap() needs a map but the value is \(rangeType)")
        }
        locals.append((comprehension.variable, first))
        if let secondVariable = comprehension.secondVariable { locals.append((secondVariable, second)) }
        defer { locals.removeLast(comprehension.secondVariable == nil ? 1 : 2) }
        if let predicate = comprehension.predicate {
            let type = check(predicate)
            if type != .bool && !type.isDyn {
                report(predicate.offset, "the predicate of \(name)() must be bool but its type is \(type)")
            }
        }
        let transformed = comprehension.transform.map { check($0) } ?? .dyn
        switch comprehension.kind {
        case .all, .exists, .existsOne: return .bool
        case .filter: return .list(first)
        case .map, .transformList: return .list(transformed)
        case .transformMap: return .map(first, transformed)
        }
    }
}

extension ExpressionNode {
    /// The dotted text of an identifier or a chain of field selections (`labs.platelet_count`), or `nil`.
    var pathText: String? {
        switch kind {
        case .identifier(let name): name
        case .select(let operand, let field): operand.pathText.map { "\($0).\(field)" }
        default: nil
        }
    }
}
