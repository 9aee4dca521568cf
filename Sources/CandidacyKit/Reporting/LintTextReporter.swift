/// Lint findings for people and editors: `file:line:column: severity: message [check-id]`, one
/// per line, then a summary line.
public struct LintTextReporter: LintReporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        var output = ""
        for finding in report.findings {
            output += "\(finding.location): \(finding.severity.rawValue): \(finding.message) [\(finding.code)]\n"
        }
        var counts: [String] = []
        if report.errorCount > 0 { counts.append(LintTextReporter.count(report.errorCount, "error")) }
        if report.warningCount > 0 { counts.append(LintTextReporter.count(report.warningCount, "warning")) }
        var summary = "\(report.path): " + (counts.isEmpty ? "no findings" : counts.joined(separator: ", "))
        if !report.suppressed.isEmpty {
            summary += " (\(report.suppressed.count) switched off by the pack's lint: block)"
        }
        return output + summary + "\n"
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
