import Testing
@testable import CandidacyKit

@Suite struct SuggestionTests {
    @Test(arguments: [
        ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "abc", 0), ("ab", "ba", 1), ("platelet", "palteelt", 2),
    ])
    func editDistance(_ lhs: String, _ rhs: String, _ expected: Int) {
        #expect(Suggestion.editDistance(lhs, rhs) == expected)
    }

    @Test func suggestsTheClosestCandidate() {
        #expect(Suggestion.closest(to: "diagnossis", in: ["age", "diagnosis", "sex"]) == "diagnosis")
        #expect(Suggestion.closest(to: "sx", in: ["age", "sex"]) == "sex")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["age", "diagnosis"]) == nil)
        #expect(Suggestion.didYouMean("pregant", in: ["pregnant"]) == "; did you mean 'pregnant'?")
        #expect(Suggestion.didYouMean("pregnant", in: ["pregnant"]) == "")
    }
}
