/// Rule coverage of a fixture run: for every rule, and every item of its `all:`/`any:`/`not:`
/// condition, how many cases drove it `true`, `false` and `unknown`, and which reachable
/// outcomes no case reached.
///
/// Every fixture evaluates every therapy, so each fixture counts once for every rule of the
/// pack. The pack's coverage is the share of reachable (rule, outcome) pairs that at least one
/// case reached; reachability is the static approximation of ``OutcomeReachability``. Items
/// are reported (condition coverage) but do not count toward the percentage.
public struct RuleCoverage: Sendable, Hashable {
    /// How many cases gave each outcome.
    public struct OutcomeCounts: Sendable, Hashable {
        /// Cases that made the condition true.
        public var trueCount = 0
        /// Cases that made the condition false.
        public var falseCount = 0
        /// Cases that left the condition unknown.
        public var unknownCount = 0

        /// Creates counts, all zero by default.
        public init(trueCount: Int = 0, falseCount: Int = 0, unknownCount: Int = 0) {
            self.trueCount = trueCount
            self.falseCount = falseCount
            self.unknownCount = unknownCount
        }

        /// The count for one outcome.
        public subscript(outcome: TruthValue) -> Int {
            get {
                switch outcome {
                case .true: trueCount
                case .false: falseCount
                case .unknown: unknownCount
                }
            }
            set {
                switch outcome {
                case .true: trueCount = newValue
                case .false: falseCount = newValue
                case .unknown: unknownCount = newValue
                }
            }
        }
    }

    /// The coverage of one condition: a rule's whole `when`, or one item of it.
    public struct ConditionCoverage: Sendable, Hashable {
        /// The expression as written, or `all`, `any` or `not`.
        public var condition: String
        /// Where the condition is written.
        public var location: SourceLocation
        /// How many cases gave each outcome.
        public var counts: OutcomeCounts
        /// The outcomes the condition can take, in the order true, false, unknown.
        public var reachable: [TruthValue]
        /// The items of an `all:`/`any:`/`not:` condition, in order.
        public var items: [ConditionCoverage]

        /// Creates a condition's coverage.
        public init(
            condition: String, location: SourceLocation, counts: OutcomeCounts, reachable: [TruthValue],
            items: [ConditionCoverage]
        ) {
            self.condition = condition
            self.location = location
            self.counts = counts
            self.reachable = reachable
            self.items = items
        }

        /// The reachable outcomes no case reached, in the order true, false, unknown.
        public var uncovered: [TruthValue] { reachable.filter { counts[$0] == 0 } }

        /// The outcomes the static analysis proves impossible.
        public var unreachable: [TruthValue] { TruthValue.allCases.filter { !reachable.contains($0) } }
    }

    /// The coverage of one rule.
    public struct RuleEntry: Sendable, Hashable {
        /// The rule's id.
        public var rule: String
        /// The id of the therapy it belongs to.
        public var therapy: String
        /// Its kind.
        public var kind: RuleKind
        /// Where the rule starts.
        public var location: SourceLocation
        /// The coverage of its `when`, with its items.
        public var condition: ConditionCoverage

        /// Creates a rule's coverage.
        public init(rule: String, therapy: String, kind: RuleKind, location: SourceLocation, condition: ConditionCoverage) {
            self.rule = rule
            self.therapy = therapy
            self.kind = kind
            self.location = location
            self.condition = condition
        }
    }

    /// Every rule of the pack, in pack order.
    public var rules: [RuleEntry]
    /// How many cases (fixtures) were counted.
    public var caseCount: Int

    /// Creates a coverage report.
    public init(rules: [RuleEntry], caseCount: Int) {
        self.rules = rules
        self.caseCount = caseCount
    }

    /// Measures the coverage of `pack` by a fixture run (every fixture, passing or not).
    public init(pack: CompiledPack, result: SuiteResult) {
        var entries: [RuleEntry] = []
        for therapy in pack.therapies {
            for compiled in therapy.rules {
                let condition = Self.skeleton(compiled.condition, parameters: therapy.parameters)
                entries.append(RuleEntry(
                    rule: compiled.rule.id, therapy: therapy.therapy.id, kind: compiled.rule.kind,
                    location: compiled.rule.location, condition: condition))
            }
        }
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() { index[entry.therapy + "\u{0}" + entry.rule] = position }
        for fixture in result.fixtures {
            for decision in fixture.evaluation.decisions {
                for step in decision.steps {
                    guard let position = index[decision.therapy + "\u{0}" + step.rule] else { continue }
                    Self.count(step, into: &entries[position].condition)
                }
            }
        }
        self.init(rules: entries, caseCount: result.fixtures.count)
    }

    /// Reachable (rule, outcome) pairs.
    public var reachableCount: Int { rules.reduce(0) { $0 + $1.condition.reachable.count } }

    /// Reachable (rule, outcome) pairs that some case reached.
    public var coveredCount: Int {
        rules.reduce(0) { $0 + $1.condition.reachable.count - $1.condition.uncovered.count }
    }

    /// Covered over reachable pairs, as a fraction from 0 to 1 (1 when nothing is reachable).
    public var fraction: Double {
        reachableCount == 0 ? 1 : Double(coveredCount) / Double(reachableCount)
    }

    /// The percentage with one decimal, rounded down so that it never shows more than was
    /// reached: `87.5%`.
    public var percentageText: String { Self.percentage(coveredCount, of: reachableCount) }

    /// Whether the coverage reaches `minimum` percent (compared exactly, not after rounding).
    public func meets(minimum: Double) -> Bool {
        Double(coveredCount) * 100 >= minimum * Double(reachableCount)
    }

    /// `part` of `whole` as a percentage with one decimal, rounded down: `87.5%`; `100.0%` when `whole` is 0.
    public static func percentage(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "100.0%" }
        let tenths = part * 1000 / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }

    private static func skeleton(_ condition: CompiledCondition, parameters: Record) -> ConditionCoverage {
        let reachable = OutcomeReachability.outcomes(of: condition, parameters: parameters)
        switch condition {
        case .expression(let source, _):
            return ConditionCoverage(
                condition: source.text, location: source.location, counts: OutcomeCounts(), reachable: reachable, items: [])
        case .all(let items, let location), .any(let items, let location):
            let name = if case .all = condition { "all" } else { "any" }
            return ConditionCoverage(
                condition: name, location: location, counts: OutcomeCounts(), reachable: reachable,
                items: items.map { skeleton($0, parameters: parameters) })
        case .not(let item, let location):
            return ConditionCoverage(
                condition: "not", location: location, counts: OutcomeCounts(), reachable: reachable,
                items: [skeleton(item, parameters: parameters)])
        }
    }

    private static func count(_ step: Step, into coverage: inout ConditionCoverage) {
        coverage.counts[step.outcome] += 1
        for (index, item) in step.items.enumerated() where index < coverage.items.count {
            count(item, into: &coverage.items[index])
        }
    }
}
