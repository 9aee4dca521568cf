/// One lint check of the catalogue: what it finds, how serious that is, and examples of packs
/// it flags and packs it leaves alone, which double as its tests and its documentation
/// (the pattern of SwiftLint's `RuleDescription`).
public protocol LintCheck: Sendable {
    /// The check's id, severity, description and examples.
    var description: LintCheckDescription { get }

    /// Every finding in a compiled pack, each at its `file:line:column`, with the check's id as
    /// `code` and, where it has one, the name of the thing it is about as `subject`.
    func findings(in pack: CompiledPack, context: LintContext) -> [Diagnostic]
}

extension LintCheck {
    /// The check's id, such as `rule-without-reason`.
    public var id: String { description.id }

    /// How serious a finding of this check is.
    public var severity: Diagnostic.Severity { description.severity }

    /// A finding of this check.
    func finding(at location: SourceLocation, _ message: String, subject: String? = nil) -> Diagnostic {
        Diagnostic(description.severity, at: location, code: description.id, message, subject: subject)
    }
}

/// What a lint check is: its id, severity, one-line description, rationale and examples.
public struct LintCheckDescription: Sendable {
    /// A stable, kebab-case id: what `lint:` blocks, SARIF `ruleId` and docs name the check by.
    public var id: String
    /// How serious a finding is: errors are definite defects, warnings are smells.
    public var severity: Diagnostic.Severity
    /// One sentence: what the check finds.
    public var summary: String
    /// Why it matters and what exactly it looks at, for `docs/LINT.md` and SARIF's `fullDescription`.
    public var rationale: String
    /// Whether the pack loader or type checker already rejects what this check finds (all of it,
    /// or part of it), so that a pack with such a finding cannot be used and the check cannot be
    /// switched off.
    public var enforcedAtLoad: Bool
    /// Packs with at least one finding of this check.
    public var triggeringExamples: [LintExample]
    /// Packs with no finding of this check.
    public var nonTriggeringExamples: [LintExample]

    /// Creates a description.
    public init(
        id: String, severity: Diagnostic.Severity, summary: String, rationale: String, enforcedAtLoad: Bool = false,
        triggeringExamples: [LintExample], nonTriggeringExamples: [LintExample]
    ) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.enforcedAtLoad = enforcedAtLoad
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }
}

/// A small rule pack: the text of `profile.yaml` and of one or more therapy files.
public struct LintExample: Sendable {
    /// `profile.yaml`.
    public var profile: String
    /// The therapy files, named `t1.yaml`, `t2.yaml`… in this order.
    public var therapies: [String]
    /// The date the example is linted at (for `review_by`).
    public var asOf: CivilDate
    /// Whether `profile` is the shared ``defaultProfile``, which documentation need not repeat.
    public var usesDefaultProfile: Bool

    /// An example with one or more therapy files and, by default, the shared small profile.
    public init(_ therapies: String..., profile: String? = nil, asOf: CivilDate = LintExample.defaultDate) {
        self.therapies = therapies
        self.profile = profile ?? LintExample.defaultProfile
        self.usesDefaultProfile = profile == nil
        self.asOf = asOf
    }

    /// The files of the example pack, as ``RulePackLoader/load(files:path:)`` takes them.
    public var files: [PackFile] {
        [PackFile(path: RulePackLoader.profileFileName, contents: Array(profile.utf8))]
            + therapies.enumerated().map { PackFile(path: "t\($0.offset + 1).yaml", contents: Array($0.element.utf8)) }
    }

    /// 2026-01-01: the date examples are linted at.
    public static let defaultDate = CivilDate(daysSinceEpoch: 20_454)

    /// The profile most examples share.
    public static let defaultProfile = """
        schema_version: 1
        fields:
          id: { type: string }
          as_of: { type: date }
          age: { type: int, min: 0, max: 120 }
          diagnosis: { type: enum, values: [knee_osteoarthritis, patellar_tendinopathy, other] }
          kl_grade: { type: int, min: 0, max: 4 }
          pregnant: { type: bool }

        """
}
