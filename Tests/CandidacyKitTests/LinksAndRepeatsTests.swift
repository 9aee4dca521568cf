import Foundation
import Testing

/// Symbolic links to regular files are followed; a loop, a dangling link or a link to a device is
/// refused with a message that says which; repeated options cost linear time (issue 21).
@Suite struct LinksAndRepeatsTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("candidacy-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aLinkToARegularFileIsFollowed() throws {
        let folder = try Self.folder()
        let link = folder.appendingPathComponent("case.yaml")
        try FileManager.default.createSymbolicLink(
            at: link, withDestinationURL: CommandLineTests.root.appendingPathComponent("Fixtures/oa-kl4-end-stage.yaml"))
        let run = try CommandLineTests.run(["evaluate", link.path])
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("case-019 · "))
    }

    @Test(arguments: [
        ("loop", "it is a symbolic link in a loop"),
        ("dangling", "it is a symbolic link to a missing file"),
        ("device", "it is a symbolic link to a character device, not a regular file"),
    ])
    func badLinksAreRefusedWithTheirReason(_ kind: String, _ reason: String) throws {
        let folder = try Self.folder()
        let link = folder.appendingPathComponent("p.yaml")
        let manager = FileManager.default
        switch kind {
        case "loop":
            let other = folder.appendingPathComponent("q.yaml")
            try manager.createSymbolicLink(atPath: link.path, withDestinationPath: other.path)
            try manager.createSymbolicLink(atPath: other.path, withDestinationPath: link.path)
        case "dangling":
            try manager.createSymbolicLink(atPath: link.path, withDestinationPath: folder.appendingPathComponent("gone.yaml").path)
        default:
            try manager.createSymbolicLink(atPath: link.path, withDestinationPath: "/dev/null")
        }
        let run = try CommandLineTests.run(["evaluate", link.path])
        #expect(run.status == 66)
        #expect(run.errors.contains("p.yaml:1:1: error: cannot read the file: \(reason)"), "\(run.errors)")
    }

    @Test func aDeviceIsRefused() throws {
        let run = try CommandLineTests.run(["evaluate", "/dev/null"])
        #expect(run.status == 66)
        #expect(run.errors.contains("/dev/null:1:1: error: cannot read the file: it is a character device, not a regular file"))
    }

    /// 20,000 `--therapy` options are folded before parsing: the run gives the one therapy.
    @Test func manyRepeatedOptionsAreFolded() throws {
        var arguments = ["evaluate", "--format", "decisions", "Fixtures/oa-kl4-end-stage.yaml"]
        for index in 0..<20_000 { arguments += index.isMultiple(of: 2) ? ["--therapy", "prp"] : ["--therapy=prp"] }
        let run = try CommandLineTests.run(arguments)
        #expect(run.status == 0)
        #expect(run.output.components(separatedBy: #""therapy":"#).count == 2, "one therapy in the line")
    }

    @Test func tooManyDifferentValuesAreAUsageError() throws {
        var arguments = ["evaluate", "Fixtures/oa-kl4-end-stage.yaml"]
        for index in 0...1_000 { arguments += ["--therapy", "t\(index)"] }
        let run = try CommandLineTests.run(arguments)
        #expect(run.status == 64)
        #expect(run.errors.contains("--therapy is given more than 1000 different values."))
    }
}
