/// Renders a ``LintReport`` in one format (text, JSON, SARIF).
public protocol LintReporter: Sendable {
    /// The whole output, ending with a newline.
    func render(_ report: LintReport) -> String
}
