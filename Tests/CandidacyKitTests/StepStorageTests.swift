import Testing
@testable import CandidacyKit

/// A ``Step`` keeps its fields in one shared object (copy on write): copies are independent
/// values, and equality and hashing depend on the fields alone.
@Suite struct StepStorageTests {
    static let here = SourceLocation(file: "t.yaml", line: 3, column: 5)

    static func step(items: [Step] = []) -> Step {
        Step(
            rule: "r", kind: .score, title: "Title", condition: "age > 1", location: here, outcome: .true, points: 2,
            potentialPoints: 2, values: [ObservedValue(path: "age", value: .int(4))], missing: [], error: nil,
            because: "holds", items: items)
    }

    /// One change to each field.
    static let changes: [(String, @Sendable (inout Step) -> Void)] = [
        ("rule", { $0.rule = "other" }),
        ("kind", { $0.kind = .caution }),
        ("title", { $0.title = "Other" }),
        ("condition", { $0.condition = "age > 2" }),
        ("location", { $0.location = SourceLocation(file: "t.yaml", line: 4, column: 5) }),
        ("outcome", { $0.outcome = .false }),
        ("points", { $0.points = 0 }),
        ("potentialPoints", { $0.potentialPoints = 3 }),
        ("values", { $0.values = [] }),
        ("missing", { $0.missing = ["bmi"] }),
        ("error", { $0.error = "failed" }),
        ("because", { $0.because = "does not hold" }),
        ("items", { $0.items = [] }),
    ]

    /// Changing a copy leaves the original as it was; the changed step differs from it, and
    /// equals a step built with the change.
    @Test(arguments: changes.indices)
    func aChangedCopyLeavesTheOriginal(_ index: Int) {
        let (name, change) = Self.changes[index]
        let original = Self.step(items: [Self.step()])
        var copy = original
        change(&copy)
        #expect(original == Self.step(items: [Self.step()]), "\(name)")
        #expect(copy != original, "\(name)")
        var built = Self.step(items: [Self.step()])
        change(&built)
        #expect(copy == built && copy.hashValue == built.hashValue, "\(name)")
    }

    /// Steps built apart with the same fields are equal, with equal hashes and descriptions.
    @Test func equalFieldsMakeEqualSteps() {
        let (a, b) = (Self.step(items: [Self.step()]), Self.step(items: [Self.step()]))
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a.debugDescription == b.debugDescription && a.debugDescription.contains("because: \"holds\""))
    }
}
