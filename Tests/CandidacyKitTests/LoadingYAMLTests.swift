import Foundation
import Testing
@testable import CandidacyKit

/// The YAML front end: bytes, syntax, limits, scalar typing.
@Suite struct LoadingYAMLTests {
    private func profileErrors(_ text: String) -> [String] { LoadingSupport.profileErrors(text) }

    private func bytesErrors(_ bytes: [UInt8]) throws -> [String] {
        let schema = try LoadingSupport.schema()
        do {
            _ = try PatientLoader.load(contents: bytes, file: "p.yaml", profile: schema)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test(arguments: ["", "# only a comment\n\n# and another\n", "\n\n"])
    func emptyDocument(_ text: String) throws {
        #expect(profileErrors(text) == ["Rules/profile.yaml:1:1: error: expected a mapping, found an empty document"])
        #expect(try LoadingSupport.patientErrors(text) == ["p.yaml:1:1: error: expected a mapping, found an empty document"])
    }

    @Test func listWhereAMappingIsExpected() throws {
        #expect(try LoadingSupport.patientErrors("- age: 3\n") == ["p.yaml:1:1: error: expected a mapping, found a list"])
    }
}
