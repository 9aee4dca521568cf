// swift-tools-version: 6.1
import PackageDescription

// Benchmarks for Candidacy, a package of their own so that the main build stays fast.
//
// - `swift package benchmark` runs the ordo-one/benchmark suite (Benchmarks/CandidacyBenchmarks).
// - `swift run -c release perf-probe` is a dependency-light loop for quick figures and for
//   `valgrind --tool=callgrind` instruction counts.
let package = Package(
    name: "CandidacyBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Candidacy", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "CandidacyKit", package: "Candidacy")]
        ),
        .executableTarget(
            name: "perf-probe",
            dependencies: ["BenchmarkSupport", .product(name: "CandidacyKit", package: "Candidacy")],
            path: "Sources/PerfProbe"
        ),
        .executableTarget(
            name: "CandidacyBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "CandidacyKit", package: "Candidacy"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CandidacyBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
