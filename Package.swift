// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Mizan",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MizanCore", targets: ["MizanCore"]),
        .executable(name: "mizan-bench", targets: ["MizanBench"]),
    ],
    targets: [
        // Pure domain: units, money, calibration, the weighing engine and the
        // deposit/session state machine. No I/O, no clock reads.
        .target(
            name: "MizanCore",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanCoreTests",
            dependencies: ["MizanCore"],
            swiftSettings: strictSettings
        ),
        // Counts heap allocations so the benchmark can report bytes per sample.
        .target(
            name: "AllocationCounter",
            path: "Benchmarks/AllocationCounter"
        ),
        .executableTarget(
            name: "MizanBench",
            dependencies: ["MizanCore", "AllocationCounter"],
            path: "Benchmarks/MizanBench",
            swiftSettings: strictSettings
        ),
    ]
)
