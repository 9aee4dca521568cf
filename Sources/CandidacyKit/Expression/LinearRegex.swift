/// The regular expressions of CEL's `matches()`, run in time linear in the text.
///
/// CEL specifies RE2, whose matching never backtracks; a backtracking engine (such as Swift's
/// `Regex`) takes exponential time on patterns like `(a+)+$`, so a rule could hang the engine.
/// This one compiles the pattern to a Thompson automaton and runs it as a Pike VM: the work is
/// at most the program's size times the text's length plus one, which the evaluator charges to
/// its step budget (``ExpressionLimits/maximumEvaluationSteps``) before it runs.
///
/// The RE2 syntax supported: literals, `.`, classes `[a-z]`, `[^…]`, the escapes `\d \w \s`
/// (and their negations), `\n \t \r \f \v` and escaped punctuation, the anchors `^` and `$`
/// (start and end of the text), groups `(…)` and `(?:…)`, alternation `|`, and the quantifiers
/// `* + ? {n} {n,} {n,m}` (each also lazy with `?`, which does not change whether it matches).
/// Anything else (backreferences, lookaround, flags, Unicode classes, word boundaries) is an
/// error, not a silent mismatch. Like RE2's partial match, a match may start anywhere.
struct LinearRegex {
    /// Why a pattern was not accepted.
    struct PatternError: Error {
        var message: String
    }

    /// A set of Unicode scalars: a union of ranges, possibly negated.
    private struct ScalarSet {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool

        func contains(_ scalar: UInt32) -> Bool {
            ranges.contains { $0.contains(scalar) } != negated
        }
    }

    /// A class as written, possibly of several negated and plain parts (`[\D\s]`).
    private struct ScalarClass {
        var parts: [ScalarSet]

        func contains(_ scalar: UInt32) -> Bool {
            parts.contains { $0.contains(scalar) }
        }
    }

    private indirect enum Node {
        case empty
        case scalars(ScalarClass)
        case start
        case end
        case concatenation([Node])
        case alternation([Node])
        case repetition(Node, minimum: Int, maximum: Int?)
    }

    private enum Instruction {
        case scalars(ScalarClass)
        case split(Int, Int)
        case jump(Int)
        case start
        case end
        case match
    }

    private let program: [Instruction]

    /// How many instructions the compiled pattern has: the work of matching one more scalar.
    var size: Int { program.count }

    /// Compiles a pattern.
    ///
    /// - Parameter maximumSize: the most instructions the program may have (counted
    ///   repetitions such as `{1000}` multiply it).
    init(_ pattern: String, maximumSize: Int) throws(PatternError) {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        let node = try parser.parseAll()
        var compiler = Compiler(maximumSize: maximumSize)
        try compiler.emit(node)
        try compiler.append(.match)
        program = compiler.program
    }

    /// Whether the pattern matches some part of `text`.
    func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var current: [Int] = []
        var next: [Int] = []
        // The position at which each instruction was last added: marks never need clearing.
        var seen = [Int](repeating: -1, count: program.count)
        var stack: [Int] = []
        for position in 0...scalars.count {
            // A match may start at any position: add the first instruction at each one.
            if add(0, at: position, of: scalars.count, to: &current, seen: &seen, stack: &stack) { return true }
            guard position < scalars.count else { break }
            let scalar = scalars[position].value
            next.removeAll(keepingCapacity: true)
            for pc in current {
                guard case .scalars(let set) = program[pc], set.contains(scalar) else { continue }
                if add(pc + 1, at: position + 1, of: scalars.count, to: &next, seen: &seen, stack: &stack) { return true }
            }
            swap(&current, &next)
        }
        return false
    }

    /// Follows the empty transitions from `start` at `position`, adding the scalar-consuming
    /// instructions reached to `list`; true when `match` is reached.
    private func add(
        _ start: Int, at position: Int, of count: Int, to list: inout [Int], seen: inout [Int], stack: inout [Int]
    ) -> Bool {
        stack.append(start)
        while let pc = stack.popLast() {
            guard seen[pc] != position else { continue }
            seen[pc] = position
            switch program[pc] {
            case .scalars: list.append(pc)
            case .match: return true
            case .jump(let target): stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .start: if position == 0 { stack.append(pc + 1) }
            case .end: if position == count { stack.append(pc + 1) }
            }
        }
        return false
    }

    // MARK: - Parsing

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var depth = 0

        /// The deepest nesting of groups accepted.
        static let maximumDepth = 64

        init(scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        mutating func parseAll() throws(PatternError) -> Node {
            let node = try parseAlternation()
            if index < scalars.count {
                throw PatternError(message: "unmatched ')' at offset \(index)")
            }
            return node
        }

        private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        private mutating func parseAlternation() throws(PatternError) -> Node {
            var branches = [try parseConcatenation()]
            while peek == "|" {
                index += 1
                branches.append(try parseConcatenation())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        private mutating func parseConcatenation() throws(PatternError) -> Node {
            var items: [Node] = []
            while let scalar = peek, scalar != "|", scalar != ")" {
                items.append(try parseRepetition())
            }
            if items.isEmpty { return .empty }
            return items.count == 1 ? items[0] : .concatenation(items)
        }

        private mutating func parseRepetition() throws(PatternError) -> Node {
            var node = try parseAtom()
            while let scalar = peek {
                let bounds: (Int, Int?)
                switch scalar {
                case "*": bounds = (0, nil)
                case "+": bounds = (1, nil)
                case "?": bounds = (0, 1)
                case "{":
                    guard let counted = try parseCount() else { return node }
                    bounds = counted
                default: return node
                }
                if scalar != "{" { index += 1 }
                if case .start = node { throw PatternError(message: "a quantifier cannot follow '^'") }
                if case .end = node { throw PatternError(message: "a quantifier cannot follow '$'") }
                node = .repetition(node, minimum: bounds.0, maximum: bounds.1)
                if peek == "?" { index += 1 }  // lazy: the same set of matches
                if let next = peek, "*+?".unicodeScalars.contains(next) {
                    throw PatternError(message: "bad repetition operator at offset \(index)")
                }
            }
            return node
        }

        /// `{n}`, `{n,}` or `{n,m}` at `index`, consumed; `nil` (nothing consumed) when the
        /// brace does not start a count, in which case it is a literal, as in RE2.
        private mutating func parseCount() throws(PatternError) -> (Int, Int?)? {
            var cursor = index + 1
            func number() -> Int? {
                var value: Int?
                while cursor < scalars.count, let digit = Int(String(scalars[cursor])), scalars[cursor].isASCII {
                    value = min((value ?? 0) * 10 + digit, 100_000)
                    cursor += 1
                }
                return value
            }
            guard let minimum = number() else { return nil }
            var maximum: Int? = minimum
            if cursor < scalars.count, scalars[cursor] == "," {
                cursor += 1
                maximum = number()
            }
            guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
            if let maximum, maximum < minimum {
                throw PatternError(message: "bad repetition count {\(minimum),\(maximum)}")
            }
            if minimum > 1_000 || (maximum ?? 0) > 1_000 {
                throw PatternError(message: "repetition count above 1000")
            }
            index = cursor + 1
            return (minimum, maximum)
        }

        private mutating func parseAtom() throws(PatternError) -> Node {
            guard let scalar = peek else { return .empty }
            index += 1
            switch scalar {
            case "(":
                if peek == "?" {
                    guard index + 1 < scalars.count, scalars[index + 1] == ":" else {
                        throw PatternError(message: "unsupported group syntax at offset \(index - 1): only (…) and (?:…)")
                    }
                    index += 2
                }
                depth += 1
                if depth > Parser.maximumDepth {
                    throw PatternError(message: "groups nest more than \(Parser.maximumDepth) deep")
                }
                let inner = try parseAlternation()
                depth -= 1
                guard peek == ")" else { throw PatternError(message: "missing ')'") }
                index += 1
                return inner
            case "[": return .scalars(try parseClass())
            case ".": return .scalars(ScalarClass(parts: [ScalarSet(ranges: [0x0A...0x0A], negated: true)]))
            case "^": return .start
            case "$": return .end
            case "\\": return .scalars(try parseEscape(inClass: false))
            case "*", "+", "?": throw PatternError(message: "missing argument to repetition operator at offset \(index - 1)")
            default: return .scalars(ScalarClass(parts: [ScalarSet(ranges: [scalar.value...scalar.value], negated: false)]))
            }
        }

        private mutating func parseEscape(inClass: Bool) throws(PatternError) -> ScalarClass {
            guard let scalar = peek else { throw PatternError(message: "trailing backslash") }
            index += 1
            func plain(_ ranges: [ClosedRange<UInt32>], negated: Bool = false) -> ScalarClass {
                ScalarClass(parts: [ScalarSet(ranges: ranges, negated: negated)])
            }
            let digits: [ClosedRange<UInt32>] = [0x30...0x39]
            let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
            let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]
            switch scalar {
            case "d": return plain(digits)
            case "D": return plain(digits, negated: true)
            case "w": return plain(word)
            case "W": return plain(word, negated: true)
            case "s": return plain(space)
            case "S": return plain(space, negated: true)
            case "n": return plain([0x0A...0x0A])
            case "t": return plain([0x09...0x09])
            case "r": return plain([0x0D...0x0D])
            case "f": return plain([0x0C...0x0C])
            case "v": return plain([0x0B...0x0B])
            default:
                guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
                    throw PatternError(message: "unsupported escape \\\(scalar)")
                }
                return plain([scalar.value...scalar.value])
            }
        }

        private mutating func parseClass() throws(PatternError) -> ScalarClass {
            var negated = false
            if peek == "^" {
                negated = true
                index += 1
            }
            var ranges: [ClosedRange<UInt32>] = []
            var parts: [ScalarSet] = []
            var first = true
            while true {
                guard let scalar = peek else { throw PatternError(message: "missing ']'") }
                if scalar == "]", !first { index += 1; break }
                first = false
                index += 1
                var low: UInt32
                if scalar == "\\" {
                    let escaped = try parseEscape(inClass: true)
                    guard escaped.parts.count == 1, !escaped.parts[0].negated, escaped.parts[0].ranges.count == 1,
                        escaped.parts[0].ranges[0].count == 1
                    else {
                        parts += escaped.parts
                        continue
                    }
                    low = escaped.parts[0].ranges[0].lowerBound
                } else if scalar == "[", peek == ":" {
                    throw PatternError(message: "unsupported character class syntax [:")
                } else {
                    low = scalar.value
                }
                var high = low
                if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                    index += 1
                    guard let upper = peek else { throw PatternError(message: "missing ']'") }
                    index += 1
                    if upper == "\\" {
                        let escaped = try parseEscape(inClass: true)
                        guard escaped.parts.count == 1, escaped.parts[0].ranges.count == 1,
                            escaped.parts[0].ranges[0].count == 1, !escaped.parts[0].negated
                        else { throw PatternError(message: "bad character class range") }
                        high = escaped.parts[0].ranges[0].lowerBound
                    } else {
                        high = upper.value
                    }
                    guard low <= high else { throw PatternError(message: "bad character class range") }
                }
                ranges.append(low...high)
            }
            if !ranges.isEmpty { parts.append(ScalarSet(ranges: ranges, negated: false)) }
            guard negated else { return ScalarClass(parts: parts) }
            // [^…]: a scalar outside every part. Negating a union of parts that are themselves
            // negated is not a union of ranges, so only plain parts may be negated.
            guard parts.allSatisfy({ !$0.negated }) else {
                throw PatternError(message: "unsupported negated class with \\D, \\W or \\S")
            }
            return ScalarClass(parts: [ScalarSet(ranges: parts.flatMap(\.ranges), negated: true)])
        }
    }

    // MARK: - Compiling

    private struct Compiler {
        let maximumSize: Int
        var program: [Instruction] = []

        init(maximumSize: Int) {
            self.maximumSize = maximumSize
        }

        mutating func append(_ instruction: Instruction) throws(PatternError) {
            guard program.count < maximumSize else {
                throw PatternError(message: "regular expression too large: more than \(maximumSize) instructions")
            }
            program.append(instruction)
        }

        mutating func emit(_ node: Node) throws(PatternError) {
            switch node {
            case .empty: break
            case .scalars(let set): try append(.scalars(set))
            case .start: try append(.start)
            case .end: try append(.end)
            case .concatenation(let items):
                for item in items { try emit(item) }
            case .alternation(let branches):
                // split(b1, next); b1; jump(end); next: split(b2, …) …; last branch
                var jumps: [Int] = []
                for (offset, branch) in branches.enumerated() {
                    if offset < branches.count - 1 {
                        let split = program.count
                        try append(.split(split + 1, 0))
                        try emit(branch)
                        jumps.append(program.count)
                        try append(.jump(0))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try emit(branch)
                    }
                }
                for jump in jumps { program[jump] = .jump(program.count) }
            case .repetition(let body, let minimum, let maximum):
                for _ in 0..<minimum { try emit(body) }
                if let maximum {
                    // Each optional copy: split(body, end).
                    var splits: [Int] = []
                    for _ in minimum..<maximum {
                        splits.append(program.count)
                        try append(.split(program.count + 1, 0))
                        try emit(body)
                    }
                    for split in splits { program[split] = .split(split + 1, program.count) }
                } else {
                    // loop: split(body, end); body; jump(loop)
                    let loop = program.count
                    try append(.split(loop + 1, 0))
                    try emit(body)
                    try append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
        }
    }
}
