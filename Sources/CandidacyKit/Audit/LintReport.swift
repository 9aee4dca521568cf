/// The result of linting one pack: findings in a fixed order, and what the pack switched off.
public struct LintReport: Sendable {
    /// The pack's folder, as given.
    public var path: String
    /// The date the pack was linted at.
    public var asOf: CivilDate
    /// The findings that count, sorted by location, then check id, then message.
    public var findings: [Diagnostic]
    /// The findings the pack's `lint:` block switched off, with the entry that did, sorted likewise.
    public var suppressed: [SuppressedFinding]
    /// The pack's `lint.disable` entries (empty when the profile did not load).
    public var disabled: [DisabledCheck]

    /// Creates a report; sorts the findings.
    public init(
        path: String, asOf: CivilDate, findings: [Diagnostic], suppressed: [SuppressedFinding] = [],
        disabled: [DisabledCheck] = []
    ) {
        self.path = path
        self.asOf = asOf
        self.findings = findings.sorted(by: LintReport.order)
        self.suppressed = suppressed.sorted { LintReport.order($0.finding, $1.finding) }
        self.disabled = disabled
    }

    /// The number of error findings.
    public var errorCount: Int { findings.count { $0.severity == .error } }

    /// The number of warning findings.
    public var warningCount: Int { findings.count { $0.severity == .warning } }

    /// Whether the lint fails: any error, or with `strict` any warning too.
    public func fails(strict: Bool) -> Bool {
        errorCount > 0 || (strict && warningCount > 0)
    }

    /// Location, then check id, then message: the deterministic order of every format.
    static func order(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        (lhs.location, lhs.code, lhs.message) < (rhs.location, rhs.code, rhs.message)
    }
}

/// A finding a pack switched off, and the `lint.disable` entry that did.
public struct SuppressedFinding: Sendable {
    /// The finding.
    public var finding: Diagnostic
    /// The entry, with its reason.
    public var entry: DisabledCheck
}
