/// The functions of the CEL subset, one entry each: its name, how it is called, the type a call
/// has for its operands' types (read by the type checker) and what it computes (read by the
/// evaluator, and by the fast paths, which call it for the functions they do not specialise).
/// A new function is a case of ``ExpressionFunction`` and an entry here; nothing else.
enum FunctionTable {
    /// How a function is called.
    enum Form: Sendable {
        /// `f(a, …)` with this many arguments.
        case global(Int)
        /// `x.f(a, …)` with this many arguments besides the receiver.
        case receiver(Int)
        /// `f(x)` or `x.f()`: one operand either way; `message` when the count is wrong.
        case either(message: String)

        /// How many values a call evaluates, the receiver included.
        var operands: Int {
            switch self {
            case .global(let count): count
            case .receiver(let count): count + 1
            case .either: 1
            }
        }
    }

    /// What applying a function to evaluated operands gave.
    enum Applied: Sendable {
        case value(Value)
        /// An error with this message.
        case error(String)
        /// No overload for these operands' types.
        case noOverload
    }

    /// One function.
    struct Entry: Sendable {
        let function: ExpressionFunction
        let form: Form
        /// The call's type for the operands' types (the receiver first), `nil` when no overload fits.
        let type: @Sendable ([CELType]) -> CELType?
        /// The result for the operands' values (the receiver first) at the as-of date.
        let apply: @Sendable ([Value], CivilDate?) -> Applied
    }

    /// The entry of `function`; `nil` for an unknown one.
    static func entry(_ function: ExpressionFunction) -> Entry? {
        switch function {
        case .size: size
        case .contains: contains
        case .startsWith: startsWith
        case .endsWith: endsWith
        case .matches: matches
        case .daysSince: daysSince
        case .weeksSince: weeksSince
        case .daysBetween: daysBetween
        case .max: max
        case .min: min
        case .sum: sum
        case .unknown: nil
        }
    }

    // MARK: - Strings, lists and maps

    static let size = Entry(
        function: .size, form: .either(message: "size() takes one list, map or string"),
        type: { types in
            switch types[0] {
            case .list, .map, .string, .enumeration, .dyn: .int
            default: nil
            }
        },
        apply: { values, _ in
            switch values[0] {
            case .string(let text): .value(.int(Int64(text.unicodeScalars.count)))
            case .list(let items): .value(.int(Int64(items.count)))
            case .map(let entries): .value(.int(Int64(entries.count)))
            default: .noOverload
            }
        })

    /// A receiver function of two strings.
    private static func strings(
        _ function: ExpressionFunction, _ body: @escaping @Sendable (String, String) -> Bool
    ) -> Entry {
        Entry(
            function: function, form: .receiver(1),
            type: { types in types.allSatisfy { $0.isStringLike || $0.isDyn } ? .bool : nil },
            apply: { values, _ in
                guard case .string(let text) = values[0], case .string(let other) = values[1] else { return .noOverload }
                return .value(.bool(body(text, other)))
            })
    }

    static let contains = strings(.contains) { text, part in part.isEmpty || text.utf8.firstRange(of: part.utf8) != nil }
    static let startsWith = strings(.startsWith) { text, prefix in text.utf8.starts(with: prefix.utf8) }
    static let endsWith = strings(.endsWith) { text, suffix in
        text.utf8.count >= suffix.utf8.count && text.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    /// RE2 semantics in linear time: a backtracking engine can take exponential time. The
    /// evaluator charges the match to the step budget before applying it.
    static let matches = Entry(
        function: .matches, form: .receiver(1),
        type: { types in types.allSatisfy { $0.isStringLike || $0.isDyn } ? .bool : nil },
        apply: { values, _ in
            guard case .string(let text) = values[0], case .string(let pattern) = values[1] else { return .noOverload }
            do throws(LinearRegex.PatternError) {
                return .value(.bool(try LinearRegex(pattern, maximumSize: ExpressionLimits.maximumPatternSize).matches(text)))
            } catch {
                return .error("invalid regular expression '\(pattern)': \(error.message)")
            }
        })

    // MARK: - Dates

    /// The whole weeks in `days`, rounded toward the past (`weeks_since` of a future date is negative).
    static func wholeWeeks(_ days: Int) -> Int {
        days >= 0 ? days / 7 : -((-days + 6) / 7)
    }

    /// Days or whole weeks from a date to the as-of date.
    private static func since(_ function: ExpressionFunction, weeks: Bool) -> Entry {
        Entry(
            function: function, form: .global(1),
            type: { types in types[0] == .date || types[0].isDyn ? .int : nil },
            apply: { values, asOf in
                guard case .date(let date) = values[0] else { return .noOverload }
                guard let asOf else { return .error("no as-of date for \(function)()") }
                let days = asOf.daysSinceEpoch - date.daysSinceEpoch
                return .value(.int(Int64(weeks ? wholeWeeks(days) : days)))
            })
    }

    static let daysSince = since(.daysSince, weeks: false)
    static let weeksSince = since(.weeksSince, weeks: true)

    static let daysBetween = Entry(
        function: .daysBetween, form: .global(2),
        type: { types in types.allSatisfy { $0 == .date || $0.isDyn } ? .int : nil },
        apply: { values, _ in
            guard case .date(let from) = values[0], case .date(let to) = values[1] else { return .noOverload }
            return .value(.int(Int64(to.daysSinceEpoch - from.daysSinceEpoch)))
        })

    // MARK: - Aggregates

    /// `max`, `min` or `sum` over a list of ints or doubles (mixed: double).
    private static func aggregate(_ function: ExpressionFunction) -> Entry {
        Entry(
            function: function, form: .global(1),
            type: { types in
                switch types[0] {
                case .list(.int): .int
                case .list(.double): .double
                case .list(.dyn), .dyn: .dyn
                default: nil
                }
            },
            apply: { values, _ in
                guard case .list(let items) = values[0] else { return .noOverload }
                return aggregate(function, items)
            })
    }

    static let max = aggregate(.max)
    static let min = aggregate(.min)
    static let sum = aggregate(.sum)

    private static func aggregate(_ function: ExpressionFunction, _ items: [Value]) -> Applied {
        var allInts = true
        for item in items {
            switch item {
            case .int: break
            case .double: allInts = false
            default: return .error("\(function)() needs a list of numbers but found \(item.typeName)")
            }
        }
        if case .sum = function {
            if allInts {
                var total: Int64 = 0
                for case .int(let value) in items {
                    let (next, overflow) = total.addingReportingOverflow(value)
                    if overflow { return .error("integer overflow") }
                    total = next
                }
                return .value(.int(total))
            }
            var total = 0.0
            for item in items { total += item.numericValue }
            return .value(.double(total))
        }
        guard var best = items.first else { return .error("\(function)() of an empty list") }
        let wantsGreater = function == .max
        for item in items.dropFirst() {
            let ordering = item.celCompare(best)
            if (wantsGreater && ordering == .greater) || (!wantsGreater && ordering == .less) { best = item }
        }
        if !allInts { return .value(.double(best.numericValue)) }
        return .value(best)
    }
}
