/// The report for programs: the keys of DESIGN.md 4.1, in a fixed order.
public struct JSONReporter: EvaluationReporter {
    /// Whether to indent the document (one patient) or write it on one line (JSON Lines).
    public var pretty: Bool

    public init(pretty: Bool) {
        self.pretty = pretty
    }

    public func render(_ evaluation: PatientEvaluation, context: ReportContext) -> String {
        document(evaluation, context: context).rendered(pretty: pretty) + "\n"
    }

    /// The JSON document for one patient.
    public func document(_ evaluation: PatientEvaluation, context: ReportContext) -> JSONValue {
        let pack = context.pack
        return .object([
            ("schema_version", .int(1)),
            ("patient", .string(evaluation.patient)),
            ("as_of", evaluation.asOf.map { .string($0.description) } ?? .null),
            ("rule_pack", .object([
                ("path", .string(pack.pack.path)),
                ("digest", .string(pack.digest)),
                ("versions", .object(pack.versions.map { ($0.therapy, .string($0.version)) })),
            ])),
            ("engine", .object([("version", .string(CandidacyVersion.current))])),
            ("therapies", .array(evaluation.decisions.map { decision($0, context: context) })),
        ])
    }

    private func decision(_ decision: TherapyDecision, context: ReportContext) -> JSONValue {
        .object([
            ("therapy", .string(decision.therapy)),
            ("title", .string(decision.title)),
            ("tier", .string(decision.tier.rawValue)),
            ("score", .int(Int64(decision.score))),
            ("score_range", .array([.int(Int64(decision.scoreRange.lowerBound)), .int(Int64(decision.scoreRange.upperBound))])),
            ("provisional", .bool(decision.provisional)),
            ("missing", .array(decision.missing.map(JSONValue.string))),
            ("cautions", .array(decision.cautions.map(JSONValue.string))),
            ("deciding", .array(decision.deciding.map(JSONValue.string))),
            ("program", .array(decision.program.map { item in
                .object([
                    ("name", .string(item.name)),
                    ("purpose", .string(item.purpose.trimmingTrailingWhitespace())),
                    ("dose", .object(item.dose.parts.map { ($0.key, .string($0.value)) })),
                    ("diagnoses", .array(item.diagnoses.map(JSONValue.string))),
                ])
            })),
            ("what_would_change", .array(decision.whatWouldChange.map { change in
                .object([
                    ("rule", .string(change.rule)),
                    ("effect", .string(change.effect.name)),
                    ("change", change.change.map(JSONValue.string) ?? .null),
                    ("now", change.now.map(JSONValue.string) ?? .null),
                    ("points", change.effect.points.map { .int(Int64($0)) } ?? .null),
                    ("first_line", change.firstLine.map(JSONValue.string) ?? .null),
                    ("text", .string(change.sentence)),
                ])
            })),
            ("explanation", .string(TierExplanation.sentence(for: decision))),
            ("positions", .array(decision.positions.map { position($0, therapy: context.therapy(decision.therapy)) })),
            ("steps", .array(decision.steps.map { step($0) })),
            ("evidence", .array(context.evidence(for: decision).map(evidence))),
        ])
    }

    /// A rule's step, or (`isItem`) one item of an `all:`/`any:`/`not:` condition, which
    /// shares its rule's id, kind, title and points and so leaves them out.
    private func step(_ step: Step, isItem: Bool = false) -> JSONValue {
        Self.stepDocument(step, isItem: isItem)
    }

    /// The JSON of a step, as in `evaluate --format json`; shared with `candidacy test`.
    static func stepDocument(_ step: Step, isItem: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = isItem ? [] : [
            ("rule", .string(step.rule)),
            ("kind", .string(step.kind.rawValue)),
            ("title", .string(step.title)),
        ]
        members.append(("outcome", .string(step.outcome.rawValue)))
        if !isItem { members.append(("points", .int(Int64(step.points)))) }
        members += [
            ("location", .string(step.location.description)),
            ("condition", .string(step.condition)),
            ("values", .object(step.values.map { ($0.path, $0.value.map(JSONValue.init) ?? .null) })),
            ("missing", .array(step.missing.map(JSONValue.string))),
            ("because", .string(step.because)),
        ]
        if let error = step.error { members.append(("error", .string(error))) }
        if !step.items.isEmpty { members.append(("items", .array(step.items.map { stepDocument($0, isItem: true) }))) }
        return .object(members)
    }

    /// A guideline position, with the reference it names.
    private func position(_ position: GuidelinePosition, therapy: Therapy?) -> JSONValue {
        let reference = therapy?.reference(position.ref)
        return .object([
            ("source", .string(position.source)),
            ("stance", .string(position.stance.rawValue)),
            ("position", .string(position.position)),
            ("grade", position.grade.map(JSONValue.string) ?? .null),
            ("reference", .object([
                ("id", .string(position.ref)),
                ("citation", reference?.citation.map(JSONValue.string) ?? .null),
                ("url", reference?.url.map(JSONValue.string) ?? .null),
            ])),
        ])
    }

    private func evidence(_ line: EvidenceLine) -> JSONValue {
        .object([
            ("rule", .string(line.rule)),
            ("level", .int(Int64(line.evidence.level))),
            ("direction", .string(line.evidence.direction.rawValue)),
            ("references", .array(line.references.map { reference in
                .object([
                    ("id", .string(reference.id)),
                    ("citation", reference.citation.map(JSONValue.string) ?? .null),
                    ("url", reference.url.map(JSONValue.string) ?? .null),
                    ("grade", reference.grade.map(JSONValue.string) ?? .null),
                ])
            })),
        ])
    }
}
