import ArgumentParser
import CandidacyKit

@main
struct Candidacy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidacy",
        abstract: "Checks patients against treatment candidacy rules and explains every decision."
    )
}
