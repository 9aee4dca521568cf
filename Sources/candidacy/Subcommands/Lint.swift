import ArgumentParser
import CandidacyKit
import Foundation

/// `candidacy lint`: every load and type error of a rule pack.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports every error in a rule pack as file:line:column."
    )

    @Argument(help: "The rule pack folder.", completion: .directory)
    var directory: String = "Rules"

    func run() throws {
        do {
            let pack = try RulePackLoader.load(directory: directory)
            _ = try CompiledPack(pack)
        } catch {
            print(error.description)
            throw ExitCode(error.kind == .unreadable ? 66 : 1)
        }
        print("\(directory): no errors")
    }
}
