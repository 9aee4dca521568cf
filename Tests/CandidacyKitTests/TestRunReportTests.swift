import Foundation
import Testing
@testable import CandidacyKit

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `candidacy test` as a library: a suite of inline fixtures, its text report and its JUnit XML.
@Suite struct TestRunReportTests {
    /// ESWT comes out `consider` with score 3 (decided by `eswt-chronic`); PRP `not-recommended`
    /// with score 0. Expectations start on line 10.
    static func fixture(description: String = "28-year-old with patellar tendinopathy", _ expectations: String) -> String {
        """
        description: \(description)
        patient:
          as_of: 2026-10-02
          pregnant: false
          diagnosis: patellar_tendinopathy
          symptom_weeks: 20
          injections: []
          labs: { platelet_count: 200 }
        expect:
        \(expectations)
        """
    }

    static let good = fixture("""
          eswt: { tier: consider, score: 3, because: [eswt-chronic] }
          prp: { tier: not-recommended, score: 0 }
        """)

    private func report(_ texts: [String]) throws -> TestReport {
        let pack = try FixtureTestPack.compile()
        var fixtures: [Fixture] = []
        for (index, text) in texts.enumerated() {
            fixtures.append(try FixtureLoader.load(contents: Array(text.utf8), file: "f\(index).yaml", pack: pack))
        }
        let result = FixtureRunner(pack: pack).run(FixtureSuite(fixtures: fixtures))
        return TestReport(pack: pack, result: result)
    }

    @Test func goodFixturesPass() throws {
        let report = try report([Self.good, Self.good])
        #expect(report.passed)
        #expect(report.result.passedCount == 4)
        #expect(report.result.failedCount == 0)
        let text = TestTextReporter().render(report)
        #expect(text.hasSuffix("\n4 passed, 0 failed\n"))
        #expect(!text.contains("FAIL"))
    }

    @Test func oneChangedExpectationFailsWithAPreciseReport() throws {
        let changed = Self.good.replacingOccurrences(of: "tier: consider, score: 3", with: "tier: recommended, score: 3")
        let report = try report([Self.good, changed])
        #expect(!report.passed)
        #expect(report.result.summaryLine == "3 passed, 1 failed")
        let text = TestTextReporter().render(report)
        let expected = """

            FAIL f1.yaml:10:3: eswt: expected tier recommended, got consider (score 3; deciding: eswt-chronic)
              case:     f1.yaml — 28-year-old with patellar tendinopathy
              expected: tier recommended · score 3 · because eswt-chronic
              actual:   tier consider · score 3 · deciding eswt-chronic
              deciding steps:
                true     eswt-chronic  score +3  T/t0.yaml:7:5
                         when symptom_weeks >= 12
                         symptom_weeks = 20

            3 passed, 1 failed

            """
        #expect(text.hasSuffix(expected), "\(text)")
        #expect(text.components(separatedBy: "FAIL ").count == 2, "one failure only")
    }

    @Test func becauseRuleThatDidNotDecideIsShown() throws {
        let report = try report([Self.fixture("  eswt: { because: [eswt-pregnancy] }")])
        let text = TestTextReporter().render(report)
        #expect(text.contains("expected among the deciding, but not:\n    false    eswt-pregnancy  exclude  T/t0.yaml:5:5\n"))
        #expect(text.contains("when pregnant\n             pregnant = false\n"))
    }

    @Test func junitParsesWithOneTestcasePerFixtureAndTherapy() throws {
        let hostile = Self.fixture(description: "odd <text> & \"quotes\" 'here'", """
              eswt: { tier: recommended }
              prp: { tier: not-recommended }
            """)
        let report = try report([Self.good, hostile])
        let xml = JUnitReporter().render(report)
        let parsed = try JUnitDocument(parsing: xml)
        #expect(parsed.suites == 1)
        #expect(parsed.testcases.map(\.name) == ["eswt", "prp", "eswt", "prp"])
        #expect(parsed.testcases.map(\.classname) == ["f0.yaml", "f0.yaml", "f1.yaml", "f1.yaml"])
        #expect(parsed.testcases.map(\.failed) == [false, false, true, false])
        #expect(parsed.failureTypes == ["mismatch"])
        #expect(parsed.failureMessages == [
            "f1.yaml:10:3: eswt: expected tier recommended, got consider (score 3; deciding: eswt-chronic)",
        ])
        #expect(parsed.failureBodies.first?.contains("odd <text> & \"quotes\" 'here'") == true)
        #expect(parsed.attributes["testsuites"]?["tests"] == "4")
        #expect(parsed.attributes["testsuites"]?["failures"] == "1")
        #expect(parsed.attributes["testsuite"]?["skipped"] == "0")
        #expect(xml == JUnitReporter().render(report), "deterministic")
    }

    @Test func jsonReportHasSummaryAndNullSections() throws {
        let report = try report([Self.good])
        let json = TestJSONReporter().render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["passed"] as? Int == 2)
        #expect(summary["failed"] as? Int == 0)
        #expect(object["coverage"] is NSNull)
        #expect(object["mutation"] is NSNull)
    }

    @Test func xmlEscaping() {
        #expect(XMLText.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;")
        #expect(XMLText.escape("x\ny\u{0}", attribute: true) == "x&#10;y\u{FFFD}")
        #expect(XMLText.escape("x\ny") == "x\ny")
    }
}

/// The parts of a JUnit file the tests check, read with Foundation's `XMLParser`.
final class JUnitDocument: NSObject, XMLParserDelegate {
    struct Testcase {
        var classname: String
        var name: String
        var failed: Bool
    }

    private(set) var suites = 0
    private(set) var testcases: [Testcase] = []
    private(set) var failureTypes: [String] = []
    private(set) var failureMessages: [String] = []
    private(set) var failureBodies: [String] = []
    private(set) var attributes: [String: [String: String]] = [:]
    private var text = ""

    struct ParseError: Error {
        var message: String
    }

    init(parsing xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw ParseError(message: parser.parserError.map { "\($0)" } ?? "unknown XML error")
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String]
    ) {
        if attributes[elementName] == nil { attributes[elementName] = attributeDict }
        switch elementName {
        case "testsuite": suites += 1
        case "testcase":
            testcases.append(Testcase(classname: attributeDict["classname"] ?? "", name: attributeDict["name"] ?? "", failed: false))
        case "failure":
            if !testcases.isEmpty { testcases[testcases.count - 1].failed = true }
            failureTypes.append(attributeDict["type"] ?? "")
            failureMessages.append(attributeDict["message"] ?? "")
            text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == "failure" { failureBodies.append(text) }
    }
}
