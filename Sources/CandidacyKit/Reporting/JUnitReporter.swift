/// The `candidacy test` report as JUnit XML, the form Jenkins, GitLab and GitHub test reporters
/// (dorny/test-reporter, mikepenz/action-junit-report) read.
///
/// One `<testsuites>` holding one `<testsuite>`; one `<testcase>` per fixture and therapy
/// expectation, `classname` the fixture file and `name` the therapy id, with `file` and
/// `line` pointing at the expectation. A mismatch is a `<failure type="mismatch">` whose
/// `message` is the one-line failure and whose body holds the details of the text report.
/// Times are always `0` so that the file is byte-identical from run to run.
public struct JUnitReporter: TestReporter {
    /// Creates the reporter.
    public init() {}

    public func render(_ report: TestReport) -> String {
        let result = report.result
        let counts =
            "tests=\"\(result.passedCount + result.failedCount + result.skippedCount)\" failures=\"\(result.failedCount)\" "
            + "errors=\"0\" skipped=\"\(result.skippedCount)\" time=\"0\""
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        lines.append("<testsuites name=\"candidacy test\" \(counts)>")
        lines.append("  <testsuite name=\"\(XMLText.escape(suiteName(report), attribute: true))\" \(counts)>")
        for fixture in result.fixtures {
            for expectation in fixture.expectations {
                let classname = XMLText.escape(fixture.fixture.file, attribute: true)
                let name = XMLText.escape(expectation.expectation.therapy, attribute: true)
                let head =
                    "    <testcase classname=\"\(classname)\" name=\"\(name)\" file=\"\(classname)\" "
                    + "line=\"\(expectation.location.line)\" time=\"0\""
                if expectation.passed {
                    lines.append(head + "/>")
                    continue
                }
                lines.append(head + ">")
                let message = XMLText.escape(expectation.description, attribute: true)
                let details = TestTextReporter.details(of: expectation, in: fixture.fixture).joined(separator: "\n")
                lines.append(
                    "      <failure message=\"\(message)\" type=\"mismatch\">"
                        + XMLText.escape(expectation.description + "\n" + details) + "</failure>")
                lines.append("    </testcase>")
            }
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `candidacy test (rules Rules)`.
    private func suiteName(_ report: TestReport) -> String {
        "candidacy test (rules \(report.pack.pack.path))"
    }
}
