// swift-tools-version: 6.0
// The libFuzzer harnesses of Duban's three readers, a package of its own so that `swift build`
// and `swift test` of Duban never build them. Scripts/fuzz builds and runs them.
import PackageDescription

let package = Package(
    name: "DubanFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Duban", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "DubanKit", package: "Duban")]),
        .executableTarget(name: "FuzzPlan", dependencies: ["FuzzSupport", .product(name: "DubanKit", package: "Duban")]),
        .executableTarget(name: "FuzzLedgerYAML", dependencies: ["FuzzSupport", .product(name: "DubanKit", package: "Duban")]),
        .executableTarget(name: "FuzzLedgerCSV", dependencies: ["FuzzSupport", .product(name: "DubanKit", package: "Duban")]),
    ]
)
