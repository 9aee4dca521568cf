// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Candidacy",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CandidacyKit", targets: ["CandidacyKit"]),
        .executable(name: "candidacy", targets: ["candidacy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        .target(
            name: "CandidacyKit",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "candidacy",
            dependencies: [
                "CandidacyKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CandidacyKitTests",
            dependencies: [
                "CandidacyKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Data")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
