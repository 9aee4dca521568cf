/// Lint findings as SARIF 2.1.0 (Static Analysis Results Interchange Format), which GitHub code
/// scanning and other CI tools import: one run, the whole catalogue as rule metadata, one result
/// per finding with its region, and the findings a pack switched off as suppressed results.
public struct LintSARIFReporter: LintReporter {
    /// The SARIF schema the output follows.
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    /// Where the checks are documented; each rule's `helpUri` is this and `#` and its id.
    public static let documentationURI = CandidacyVersion.homepage + "/blob/main/docs/LINT.md"

    /// The checks described as rules, in catalogue order; results point into it by index.
    public var checks: [any LintCheck]

    public init(checks: [any LintCheck] = LintCatalogue.checks) {
        self.checks = checks
    }

    public func render(_ report: LintReport) -> String {
        document(report).rendered(pretty: true) + "\n"
    }

    /// The SARIF log.
    public func document(_ report: LintReport) -> JSONValue {
        let results = report.findings.map { result($0, suppression: nil) }
            + report.suppressed.map { result($0.finding, suppression: $0.entry) }
        return .object([
            ("$schema", .string(LintSARIFReporter.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([
                .object([
                    ("tool", .object([
                        ("driver", .object([
                            ("name", .string("candidacy")),
                            ("version", .string(CandidacyVersion.current)),
                            ("semanticVersion", .string(CandidacyVersion.current)),
                            ("informationUri", .string(CandidacyVersion.homepage)),
                            ("rules", .array(checks.map(rule))),
                        ])),
                    ])),
                    ("columnKind", .string("unicodeCodePoints")),
                    ("results", .array(results)),
                ]),
            ])),
        ])
    }

    private func rule(_ check: any LintCheck) -> JSONValue {
        let description = check.description
        return .object([
            ("id", .string(description.id)),
            ("name", .string(LintSARIFReporter.pascalCase(description.id))),
            ("shortDescription", .object([("text", .string(LintSARIFReporter.plain(description.summary)))])),
            ("fullDescription", .object([("text", .string(LintSARIFReporter.plain(description.rationale)))])),
            ("defaultConfiguration", .object([("level", .string(description.severity.rawValue))])),
            ("helpUri", .string(LintSARIFReporter.documentationURI + "#" + description.id)),
            ("help", .object([
                ("text", .string(LintSARIFReporter.plain(description.summary + " " + description.rationale))),
                ("markdown", .string(description.summary + "\n\n" + description.rationale)),
            ])),
            ("properties", .object([
                ("tags", .array([.string("candidacy"), .string(description.enforcedAtLoad ? "load" : "lint")])),
            ])),
        ])
    }

    private func result(_ finding: Diagnostic, suppression: DisabledCheck?) -> JSONValue {
        var members: [(String, JSONValue)] = [("ruleId", .string(finding.code))]
        if let index = checks.firstIndex(where: { $0.id == finding.code }) {
            members.append(("ruleIndex", .int(Int64(index))))
        }
        members += [
            ("level", .string(finding.severity.rawValue)),
            ("message", .object([("text", .string(finding.message))])),
            ("locations", .array([
                .object([
                    ("physicalLocation", .object([
                        ("artifactLocation", .object([("uri", .string(LintSARIFReporter.uri(finding.location.file)))])),
                        ("region", .object([
                            ("startLine", .int(Int64(max(1, finding.location.line)))),
                            ("startColumn", .int(Int64(max(1, finding.location.column)))),
                        ])),
                    ])),
                ]),
            ])),
        ]
        if let suppression {
            members.append(("suppressions", .array([
                .object([
                    ("kind", .string("inSource")),
                    ("status", .string("accepted")),
                    ("justification", .string(suppression.reason)),
                ]),
            ])))
        }
        return .object(members)
    }

    /// Description text without Markdown code marks.
    static func plain(_ text: String) -> String {
        String(text.filter { $0 != "`" })
    }

    /// `rule-without-reason` → `RuleWithoutReason`.
    static func pascalCase(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A file path as a URI reference: relative paths stay relative (to the folder lint ran in),
    /// absolute ones become `file://` URIs; characters outside RFC 3986's unreserved set and `/`
    /// are percent-encoded.
    static func uri(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-._~/".unicodeScalars.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                encoded += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
