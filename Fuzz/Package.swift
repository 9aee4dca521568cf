// swift-tools-version: 5.4
// The libFuzzer targets of Candidacy: a package of its own, so that `swift build` and
// `swift test` of the main package never build them. Build and run them with
// `scripts/fuzz.sh TARGET SECONDS` (see docs/FUZZING.md).
//
// Tools version 5.4, not later: from 5.5 on, a debug build on Linux renames an executable
// target's `main` so tests can link it, and libFuzzer's own `main` is then never found.
import PackageDescription

let package = Package(
    name: "CandidacyFuzz",
    dependencies: [
        .package(name: "Candidacy", path: "..")
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "CandidacyKit", package: "Candidacy")]
        ),
        .executableTarget(name: "FuzzTherapy", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzProfile", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzPatient", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzExpression", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzFixture", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
    ]
)
