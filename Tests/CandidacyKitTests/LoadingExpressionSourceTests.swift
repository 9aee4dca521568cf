import Testing
@testable import CandidacyKit

private typealias SourceLocation = CandidacyKit.SourceLocation

/// Where the text of a `when` expression lies in the file.
@Suite struct LoadingExpressionSourceTests {
    /// The expression of the single rule of a therapy file whose `when:` is `when`.
    private func source(_ when: String) throws -> ExpressionSource {
        let text = """
            therapy: t
            title: T
            version: "1"
            rules:
              - id: a
                kind: exclude
                title: A
                when: \(when)
            tiers: { recommended: 2, consider: 1 }
            """
        let pack = try LoadingSupport.pack([("profile.yaml", LoadingSupport.profile), ("t.yaml", text)])
        guard case .expression(let source)? = pack.therapies.first?.rules.first?.when else {
            Issue.record("expected an expression")
            return ExpressionSource(text: "", at: SourceLocation(file: "", line: 0, column: 0))
        }
        return source
    }

    private func at(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: "Rules/t.yaml", line: line, column: column)
    }

    @Test func plainScalar() throws {
        let source = try source("age >= 18 && pregnant")
        #expect(source.text == "age >= 18 && pregnant")
        #expect(source.lineStarts == [at(8, 11)])
        #expect(source.location(atScalarOffset: 13) == at(8, 24))
    }

    @Test func quotedScalars() throws {
        let double = try source("\"diagnosis == 'other'\"")
        #expect(double.text == "diagnosis == 'other'")
        #expect(double.lineStarts == [at(8, 12)])
        #expect(double.location(atScalarOffset: 13) == at(8, 25))
        let single = try source("'diagnosis == \"other\"'")
        #expect(single.lineStarts == [at(8, 12)])
    }

    @Test func literalBlockScalar() throws {
        let source = try source("|\n      has(labs.platelet_count) &&\n        labs.platelet_count < 150\n")
        #expect(source.text == "has(labs.platelet_count) &&\n  labs.platelet_count < 150\n")
        #expect(source.lineStarts.prefix(2) == [at(9, 7), at(10, 7)])
        // "labs" on the second line is two scalars in, after its extra indentation.
        let offset = "has(labs.platelet_count) &&\n  ".unicodeScalars.count
        #expect(source.location(atScalarOffset: offset) == at(10, 9))
    }

    @Test func foldedBlockScalar() throws {
        let source = try source(">\n      age >= 18 &&\n      bmi < 30\n\n      || pregnant\n")
        #expect(source.text == "age >= 18 && bmi < 30\n|| pregnant\n")
        #expect(source.lineStarts.prefix(2) == [at(9, 7), at(12, 7)])
    }

    @Test func multiLinePlainScalarWithABlankLine() throws {
        let source = try source("age >= 18 &&\n      bmi < 30\n\n      && pregnant")
        #expect(source.text == "age >= 18 && bmi < 30\n&& pregnant")
        #expect(source.lineStarts == [at(8, 11), at(11, 7)])
    }
}
