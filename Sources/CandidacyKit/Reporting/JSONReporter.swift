/// The report for programs: the keys of DESIGN.md 4.1, in a fixed order.
///
/// The report streams into a ``JSONSink``: straight to bytes for `evaluate --format json`
/// (no tree of values in between, which was most of a full batch line's cost), or into a tree
/// where another report embeds a part of it.
public struct JSONReporter: EvaluationReporter {
    /// Whether to indent the document (one patient) or write it on one line (JSON Lines).
    public var pretty: Bool
    /// The parts that are the same for every patient, escaped once (a batch's).
    let fragments: ReportFragments?

    public init(pretty: Bool) {
        self.init(pretty: pretty, fragments: nil)
    }

    init(pretty: Bool, fragments: ReportFragments?) {
        self.pretty = pretty
        self.fragments = fragments
    }

    public func render(_ evaluation: PatientEvaluation, context: ReportContext) -> String {
        var writer = JSONWriter(pretty: pretty, capacity: 32_768)
        write(evaluation, context: context, into: &writer)
        writer.output.byte(0x0A)
        return String(decoding: writer.takeBytes(), as: UTF8.self)
    }

    /// The JSON document for one patient, as a tree.
    public func document(_ evaluation: PatientEvaluation, context: ReportContext) -> JSONValue {
        JSONTreeBuilder.build { write(evaluation, context: context, into: &$0) }
    }

    /// Writes the JSON document for one patient.
    public func write<Sink: JSONSink>(_ evaluation: PatientEvaluation, context: ReportContext, into sink: inout Sink) {
        write(evaluation, context: context, into: &sink) { index in
            TierExplanation.sentence(for: evaluation.decisions[index])
        } steps: { index, sink in
            let parts = therapyParts(of: evaluation.decisions[index].therapy, context: context)?.steps ?? []
            for (position, step) in evaluation.decisions[index].steps.enumerated() {
                Self.write(step, parts: position < parts.count ? parts[position] : nil, into: &sink)
            }
        }
    }

    /// Writes the JSON document for one patient, each decision's tier sentence and steps (by
    /// the decision's position in `evaluation`) given by `explanation` and `steps`: a batch
    /// writes them from its rules' verdicts, without building the decisions' steps.
    func write<Sink: JSONSink>(
        _ evaluation: PatientEvaluation, context: ReportContext, into sink: inout Sink,
        explanation: (Int) -> String, steps: (Int, inout Sink) -> Void
    ) {
        let pack = context.pack
        sink.beginObject()
        sink.key("schema_version")
        sink.int(1)
        sink.key("patient")
        sink.string(evaluation.patient)
        sink.key("as_of")
        sink.string(orNull: evaluation.asOf?.description)
        if let fragments, fragments.digest == pack.digest {
            sink.members(fragments.packMembers)
        } else {
            Self.writePackMembers(pack, into: &sink)
        }
        sink.key("therapies")
        sink.beginArray()
        for index in evaluation.decisions.indices {
            write(evaluation.decisions[index], context: context, into: &sink, explanation: explanation(index)) { sink in
                steps(index, &sink)
            }
        }
        sink.endArray()
        sink.endObject()
    }

    /// `"rule_pack"` and `"engine"`.
    static func writePackMembers<Sink: JSONSink>(_ pack: CompiledPack, into sink: inout Sink) {
        sink.key("rule_pack")
        sink.beginObject()
        sink.key("path")
        sink.string(pack.pack.path)
        sink.key("digest")
        sink.string(pack.digest)
        sink.key("versions")
        sink.beginObject()
        for version in pack.versions {
            sink.key(named: version.therapy)
            sink.string(version.version)
        }
        sink.endObject()
        sink.endObject()
        sink.key("engine")
        sink.beginObject()
        sink.key("version")
        sink.string(CandidacyVersion.current)
        sink.endObject()
    }

    /// A decision's `"therapy"` and `"title"`.
    static func writeHead<Sink: JSONSink>(therapy: String, title: String, into sink: inout Sink) {
        sink.key("therapy")
        sink.string(therapy)
        sink.key("title")
        sink.string(title)
    }

    /// The parts of a therapy, when they are of the very pack reported on (its evidence and
    /// positions are taken as they are).
    func therapyParts(of therapy: String, context: ReportContext) -> ReportFragments.TherapyParts? {
        fragments.flatMap { $0.digest == context.pack.digest ? $0.therapies[therapy] : nil }
    }

    private func write<Sink: JSONSink>(
        _ decision: TherapyDecision, context: ReportContext, into sink: inout Sink, explanation: String,
        steps: (inout Sink) -> Void
    ) {
        let parts = therapyParts(of: decision.therapy, context: context)
        sink.beginObject()
        if let parts, parts.id == decision.therapy, parts.title == decision.title {
            sink.members(parts.head)
        } else {
            Self.writeHead(therapy: decision.therapy, title: decision.title, into: &sink)
        }
        sink.key("tier")
        sink.string(decision.tier.rawValue)
        sink.key("score")
        sink.int(decision.score)
        sink.key("score_range")
        sink.beginArray()
        sink.int(decision.scoreRange.lowerBound)
        sink.int(decision.scoreRange.upperBound)
        sink.endArray()
        sink.key("provisional")
        sink.bool(decision.provisional)
        sink.key("missing")
        sink.strings(decision.missing)
        sink.key("cautions")
        sink.strings(decision.cautions)
        sink.key("deciding")
        sink.strings(decision.deciding)
        if let member = parts?.member(program: decision.program) {
            sink.members(member)
        } else {
            Self.write(program: decision.program, into: &sink)
        }
        sink.key("what_would_change")
        sink.beginArray()
        for change in decision.whatWouldChange {
            sink.beginObject()
            sink.key("rule")
            sink.string(change.rule)
            sink.key("effect")
            sink.string(change.effect.name)
            sink.key("change")
            sink.string(orNull: change.change)
            sink.key("now")
            sink.string(orNull: change.now)
            sink.key("points")
            if let points = change.effect.points { sink.int(points) } else { sink.null() }
            sink.key("first_line")
            sink.string(orNull: change.firstLine)
            sink.key("text")
            sink.string(change.sentence)
            sink.endObject()
        }
        sink.endArray()
        sink.key("explanation")
        sink.string(explanation)
        if let member = parts?.member(positions: decision.positions) {
            sink.members(member)
        } else {
            let therapy = decision.positions.isEmpty ? nil : context.therapy(decision.therapy)
            Self.write(positions: decision.positions, therapy: therapy, into: &sink)
        }
        sink.key("steps")
        sink.beginArray()
        steps(&sink)
        sink.endArray()
        sink.key("evidence")
        sink.beginArray()
        if let parts {
            for id in ReportContext.evidenceRules(of: decision) {
                guard case .some(.some(let members)) = parts.evidence[id] else { continue }
                sink.beginObject()
                sink.members(members)
                sink.endObject()
            }
        } else {
            for line in context.evidence(for: decision) {
                sink.beginObject()
                Self.writeMembers(of: line, into: &sink)
                sink.endObject()
            }
        }
        sink.endArray()
        sink.endObject()
    }

    /// The member `"program"` of a decision.
    static func write<Sink: JSONSink>(program: [ProgramItem], into sink: inout Sink) {
        sink.key("program")
        sink.beginArray()
        for item in program {
            sink.beginObject()
            sink.key("name")
            sink.string(item.name)
            sink.key("purpose")
            sink.string(item.purpose.trimmingTrailingWhitespace())
            sink.key("dose")
            sink.beginObject()
            for part in item.dose.parts {
                sink.key(named: part.key)
                sink.string(part.value)
            }
            sink.endObject()
            sink.key("diagnoses")
            sink.strings(item.diagnoses)
            sink.endObject()
        }
        sink.endArray()
    }

    /// The member `"positions"` of a decision.
    static func write<Sink: JSONSink>(positions: [GuidelinePosition], therapy: Therapy?, into sink: inout Sink) {
        sink.key("positions")
        sink.beginArray()
        for position in positions {
            sink.beginObject()
            Self.writeMembers(of: position, therapy: therapy, into: &sink)
            sink.endObject()
        }
        sink.endArray()
    }

    /// The JSON of a step, as in `evaluate --format json`, as a tree; shared with `candidacy test`.
    static func stepDocument(_ step: Step) -> JSONValue {
        JSONTreeBuilder.build { write(step, into: &$0) }
    }

    /// A rule's step, or (`isItem`) one item of an `all:`/`any:`/`not:` condition, which
    /// shares its rule's id, kind, title and points and so leaves them out.
    ///
    /// `parts`, when they describe the step, give the parts that are the same for every patient.
    static func write<Sink: JSONSink>(
        _ step: Step, isItem: Bool = false, parts given: ReportFragments.StepParts? = nil, into sink: inout Sink
    ) {
        let parts = given.flatMap { $0.describes(step, isItem: isItem) ? $0 : nil }
        sink.beginObject()
        if !isItem, let head = parts?.head(step.outcome, points: step.points) {
            // A rule's step up to its values, written before for its outcome.
            sink.members(head)
        } else {
            if !isItem {
                if let parts {
                    sink.members(parts.head)
                } else {
                    writeHead(rule: step.rule, kind: step.kind, title: step.title, into: &sink)
                }
            }
            sink.members(Self.outcomeMember(step.outcome))
            if !isItem {
                sink.key("points")
                sink.int(step.points)
            }
            if let parts {
                sink.members(parts.place)
            } else {
                writePlace(location: step.location, condition: step.condition, into: &sink)
            }
        }
        sink.key("values")
        sink.beginObject()
        let keys = parts?.valueKeys ?? []
        for (index, observed) in step.values.enumerated() {
            if index < keys.count, keys[index].name == observed.path {
                sink.key(keys[index])
            } else {
                sink.key(named: observed.path)
            }
            if let value = observed.value { sink.repeatedValue(value) } else { sink.null() }
        }
        sink.endObject()
        writeTail(missing: step.missing, because: step.because, outcome: step.outcome, parts: parts, into: &sink)
        if let error = step.error {
            sink.key("error")
            sink.string(error)
        }
        if !step.items.isEmpty {
            sink.key("items")
            sink.beginArray()
            for (index, item) in step.items.enumerated() {
                write(item, isItem: true, parts: parts.map { $0.items[index] }, into: &sink)
            }
            sink.endArray()
        }
        sink.endObject()
    }

    /// A step's `"missing"` and `"because"`: written before for a settled outcome when `parts`
    /// hold its sentence.
    static func writeTail<Sink: JSONSink>(
        missing: [String], because: String, outcome: TruthValue, parts: ReportFragments.StepParts?, into sink: inout Sink
    ) {
        let member = parts?.because(because, outcome: outcome)
        if missing.isEmpty, member != nil, let parts {
            // `"missing":[],"because":…` written before: a sentence it holds has its tail.
            return sink.members(parts.settledTails[ReportFragments.StepParts.outcomeIndex(outcome)])
        }
        if missing.isEmpty {
            sink.members(Self.noneMissing)
        } else {
            sink.key("missing")
            sink.strings(missing)
        }
        if let member {
            sink.members(member)
        } else {
            sink.key("because")
            sink.string(because)
        }
    }

    /// `"outcome":…` for each outcome, and `"missing":[]`, escaped once.
    private static let outcomeMembers = (
        true: JSONFragment { $0.key("outcome"); $0.string(TruthValue.true.rawValue) },
        false: JSONFragment { $0.key("outcome"); $0.string(TruthValue.false.rawValue) },
        unknown: JSONFragment { $0.key("outcome"); $0.string(TruthValue.unknown.rawValue) })
    static let noneMissing = JSONFragment { sink in
        sink.key("missing")
        sink.beginArray()
        sink.endArray()
    }

    static func outcomeMember(_ outcome: TruthValue) -> JSONFragment {
        switch outcome {
        case .true: outcomeMembers.true
        case .false: outcomeMembers.false
        case .unknown: outcomeMembers.unknown
        }
    }

    /// A step's `"rule"`, `"kind"` and `"title"`.
    static func writeHead<Sink: JSONSink>(rule: String, kind: RuleKind, title: String, into sink: inout Sink) {
        sink.key("rule")
        sink.string(rule)
        sink.key("kind")
        sink.string(kind.rawValue)
        sink.key("title")
        sink.string(title)
    }

    /// A step's `"location"` and `"condition"`.
    static func writePlace<Sink: JSONSink>(location: SourceLocation, condition: String, into sink: inout Sink) {
        sink.key("location")
        sink.string(location.description)
        sink.key("condition")
        sink.string(condition)
    }

    /// The members of a guideline position, with the reference it names.
    static func writeMembers<Sink: JSONSink>(of position: GuidelinePosition, therapy: Therapy?, into sink: inout Sink) {
        let reference = therapy?.reference(position.ref)
        sink.key("source")
        sink.string(position.source)
        sink.key("stance")
        sink.string(position.stance.rawValue)
        sink.key("position")
        sink.string(position.position)
        sink.key("grade")
        sink.string(orNull: position.grade)
        sink.key("reference")
        sink.beginObject()
        sink.key("id")
        sink.string(position.ref)
        sink.key("citation")
        sink.string(orNull: reference?.citation)
        sink.key("url")
        sink.string(orNull: reference?.url)
        sink.endObject()
    }

    /// The members of one evidence entry.
    static func writeMembers<Sink: JSONSink>(of line: EvidenceLine, into sink: inout Sink) {
        sink.key("rule")
        sink.string(line.rule)
        sink.key("level")
        sink.int(line.evidence.level)
        sink.key("direction")
        sink.string(line.evidence.direction.rawValue)
        sink.key("references")
        sink.beginArray()
        for reference in line.references {
            sink.beginObject()
            sink.key("id")
            sink.string(reference.id)
            sink.key("citation")
            sink.string(orNull: reference.citation)
            sink.key("url")
            sink.string(orNull: reference.url)
            sink.key("grade")
            sink.string(orNull: reference.grade)
            sink.endObject()
        }
        sink.endArray()
    }
}
