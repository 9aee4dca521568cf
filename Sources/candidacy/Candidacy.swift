import ArgumentParser
import CandidacyKit

@main
struct Candidacy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidacy",
        abstract: "Checks patients against treatment candidacy rules and explains every decision.",
        discussion: "Decision support only: it does not replace clinical judgement.",
        version: CandidacyVersion.current,
        subcommands: [Evaluate.self, Lint.self, Test.self, Doc.self, Diff.self]
    )

    /// Parses the arguments with repeated options folded first (``RepeatedOptions``), so that
    /// handling them stays linear in their number.
    static func main() {
        let arguments: [String]
        do {
            arguments = try RepeatedOptions.fold(Array(CommandLine.arguments.dropFirst()))
        } catch {
            exit(withError: error)
        }
        main(arguments)
    }
}
