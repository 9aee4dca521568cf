/// Lint findings for programs: one JSON object with the findings and what the pack switched off.
///
/// ```json
/// {"schema_version": 1, "rule_pack": {"path": "Rules"}, "engine": {"version": "0.1.0"},
///  "as_of": "2026-01-01", "summary": {"errors": 0, "warnings": 1, "suppressed": 1},
///  "findings": [{"check": "…", "severity": "warning", "location": "Rules/eswt.yaml:3:1",
///                "file": "Rules/eswt.yaml", "line": 3, "column": 1, "message": "…", "subject": "eswt"}],
///  "suppressed": [{…finding…, "reason": "…"}],
///  "disabled": [{"check": "…", "for": ["…"], "reason": "…", "location": "Rules/profile.yaml:9:7"}]}
/// ```
public struct LintJSONReporter: LintReporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        document(report).rendered(pretty: true) + "\n"
    }

    /// The JSON document.
    public func document(_ report: LintReport) -> JSONValue {
        .object([
            ("schema_version", .int(1)),
            ("rule_pack", .object([("path", .string(report.path))])),
            ("engine", .object([("version", .string(CandidacyVersion.current))])),
            ("as_of", .string(report.asOf.description)),
            ("summary", .object([
                ("errors", .int(Int64(report.errorCount))),
                ("warnings", .int(Int64(report.warningCount))),
                ("suppressed", .int(Int64(report.suppressed.count))),
            ])),
            ("findings", .array(report.findings.map { .object(members($0)) })),
            ("suppressed", .array(report.suppressed.map { .object(members($0.finding) + [("reason", .string($0.entry.reason))]) })),
            ("disabled", .array(report.disabled.map { entry in
                .object([
                    ("check", .string(entry.check)),
                    ("for", .array(entry.subjects.map(JSONValue.string))),
                    ("reason", .string(entry.reason)),
                    ("location", .string(entry.location.description)),
                ])
            })),
        ])
    }

    private func members(_ finding: Diagnostic) -> [(String, JSONValue)] {
        [
            ("check", .string(finding.code)),
            ("severity", .string(finding.severity.rawValue)),
            ("location", .string(finding.location.description)),
            ("file", .string(finding.location.file)),
            ("line", .int(Int64(finding.location.line))),
            ("column", .int(Int64(finding.location.column))),
            ("message", .string(finding.message)),
            ("subject", finding.subject.map(JSONValue.string) ?? .null),
        ]
    }
}
