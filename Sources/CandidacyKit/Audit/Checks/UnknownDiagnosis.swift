/// A guideline position or rule that names a diagnosis the profile does not list.
public struct UnknownDiagnosis: LintCheck {
    public init() {}

    public let description = LintCheckDescription(
        id: "unknown-diagnosis",
        severity: .error,
        summary: "A `positions` entry or a rule names a diagnosis that is not a value of the profile's `diagnosis` enum.",
        rationale: """
            A position for a diagnosis the profile cannot hold is never shown; a rule comparing \
            `diagnosis` with such a value never matches. Positions are checked when the pack loads, \
            and so is a rule comparing `diagnosis` with a string literal (as a type error, like any \
            enum literal); this check adds rules that compare `diagnosis` with a parameter whose \
            value is not in the enum.
            """,
        enforcedAtLoad: true,
        triggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                references: { r: { citation: "Guideline 2021." } }
                positions:
                  - { diagnosis: runners_knee, source: Guideline 2021, stance: for, position: may be used, ref: r }
                rules:
                  - { id: t-age, kind: require, title: Adult, when: age >= 18, reason: Adults only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                parameters:
                  target: { value: runners_knee }
                references: { r: { citation: "Source 2020." } }
                rules:
                  - { id: t-target, kind: require, title: Target diagnosis, when: diagnosis == params.target, reason: One diagnosis only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ],
        nonTriggeringExamples: [
            LintExample("""
                therapy: t
                title: T
                version: 1.0.0
                parameters:
                  target: { value: knee_osteoarthritis }
                references: { r: { citation: "Guideline 2021." } }
                positions:
                  - { diagnosis: knee_osteoarthritis, source: Guideline 2021, stance: for, position: may be used, ref: r }
                rules:
                  - { id: t-target, kind: require, title: Target diagnosis, when: diagnosis == params.target, reason: One diagnosis only., evidence: { level: 5, direction: for, refs: [r] } }
                tiers: { recommended: 0, consider: 0 }
                """),
        ])

    public func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic] {
        let name = GuidelinePosition.diagnosisField
        guard let field = pack.pack.profile.field(named: name), case .enumeration(let values) = field.type else {
            return []
        }
        var result: [Diagnostic] = []
        for therapy in pack.therapies {
            for compiled in therapy.rules {
                for (source, expression) in compiled.condition.expressions {
                    visit(expression.root) { node in
                        guard case .binary(let op, let lhs, let rhs) = node.kind, op == .equal || op == .notEqual
                        else { return }
                        for (field, other) in [(lhs, rhs), (rhs, lhs)] where field.pathText == name {
                            guard case .select(let operand, let parameter) = other.kind,
                                case .identifier("params") = operand.kind,
                                case .string(let value)? = therapy.parameters.field(parameter),
                                !values.contains(value)
                            else { continue }
                            result.append(finding(
                                at: source.location(atScalarOffset: ExpressionPrinter.startOffset(node)),
                                "rule '\(compiled.rule.id)' compares \(name) with params.\(parameter) = '\(value)', "
                                    + "which is not a value of \(name) (\(values.joined(separator: ", ")))"
                                    + Suggestion.didYouMean(value, in: values),
                                subject: compiled.rule.id))
                        }
                    }
                }
            }
        }
        return result
    }

    private func visit(_ node: ExpressionNode, _ body: (ExpressionNode) -> Void) {
        body(node)
        for child in node.children { visit(child, body) }
    }
}
