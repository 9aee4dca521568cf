/// The parts of `evaluate --format json` that are the same for every patient of a pack — the
/// pack's header, each therapy's id and title, each rule's id, kind, title, location and
/// condition, the keys of the values it reads, and the evidence behind it — escaped once per
/// run instead of once per patient.
///
/// A part is used only where it describes exactly what the report would otherwise write (the
/// same rule id, title, condition and location), so the bytes never depend on it.
final class ReportFragments: Sendable {
    /// A step's parts: of a rule, or of an item of its compound condition (a class: passed
    /// around for every step of every patient, one reference count rather than one per field).
    final class StepParts: Sendable {
        let rule: String
        let kind: RuleKind
        let title: String
        let condition: String
        let location: SourceLocation
        /// `"rule":…,"kind":…,"title":…`
        let head: JSONFragment
        /// `"location":…,"condition":…`
        let place: JSONFragment
        /// The keys of `values`, in the order the condition reads them.
        let valueKeys: [JSONKey]
        let items: [StepParts]
        /// A rule's `because` sentences when it holds and when it does not, in that order (the
        /// same strings every patient's step gets), each with its member `"because":…`; none
        /// for an item.
        let becauses: [(text: String, member: JSONFragment)]
        /// A rule's step up to its values, for each outcome (by ``outcomeIndex(_:)``):
        /// `"rule":…,"kind":…,"title":…,"outcome":…,"points":…,"location":…,"condition":…`,
        /// with the points the step gets for that outcome; none for an item.
        let heads: [(points: Int, members: JSONFragment)]
        /// A rule's step after its values when it holds and when it does not, in that order:
        /// `"missing":[],"because":…`; none for an item.
        let settledTails: [JSONFragment]

        /// - Parameter points: A rule's points when its step holds (0 for an exclusion or a
        ///   requirement), `nil` for an item.
        init(
            rule: String, kind: RuleKind, title: String, condition: String, location: SourceLocation,
            head: JSONFragment, place: JSONFragment, valueKeys: [JSONKey], items: [StepParts], becauses: [String] = [],
            points: Int? = nil
        ) {
            (self.rule, self.kind, self.title, self.condition, self.location) = (rule, kind, title, condition, location)
            (self.head, self.place, self.valueKeys, self.items) = (head, place, valueKeys, items)
            self.becauses = becauses.map { text in
                (text, JSONFragment { sink in
                    sink.key("because")
                    sink.string(text)
                })
            }
            heads = points.map { points in
                [TruthValue.true, .false, .unknown].map { outcome in
                    let awarded = outcome == .true ? points : 0
                    return (awarded, JSONFragment { sink in
                        sink.members(head)
                        sink.members(JSONReporter.outcomeMember(outcome))
                        sink.key("points")
                        sink.int(awarded)
                        sink.members(place)
                    })
                }
            } ?? []
            settledTails = self.becauses.map { because in
                JSONFragment { sink in
                    sink.members(JSONReporter.noneMissing)
                    sink.members(because.member)
                }
            }
        }

        /// The position of an outcome's parts in ``heads`` (and ``settledTails``): true, false, unknown.
        static func outcomeIndex(_ outcome: TruthValue) -> Int {
            switch outcome {
            case .true: 0
            case .false: 1
            case .unknown: 2
            }
        }

        /// The members of a rule's step up to its values, when it has `outcome` and `points`.
        func head(_ outcome: TruthValue, points: Int) -> JSONFragment? {
            let index = Self.outcomeIndex(outcome)
            guard index < heads.count, heads[index].points == points else { return nil }
            return heads[index].members
        }

        /// The member `"because":…` written before for `text`, a step's sentence for
        /// `outcome`, if any (the sentence is usually the very string compared, so the
        /// comparison is one of identity).
        func because(_ text: String, outcome: TruthValue) -> JSONFragment? {
            let index = outcome == .true ? 0 : 1
            guard outcome != .unknown, index < becauses.count, becauses[index].text == text else { return nil }
            return becauses[index].member
        }

        /// Whether these parts are the step's (for an item, its condition and location).
        func describes(_ step: Step, isItem: Bool) -> Bool {
            step.condition == condition && step.location == location && step.items.count == items.count
                && (isItem || (step.rule == rule && step.kind == kind && step.title == title))
        }
    }

    /// A therapy's parts.
    final class TherapyParts: Sendable {
        let id: String
        let title: String
        /// `"therapy":…,"title":…`
        let head: JSONFragment
        /// The rules' steps, in step order.
        let steps: [StepParts]
        /// Each rule's evidence members (`rule`, `level`, `direction`, `references`), by rule
        /// id; `nil` for a rule without evidence.
        let evidence: [String: JSONFragment?]
        /// The lists of guideline positions a decision can have (one for each diagnosis), each
        /// with its member `"positions":[…]`.
        let positionLists: [(positions: [GuidelinePosition], member: JSONFragment)]
        /// The same for the lists of program items, with `"program":[…]`.
        let programs: [(program: [ProgramItem], member: JSONFragment)]

        init(
            id: String, title: String, head: JSONFragment, steps: [StepParts], evidence: [String: JSONFragment?],
            positionLists: [(positions: [GuidelinePosition], member: JSONFragment)],
            programs: [(program: [ProgramItem], member: JSONFragment)]
        ) {
            (self.id, self.title, self.head, self.steps, self.evidence) = (id, title, head, steps, evidence)
            (self.positionLists, self.programs) = (positionLists, programs)
        }

        /// The member written before for a decision's positions, if any (a list the compiled
        /// therapy gave is the very same array, so the comparison is one of identity).
        func member(positions: [GuidelinePosition]) -> JSONFragment? {
            for known in positionLists where known.positions == positions { return known.member }
            return nil
        }

        /// The member written before for a decision's program, if any.
        func member(program: [ProgramItem]) -> JSONFragment? {
            for known in programs where known.program == program { return known.member }
            return nil
        }
    }

    /// The digest of the pack the parts are from.
    let digest: String
    /// `"rule_pack":…,"engine":…`
    let packMembers: JSONFragment
    let therapies: [String: TherapyParts]

    init(pack: CompiledPack) {
        digest = pack.digest
        packMembers = JSONFragment { JSONReporter.writePackMembers(pack, into: &$0) }
        var therapies: [String: TherapyParts] = [:]
        for compiled in pack.therapies {
            let therapy = compiled.therapy
            var evidence: [String: JSONFragment?] = [:]
            for rule in therapy.rules where evidence[rule.id] == nil {
                evidence[rule.id] = rule.evidence.map { found in
                    let line = EvidenceLine(rule: rule.id, evidence: found, references: found.refs.compactMap { therapy.reference($0) })
                    return JSONFragment { JSONReporter.writeMembers(of: line, into: &$0) }
                }
            }
            therapies[therapy.id] = TherapyParts(
                id: therapy.id, title: therapy.title,
                head: JSONFragment { JSONReporter.writeHead(therapy: therapy.id, title: therapy.title, into: &$0) },
                steps: compiled.stepOrder.map { index in
                    let rule = compiled.rules[index]
                    // A rule's step is placed at the rule, its items at their conditions.
                    return Self.parts(
                        rule.condition, rule: rule.rule, at: rule.rule.location, becauses: [rule.becauseTrue, rule.becauseFalse],
                        points: rule.kind == .score || rule.kind == .caution ? rule.points : 0)
                },
                evidence: evidence,
                positionLists: ([[]] + compiled.byDiagnosis.map(\.positions)).map { positions in
                    (positions, JSONFragment { JSONReporter.write(positions: positions, therapy: therapy, into: &$0) })
                },
                programs: ([[], compiled.programForAny] + compiled.byDiagnosis.map(\.program)).map { program in
                    (program, JSONFragment { JSONReporter.write(program: program, into: &$0) })
                })
        }
        self.therapies = therapies
    }

    private static func parts(
        _ condition: CompiledCondition, rule: Rule, at place: SourceLocation? = nil, becauses: [String] = [],
        points: Int? = nil
    ) -> StepParts {
        var (text, location, keys, items): (String, SourceLocation, [String], [StepParts])
        switch condition {
        case .expression(let source, let expression):
            (text, location, keys, items) = (source.text, source.location, expression.readPaths, [])
        case .all(let conditions, let at):
            let inner = conditions.map { parts($0, rule: rule) }
            (text, location, keys, items) = ("all", at, Self.union(inner), inner)
        case .any(let conditions, let at):
            let inner = conditions.map { parts($0, rule: rule) }
            (text, location, keys, items) = ("any", at, Self.union(inner), inner)
        case .not(let condition, let at):
            let inner = [parts(condition, rule: rule)]
            (text, location, keys, items) = ("not", at, Self.union(inner), inner)
        }
        location = place ?? location
        return StepParts(
            rule: rule.id, kind: rule.kind, title: rule.title, condition: text, location: location,
            head: JSONFragment { JSONReporter.writeHead(rule: rule.id, kind: rule.kind, title: rule.title, into: &$0) },
            place: JSONFragment { JSONReporter.writePlace(location: location, condition: text, into: &$0) },
            valueKeys: keys.map(JSONKey.init), items: items, becauses: becauses, points: points)
    }

    /// The items' value keys, each once, in order (as a compound step gathers its values).
    private static func union(_ items: [StepParts]) -> [String] {
        var keys: [String] = []
        for item in items {
            for key in item.valueKeys where !keys.contains(key.name) { keys.append(key.name) }
        }
        return keys
    }
}
