import ArgumentParser
import Foundation
import MizanKiosk
import MizanConfiguration
import MizanDaemon

/// The kiosk daemon.
@main
struct Mizand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mizand",
        abstract: "The Mizan waste-sorting reward kiosk daemon.",
        discussion: """
            Without --config, mizand runs on its embedded default: a kiosk wired to the simulator
            (serial devices under /tmp/mizan-sim/dev, simulated GPIO, state in /tmp/mizan-sim).

            Exit codes: 0 stopped cleanly, 2 invalid configuration, 3 the ledger could not be opened,
            4 another mizand already runs on the same state directory.
            """
    )

    @Option(help: "The configuration file (e.g. /etc/mizan/mizan.yaml).")
    var config: String?

    @Flag(name: .customLong("check-config"), help: "Validate the configuration, print it resolved, and exit.")
    var checkConfig = false

    @Flag(
        name: .customLong("configuration-reference"),
        help: "Print every configuration key with its type, default and meaning (Markdown), and exit.")
    var configurationReference = false

    @Flag(
        name: .customLong("initialize-ledger"),
        help: "Start a new ledger where an empty (0-byte) ledger file stands; refused without it.")
    var initializeLedger = false

    func run() throws {
        if configurationReference {
            print(ConfigurationReference.markdown, terminator: "")
            return
        }
        let configuration: DaemonConfiguration
        do {
            if let config {
                configuration = try ConfigurationLoader.load(path: config)
            } else {
                configuration = try ConfigurationLoader.parse(EmbeddedDefault.yaml, file: "(embedded default)")
            }
        } catch {
            FileHandle.standardError.write(Data("mizand: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        if checkConfig {
            print("configuration \(config ?? "(embedded default)") is valid:")
            for line in configuration.summary { print("  \(line)") }
            return
        }
        if config == nil {
            // Someone may have meant to give the kiosk's real configuration.
            daemonLog.log(
                .warning,
                "mizand: NO --config GIVEN: running on the embedded SIMULATOR default (serial devices under /tmp/mizan-sim/dev, simulated GPIO, state in /tmp/mizan-sim); a real kiosk runs with --config /etc/mizan/mizan.yaml"
            )
        }
        if SystemClock.isTestClock {
            daemonLog.log(
                .warning,
                "mizand: a test clock is in use (\(SystemClock.testClockVariable)): the wall clock reads \(SystemClock.reading().wall), every entry is flagged unsynchronised"
            )
        }
        // Before anything touches the state directory: a second daemon
        // would reuse the first's deposit ids and take its socket.
        let instance: InstanceLock
        do {
            instance = try InstanceLock.acquire(stateDirectory: configuration.paths.stateDirectory)
        } catch {
            daemonLog.log(.error, "mizand: \(error)")
            throw ExitCode(4)
        }
        let runtime: KioskRuntime
        do {
            runtime = try KioskRuntime(configuration: configuration, initializeLedger: initializeLedger)
        } catch {
            daemonLog.log(.error, "mizand: \(error)")
            throw ExitCode(3)
        }
        let status = withExtendedLifetime(instance) { runtime.run() }
        if status != 0 { throw ExitCode(status) }
    }
}
