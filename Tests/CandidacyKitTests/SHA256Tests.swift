import Testing
@testable import CandidacyKit

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("The quick brown fox jumps over the lazy dog",
         "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ])
    func matchesKnownVectors(_ message: String, _ expected: String) {
        #expect(SHA256.hexDigest(of: Array(message.utf8)) == expected)
    }

    @Test func hashesAMillionAs() {
        #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func packDigestDependsOnNamesAndBoundariesNotFolders() {
        let a = PackDigest.digest(of: [PackFile(path: "Rules/profile.yaml", contents: [1, 2]), PackFile(path: "Rules/x.yaml", contents: [3])])
        let moved = PackDigest.digest(of: [PackFile(path: "Other/profile.yaml", contents: [1, 2]), PackFile(path: "Other/x.yaml", contents: [3])])
        let shifted = PackDigest.digest(of: [PackFile(path: "Rules/profile.yaml", contents: [1]), PackFile(path: "Rules/x.yaml", contents: [2, 3])])
        #expect(a == moved)
        #expect(a != shifted)
        #expect(a.hasPrefix("sha256:") && a.count == 71)
    }
}
