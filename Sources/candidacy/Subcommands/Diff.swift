import ArgumentParser
import CandidacyKit
import Foundation

/// The output formats of `diff`.
enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case markdown
    case json
}

/// `candidacy diff`: the cases a change to a rule pack moves, and why.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Shows which cases a change to a rule pack moves, and the rules responsible.",
        discussion: """
            Evaluates every case under the fixtures folders with both packs and reports each case whose \
            tier, score or deciding rules change, with the pack changes (rules, parameters, tiers, \
            references, positions). Exits 0 whether or not cases move.
            Examples: candidacy diff Rules-old Rules --fixtures Fixtures
                      candidacy diff --git main Rules --fixtures Fixtures --format markdown
            """
    )

    @Argument(
        help: ArgumentHelp("OLD NEW: the two rule pack folders; with --git, only the pack folder.", valueName: "pack"),
        completion: .directory)
    var packs: [String] = []

    @Option(
        name: .customLong("git"),
        help: ArgumentHelp("Take OLD from this git revision of the pack folder.", valueName: "rev"))
    var revision: String?

    @Option(
        name: .customLong("fixtures"),
        help: ArgumentHelp("A folder (or file) of cases to evaluate (repeatable).", valueName: "dir"),
        completion: .directory)
    var fixtures: [String] = []

    @Option(help: "The output format.")
    var format: DiffFormat = .text

    func validate() throws {
        if revision != nil, packs.count != 1 {
            throw ValidationError("With --git REV, give one pack folder: candidacy diff --git REV PACKDIR --fixtures DIR")
        }
        if revision == nil, packs.count != 2 {
            throw ValidationError("Give two pack folders, OLD and NEW, or --git REV and one pack folder.")
        }
        if fixtures.isEmpty { throw ValidationError("Give the cases to evaluate with --fixtures DIR.") }
    }

    func run() throws {
        let old: CompiledPack
        let new: CompiledPack
        let files: [String]
        let diff: PackDiff
        do {
            if let revision, let folder = packs.first {
                old = try CompiledPack(GitPackReader.load(revision: revision, directory: folder))
                new = try CompiledPack(RulePackLoader.load(directory: folder))
            } else {
                old = try CompiledPack(RulePackLoader.load(directory: packs[0]))
                new = try CompiledPack(RulePackLoader.load(directory: packs[1]))
            }
            files = try FixtureLoader.files(under: fixtures)
            diff = try PackDiffer.diff(old: old, new: new, files: files)
        } catch {
            throw Diagnostics.exit(reporting: error)
        }
        let output = switch format {
        case .text: PackDiffTextRenderer().render(diff)
        case .markdown: PackDiffMarkdownRenderer().render(diff)
        case .json: PackDiffJSONRenderer().render(diff)
        }
        try Output.standardOutput(output)
    }
}
