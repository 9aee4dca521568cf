import ArgumentParser
import CandidacyKit
import Foundation

/// `candidacy doc`: the rule book, the whole rule pack as Markdown.
struct Doc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc",
        abstract: "Prints the rule book: the whole rule pack as Markdown.",
        discussion: "The shipped pack's rule book is docs/RULEBOOK.md: swift run candidacy doc --rules Rules > docs/RULEBOOK.md"
    )

    @OptionGroup var pack: PackOptions

    func run() throws {
        let compiled = try pack.compiledPack()
        try Output.standardOutput(RuleBookRenderer().render(compiled))
    }
}
