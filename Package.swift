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
        .library(name: "MizanHardware", targets: ["MizanHardware"]),
        .library(name: "MizanLedger", targets: ["MizanLedger"]),
        .executable(name: "mizand", targets: ["mizand"]),
        .executable(name: "mizanctl", targets: ["mizanctl"]),
        .executable(name: "mizan-web", targets: ["mizan-web"]),
        .executable(name: "mizan-sim", targets: ["mizan-sim"]),
        .executable(name: "mizan-hub", targets: ["mizan-hub"]),
        .executable(name: "mizan-bench", targets: ["MizanBench"]),
        .executable(name: "mizan-fuzz", targets: ["mizan-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),

    ],
    targets: [
        // Pure domain: units, money, calibration, the weighing engine and the
        // deposit/session state machine. No I/O, no clock reads.
        .target(
            name: "MizanCore",
            dependencies: ["MizanPOSIX"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanCoreTests",
            // MizanKiosk and MizanLedger for the kiosk harness: the
            // coordinator on a virtual clock with a book in memory.
            dependencies: ["MizanCore", "MizanKiosk", "MizanLedger", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // A small C shim over libgpiod (v1 today; a v2 implementation can sit
        // behind the same header).
        .target(
            name: "CGPIOD",
            linkerSettings: [.linkedLibrary("gpiod")]
        ),
        // Drivers: termios serial ports, GPIO lines, the HX711 reader.
        .target(
            name: "MizanHardware",
            // CMizanSystem: the HX711 sampler's thread name.
            dependencies: ["MizanCore", "MizanPOSIX", "CGPIOD", "CMizanSystem"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanHardwareTests",
            dependencies: ["MizanHardware", "MizanCore"],
            swiftSettings: strictSettings
        ),
        // The durable, double-entry, hash-chained ledger on SQLite.
        .target(
            name: "MizanLedger",
            dependencies: [
                "MizanCore", "MizanPOSIX",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanLedgerTests",
            // MizanSimulator for its small real file systems (disk full, read-only).
            dependencies: [
                "MizanLedger", "MizanCore", "MizanSimulator", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // The kiosk wired once: state machine, decisions against the book,
        // day rollover, prices, fault log, service mode. The daemon, the
        // replay tier and the core tests all run this.
        .target(
            name: "MizanKiosk",
            dependencies: ["MizanCore", "MizanLedger", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Commits deposits in a loop for the crash test, which kills it.
        .executableTarget(
            name: "ledger-crash-child",
            dependencies: ["MizanLedger", "MizanCore"],
            path: "Tests/LedgerCrashChild",
            swiftSettings: strictSettings
        ),
        // The kiosk daemon.
        .executableTarget(
            name: "mizand",
            dependencies: ["MizanDaemon", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        // The technicians' and cooperatives' command-line tool.
        .executableTarget(
            name: "mizanctl",
            dependencies: [
                "MizanCore",
                "MizanLedger",
                "MizanDaemon",
                "MizanConfiguration",
                "MizanControl",
                "MizanScreen",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanctlTests",
            // mizanctl itself for the golden tests of its rendering.
            dependencies: [
                "mizanctl", "MizanLedger", "MizanCore", "MizanConfiguration",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        // Strict YAML reading: typed values, unknown keys refused with file:line.
        .target(
            name: "MizanYAML",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // Asks the kernel whether the clock is synchronised.
        .target(name: "CMizanSystem"),
        // The household screen, in no transport: what each state shows
        // (from the daemon's events and status), its words in Arabic and
        // English, the digits, the page, its script and style.
        .target(
            name: "MizanScreen",
            dependencies: ["MizanCore", "MizanLedger", "MizanControl"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanScreenTests",
            dependencies: ["MizanScreen", "MizanControl", "MizanLedger", "MizanCore"],
            swiftSettings: strictSettings
        ),
        // The web process's HTTP services: the cooperatives' read-only
        // totals, chain heads, health and report page; the household
        // screen on loopback with its event stream.
        .target(
            name: "MizanHTTP",
            dependencies: [
                "MizanCore", "MizanLedger", "MizanControl", "MizanScreen",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanHTTPTests",
            dependencies: [
                "MizanHTTP", "MizanControl", "MizanLedger", "MizanCore", "MizanScreen",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The hub on the municipality's server: kiosks' journal links
        // ingested into PostgreSQL, checked link by link; the village's
        // balances, totals and anomalies.
        .target(
            name: "MizanHub",
            dependencies: [
                "MizanLedger", "MizanCore", "MizanReplication",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt for households' redemption PINs.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // A kiosk's side of replication: the wire format and the pusher that
        // sends the ledger's journal links to the hub (in mizan-web).
        .target(
            name: "MizanReplication",
            dependencies: ["MizanLedger", "MizanCore", "MizanPOSIX"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mizan-hub",
            dependencies: [
                "MizanHub", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanHubTests",
            dependencies: [
                "MizanHub", "MizanReplication", "MizanLedger", "MizanCore", "MizanSimulator",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        // The configuration file: every key, its type, default and bounds;
        // read by mizand, mizan-web and mizanctl.
        .target(
            name: "MizanConfiguration",
            dependencies: [
                "MizanCore", "MizanHardware", "MizanLedger", "MizanYAML", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // Thin, typed helpers over POSIX: EINTR retried in one place, Unix
        // sockets by path (the one place a sockaddr_un is filled).
        .target(
            name: "MizanPOSIX",
            swiftSettings: strictSettings
        ),
        // The control socket's protocol: requests, typed replies, the
        // kiosk's status and event stream, the client. Foundation only, so
        // mizanctl and the web process share it without linking the daemon.
        .target(
            name: "MizanControl",
            dependencies: ["MizanPOSIX"],
            swiftSettings: strictSettings
        ),
        // Wiring: the threads, the kiosk loop, the control socket, systemd.
        // No network code: the HTTP service is mizan-web's.
        .target(
            name: "MizanDaemon",
            dependencies: [
                "MizanCore", "MizanHardware", "MizanLedger", "MizanKiosk", "MizanYAML", "CMizanSystem",
                "MizanConfiguration", "MizanControl", "MizanPOSIX",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The network-facing process: the cooperatives' HTTP service (and
        // the household screen), reading the ledger read-only and following
        // the daemon's status over the control socket.
        .executableTarget(
            name: "mizan-web",
            dependencies: [
                "MizanHTTP", "MizanConfiguration", "MizanControl", "MizanLedger", "MizanCore", "MizanScreen",
                "MizanPOSIX", "MizanReplication", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanDaemonTests",
            dependencies: [
                // MizanSimulator for its child-process runner.
                "MizanSimulator",
                "MizanDaemon", "MizanConfiguration", "MizanControl", "MizanPOSIX", "MizanCore", "MizanHardware",
                "MizanYAML",
            ],
            swiftSettings: strictSettings
        ),
        // The kiosk simulator: physical model, pty devices, replay.
        .target(
            name: "MizanSimulator",
            dependencies: [
                "MizanCore", "MizanHardware", "MizanLedger", "MizanKiosk", "MizanYAML", "MizanDaemon",
                "MizanConfiguration", "MizanControl", "MizanPOSIX", "MizanHub",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulator/Sources/MizanSimulator",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mizan-sim",
            dependencies: [
                "MizanSimulator",
                "MizanCore",
                "MizanLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulator/Sources/mizan-sim",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanSimulatorTests",
            dependencies: [
                "MizanSimulator", "MizanCore", "MizanHardware", "MizanLedger", "MizanControl", "MizanConfiguration",
                "MizanScreen", "MizanHTTP", "MizanPOSIX", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Simulator/Tests/MizanSimulatorTests",
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        // The drivers against the kernel's gpio-sim, inside the VM of
        // `make test-gpio` (skipped elsewhere).
        .testTarget(
            name: "MizanGPIOKernelTests",
            dependencies: ["MizanHardware", "MizanCore", "MizanLedger", "MizanSimulator", "MizanControl"],
            swiftSettings: strictSettings
        ),
        // Counts heap allocations so the benchmark can report bytes per sample.
        .target(
            name: "AllocationCounter",
            path: "Benchmarks/AllocationCounter"
        ),
        // The floor the daemon's idle CPU is compared with: poll + read per
        // line of the scale's stream, in C, nothing else.
        .executableTarget(
            name: "mizan-floor-reader",
            path: "Benchmarks/FloorReader"
        ),
        .executableTarget(
            name: "MizanBench",
            dependencies: [
                "MizanCore",
                "MizanHardware",
                "MizanLedger",
                "AllocationCounter",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/MizanBench",
            swiftSettings: strictSettings
        ),
        // The byte parsers and request decoders under libFuzzer (`make fuzz`:
        // scripts/fuzz.sh builds mizan-fuzz with AddressSanitizer and libFuzzer);
        // an ordinary build replays inputs, and the tests replay the corpora.
        .target(
            name: "CFuzzerDriver",
            path: "Fuzz/Sources/CFuzzerDriver"
        ),
        .target(
            name: "MizanFuzz",
            dependencies: ["MizanCore", "MizanControl", "MizanConfiguration", "MizanLedger", "MizanHTTP"],
            path: "Fuzz/Sources/MizanFuzz",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mizan-fuzz",
            dependencies: ["MizanFuzz", "CFuzzerDriver"],
            path: "Fuzz/Sources/mizan-fuzz",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MizanFuzzTests",
            dependencies: ["MizanFuzz"],
            path: "Fuzz/Tests/MizanFuzzTests",
            swiftSettings: strictSettings
        ),
    ]
)
