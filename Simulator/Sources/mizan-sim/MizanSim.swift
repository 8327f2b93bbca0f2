import ArgumentParser
import Foundation
import MizanCore
import MizanLedger
import MizanSimulator

@main
struct MizanSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mizan-sim",
        abstract: "The Mizan kiosk simulator: record device traces and replay them through the kiosk's logic.",
        subcommands: [
            Demo.self, Kiosk.self, Run.self, Bench.self, HubBench.self, Hostile.self, Screens.self, RecordTrace.self,
            Replay.self, PowerCuts.self, PowerCutGuestBoot.self,
        ]
    )

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the real daemon on the simulator: start-up, idle CPU and memory, commit latency.",
            discussion: "Example (part of make bench):\n  mizan-sim bench --daemon .build/release/mizand"
        )

        @Option(help: "The mizand binary to measure.")
        var daemon: String = ".build/release/mizand"

        @Option(help: "How many deposits to time.")
        var deposits = 30

        @Option(help: "Deposits in the ledger behind the HTTP benchmark.")
        var ledgerDeposits = 1_000_000

        @Flag(help: "Only the daemon's own figures: no HTTP service under load.")
        var daemonOnly = false

        func run() throws {
            guard FileManager.default.isExecutableFile(atPath: daemon) else {
                throw ValidationError("no mizand at \(daemon): build it first")
            }
            // Unbuffered: each figure shows as soon as it is measured.
            let say = { (line: String) in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            try DaemonBenchmark.run(daemonPath: daemon, deposits: deposits, say: say)
            try DaemonBenchmark.runHX711(daemonPath: daemon, say: say)
            guard !daemonOnly else { return }
            print("")
            try CooperativeServiceBenchmark.run(
                daemonPath: daemon, ledgerDeposits: ledgerDeposits, deposits: 15, clients: 2
            ) {
                print($0)
                fflush(nil)
            }
        }
    }

    struct HubBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hub-bench",
            abstract:
                "Measure the hub on a real PostgreSQL: ingest against a bare COPY, fleet totals over ~10 M deposits.",
            discussion: "Example (part of make bench):\n  mizan-sim hub-bench"
        )

        @Option(help: "Deposits in the kiosk ledger whose links are ingested.")
        var deposits = 3_000

        @Option(help: "Deposits in the fleet (100 kiosks × 365 days) behind the totals query.")
        var fleetDeposits = 10_000_000

        func run() async throws {
            try await HubBenchmark.run(deposits: deposits, fleetRows: fleetDeposits) {
                print($0)
                fflush(nil)
            }
        }
    }

    struct Hostile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Replay hostile use against the real daemon and check it ends in service, with its descriptors, memory and ledger intact.",
            discussion: """
                Oversized and never-closed HTTP requests, idle and dripping connections, wrong tokens, control-socket
                clients that drip or never read, hostile names and a 50 MB households file, hostile configuration files.
                Example (what make hostile runs):
                  mizan-sim hostile --daemon .build/debug/mizand
                """
        )

        @Option(help: "The mizand binary to attack (mizanctl is taken from beside it).")
        var daemon: String = ".build/debug/mizand"

        @Option(help: "How many oversized HTTP requests to send.")
        var refusedRequests = 2_000

        func run() throws {
            guard FileManager.default.isExecutableFile(atPath: daemon) else {
                throw ValidationError("no mizand at \(daemon): build it first (swift build)")
            }
            let figures = try HostileReplay.run(daemonPath: daemon, refusedRequests: refusedRequests) {
                print($0)
                fflush(nil)
            }
            if !figures.passed { throw ExitCode(1) }
        }
    }

    struct Screens: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Play a household's visit against the real daemon and screenshot every state of the household screen.",
            discussion: """
                Runs mizand and mizan-web on the simulator, watches the screen in headless Chromium at the given size,
                and writes STATE.png for every state (waiting, welcome, bin_open, weighing, credited, rejected, goodbye,
                refused, donation, out_of_service). Example (what make screens runs):
                  mizan-sim screens --daemon .build/debug/mizand --out docs/screens
                """
        )

        @Option(help: "The mizand binary to run (mizan-web is taken from beside it).")
        var daemon: String = ".build/debug/mizand"

        @Option(help: "Where the screenshots go.")
        var out: String = "docs/screens"

        @Option(help: "The screen's size, WIDTHxHEIGHT (800x480 or 1024x600).")
        var size: String = "800x480"

        @Option(help: "The page's language: ar or en.")
        var language: String = "ar"

        func run() throws {
            guard FileManager.default.isExecutableFile(atPath: daemon) else {
                throw ValidationError("no mizand at \(daemon): build it first (swift build)")
            }
            let parts = size.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2 else { throw ValidationError("--size is WIDTHxHEIGHT, e.g. 800x480") }
            let kiosk = try ScreenTour.liveKiosk(daemonPath: daemon)
            defer { kiosk.shutdown() }
            let tour = try ScreenTour(
                kiosk: kiosk, screenPort: kiosk.screenPort, width: parts[0], height: parts[1], language: language
            ) {
                print($0)
                fflush(nil)
            }
            defer { tour.browser.close() }
            try tour.run(household: ScreenTour.household, unknownCard: ScreenTour.stranger)
            try tour.writeScreenshots(to: out)
            print("wrote \(tour.seen.count) screenshots to \(out)")
        }
    }

    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A short day at the kiosk against the real daemon: two households, three materials, their credit and the day's totals.",
            discussion: "Example (what make demo runs):\n  mizan-sim demo --daemon .build/debug/mizand"
        )

        @Option(help: "The mizand binary to run.")
        var daemon: String = ".build/debug/mizand"

        @Option(help: "Where to write what each household saw on the screen (PNGs; needs Chromium).")
        var screens: String?

        func run() throws {
            guard FileManager.default.isExecutableFile(atPath: daemon) else {
                throw ValidationError("no mizand at \(daemon): build it first (swift build)")
            }
            let passed = try MizanSimulator.Demo.run(daemonPath: daemon, screens: screens) {
                print($0)
                fflush(nil)
            }
            if !passed { throw ExitCode(1) }
        }
    }

    struct Kiosk: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A simulated kiosk with the real daemon that keeps running: type taps, deposits and pulled cables, try mizanctl meanwhile.",
            discussion:
                "Example:\n  mizan-sim kiosk --daemon .build/debug/mizand --state-dir /tmp/kiosk\n\n\(InteractiveKiosk.help)"
        )

        @Option(help: "The mizand binary to run.")
        var daemon: String = ".build/debug/mizand"

        @Option(help: "Where the kiosk's configuration, ledger and sockets go (default: a new directory in /tmp).")
        var stateDir: String?

        func run() throws {
            guard FileManager.default.isExecutableFile(atPath: daemon) else {
                throw ValidationError("no mizand at \(daemon): build it first (swift build)")
            }
            try InteractiveKiosk.run(daemonPath: daemon, stateDirectory: stateDir, input: { readLine() }) {
                print($0)
                fflush(nil)
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario and check its expectations (exit 0 when every one held).",
            discussion: """
                By default the timeline is played on the physical model in virtual time and replayed
                through the engine, the state machine and a fresh ledger file; with --live it is played
                in real time against the real mizand over pseudo-terminals and the simulated GPIO socket.

                Examples:
                  mizan-sim run Simulator/Scenarios/01-one-household-three-materials.yaml
                  mizan-sim run Simulator/Scenarios/09-daily-cap.yaml --report /tmp/report.json
                """
        )

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(help: "Write a JSON report: the outcome, the account and the ledger export.")
        var report: String?

        @Flag(help: "Play the scenario in real time against the real mizand instead of in-process.")
        var live = false

        @Option(help: "The mizand binary, with --live.")
        var daemon: String = ".build/debug/mizand"

        func write(_ report: Report, to path: String) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(report).write(to: URL(fileURLWithPath: path))
        }

        struct Report: Encodable {
            let scenario: String
            let passed: Bool
            let failures: [String]
            let account: [String]
            let ledger: LedgerExport
        }

        func run() throws {
            let text: String
            do {
                text = try String(contentsOfFile: scenario, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(scenario): \(error.localizedDescription)")
            }
            let parsed: Scenario
            do {
                parsed = try Scenario.parse(text, file: scenario)
            } catch {
                throw ValidationError(error.description)
            }
            if live {
                let (result, skipped) = try ScenarioRunner.runLive(parsed, daemonPath: daemon)
                if let skipped {
                    print("SKIPPED (live): \(parsed.name): \(skipped)")
                    return
                }
                guard let result else { return }
                for line in result.account { print(line) }
                print(
                    result.passed
                        ? "PASSED: every expectation held against the real daemon"
                        : "FAILED:\n  " + result.failures.joined(separator: "\n  "))
                if let report, let export = result.ledger {
                    try write(
                        Report(
                            scenario: parsed.name, passed: result.passed, failures: result.failures,
                            account: result.account, ledger: export), to: report)
                }
                if !result.passed { throw ExitCode(1) }
                return
            }
            let directory = FileManager.default.temporaryDirectory.path + "/mizan-sim-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let ledgerPath = directory + "/ledger.sqlite"
            let result = try ScenarioRunner.runInProcess(parsed, ledgerPath: ledgerPath)
            print("Scenario: \(parsed.name)")
            if !parsed.description.isEmpty { print(parsed.description) }
            print("")
            for line in result.account { print(line) }
            print("")
            if result.passed {
                print("PASSED: every expectation held")
            } else {
                print("FAILED:")
                for failure in result.failures { print("  \(failure)") }
            }
            if let report {
                let export = try Ledger.openExisting(path: ledgerPath, readOnly: true).export()
                try write(
                    Report(
                        scenario: parsed.name, passed: result.passed, failures: result.failures,
                        account: result.account, ledger: export), to: report)
            }
            if !result.passed { throw ExitCode(1) }
        }
    }

    struct RecordTrace: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record-trace",
            abstract: "Play a built-in day on the physical model and print its device trace (JSON lines).",
            discussion: "Example:\n  mizan-sim record-trace standard-day > Simulator/Traces/standard-day.jsonl"
        )

        @Argument(help: "The built-in day to play (standard-day).")
        var day: String

        @Option(help: "Seed of the load cell's noise and the card field's corruption.")
        var seed: UInt64 = 1

        func run() throws {
            guard day == "standard-day" else { throw ValidationError("unknown day \"\(day)\"; known: standard-day") }
            print(Trace.encode(StandardDay.trace(seed: seed)), terminator: "")
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a trace on virtual time into the engine, the state machine and a fresh ledger file.",
            discussion: """
                The ledger is prepared with the standard day's households and prices.

                Example:
                  mizan-sim replay Simulator/Traces/standard-day.jsonl --ledger /tmp/replay.sqlite
                """
        )

        @Argument(help: "The trace file (JSON lines).")
        var trace: String

        @Option(help: "Where to write the ledger (must not exist yet).")
        var ledger: String

        func run() throws {
            guard !FileManager.default.fileExists(atPath: ledger) else {
                throw ValidationError("\(ledger) exists already; replay writes a fresh ledger")
            }
            let text: String
            do {
                text = try String(contentsOfFile: trace, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(trace): \(error.localizedDescription)")
            }
            do {
                let events = try Trace.decode(text)
                let store = try Ledger.open(path: ledger, kioskID: "sim-01")
                try StandardDay.prepare(store)
                var configuration = KioskConfiguration()
                configuration.kioskID = "sim-01"
                let kiosk = try ReplayKiosk(
                    configuration: try configuration.validated(), ledger: store, wallStart: StandardDay.wallStart)
                kiosk.run(events)
                print(kiosk.account.joined(separator: "\n"))
                let day = store.calendar.day(of: StandardDay.wallStart)
                print("")
                print(
                    TotalsTable.render(
                        TotalsReport(kioskID: store.kioskID, days: [try store.totals(for: day)]),
                        currency: store.currency), terminator: "")
                for failure in kiosk.failures { print("FAILURE: \(failure)") }
                if !kiosk.failures.isEmpty { throw ExitCode(1) }
            } catch let error as ExitCode {
                throw error
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }
}
