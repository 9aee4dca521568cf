import Testing
@testable import CandidacyKit

@Suite struct CivilDateTests {
    @Test(arguments: ["2026-10-02", "2000-02-29", "1970-01-01", "1969-12-31", "0001-01-01", "9999-12-31"])
    func roundTripsThroughDays(_ text: String) throws {
        let date = try #require(CivilDate(parsing: text))
        #expect(date.description == text)
        #expect(CivilDate(daysSinceEpoch: date.daysSinceEpoch) == date)
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-1-01", "26-10-02", "2026-10-02T00:00", "２０２６-10-02", "", "2026-00-10"])
    func rejectsInvalidDates(_ text: String) {
        #expect(CivilDate(parsing: text) == nil)
    }

    @Test func countsDaysAcrossLeapYears() throws {
        let start = try #require(CivilDate(parsing: "2024-02-28"))
        let end = try #require(CivilDate(parsing: "2024-03-01"))
        #expect(end.daysSinceEpoch - start.daysSinceEpoch == 2)
        #expect(CivilDate(parsing: "1970-01-02")?.daysSinceEpoch == 1)
    }
}
