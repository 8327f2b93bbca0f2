import ArgumentParser
import Foundation
import MizanConfiguration
import MizanDaemon
import MizanLedger
import MizanScreen

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check everything a technician would check by hand; each problem comes with its fix.",
        discussion: """
            Checks: the configuration, the device nodes and their groups, the service and its watchdog, the daemon and
            why it is out of service, the scale (readings per second, noise, zero budget), the card reader's frames, each
            lid, the lights, the ledger's integrity and chains, disk space, the clock, calibration, the last deposit.
            Exit code 0 when nothing failed (warnings allowed), 1 when something failed, 2 for usage errors.
            Examples:
              sudo mizanctl doctor
              mizanctl doctor --quick --json
            """
    )

    @Option(help: "The daemon's configuration.") var config = "/etc/mizan/mizan.yaml"
    @OptionGroup var socket: SocketOptions
    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Skip the full ledger verification (it reads the whole history).") var quick = false
    @Flag(help: "Print as JSON (schema mizan.doctor.v1).") var json = false

    struct Output: Encodable {
        let schema = "mizan.doctor.v1"
        let checks: [DoctorCheck]
        let failures: Int
        let warnings: Int
    }

    func run() throws {
        let checks = gather()
        let failures = checks.filter { $0.outcome == .failure }.count
        let warnings = checks.filter { $0.outcome == .warning }.count
        if json {
            try printJSON(Output(checks: checks, failures: failures, warnings: warnings))
        } else {
            print(DoctorReport.render(checks, colour: Colour.enabled))
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func gather() -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let (configurationCheck, configuration) = SystemChecks.configuration(path: config)
        checks.append(configurationCheck)
        if let configuration { checks.append(SystemChecks.devices(configuration)) }
        if let screen = configuration?.screen {
            checks.append(SystemChecks.screen(screen, fonts: ScreenStyle.fontFiles))
        }
        if let service = ServiceCheck.run() { checks.append(service) }

        // The configuration's socket and state directory, unless given.
        let socketPath =
            socket.path == SocketOptions.defaultPath ? configuration?.paths.controlSocket ?? socket.path : socket.path
        let live = DaemonConnection(path: socketPath)
        do {
            let first = try live.status()
            let started = Date()
            Thread.sleep(forTimeInterval: 1)
            let second = try live.status()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            checks += LiveChecks.all(first: first, second: second, seconds: Date().timeIntervalSince(started), now: now)
        } catch let failure as CommandFailure {
            checks.append(
                .failure(
                    "daemon", failure.message,
                    fix: "Start it (systemctl start mizand) and read why it stopped: journalctl -u mizand -b."))
        } catch {
            checks.append(
                .failure(
                    "daemon", "\(error)",
                    fix: "Start it (systemctl start mizand) and read why it stopped: journalctl -u mizand -b."))
        }

        var ledgerOptions = ledger
        if ledger.database == nil, ledger.stateDirectory == LedgerOptions.defaultStateDirectory, let configuration {
            ledgerOptions.stateDirectory = configuration.paths.stateDirectory
        }
        let now = Operator.clock
        do {
            let opened = try ledgerOptions.openForReading()
            checks.append(SystemChecks.ledger(opened, quick: quick))
            checks.append(SystemChecks.disk(free: opened.freeBytes()))
            let recency = try ledgerCall { () throws(LedgerError) in try opened.recency() }
            checks.append(
                SystemChecks.clock(
                    synchronized: SystemClock.isSynchronized, now: now.wall.millisecondsSinceEpoch,
                    lastRecorded: recency.lastRecorded))
            let calibrations = try ledgerCall { () throws(LedgerError) in try opened.auditLog(kind: .calibration) }
            if let check = SystemChecks.calibration(
                configuration, audit: calibrations, now: now.wall.millisecondsSinceEpoch)
            {
                checks.append(check)
            }
            checks.append(SystemChecks.lastDeposit(recency.lastDeposit, now: now.wall.millisecondsSinceEpoch))
        } catch let failure as CommandFailure {
            checks.append(
                .failure(
                    "ledger", failure.message,
                    fix:
                        "Check --state-dir (or paths.state_dir in the configuration) and that the daemon has created the ledger."
                ))
        } catch {
            checks.append(.failure("ledger", "\(error)", fix: "Check the state directory."))
        }
        return checks
    }
}

/// The doctor's report as a technician reads it.
enum DoctorReport {
    static func render(_ checks: [DoctorCheck], colour: Bool) -> String {
        var lines: [String] = []
        for check in checks {
            let label: String
            switch check.outcome {
            case .ok: label = Colour.paint("ok      ", .green, colour)
            case .warning: label = Colour.paint("warning ", .yellow, colour)
            case .failure: label = Colour.paint("FAILURE ", .red, colour)
            }
            lines.append("  \(label) \(check.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(check.detail)")
            if !check.fix.isEmpty { lines.append("           \(String(repeating: " ", count: 18)) → \(check.fix)") }
        }
        let failures = checks.filter { $0.outcome == .failure }.count
        let warnings = checks.filter { $0.outcome == .warning }.count
        let summary =
            failures == 0 && warnings == 0
            ? "all \(checks.count) checks ok"
            : "\(failures) failure\(failures == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") in \(checks.count) checks"
        lines.append(summary)
        return lines.joined(separator: "\n")
    }
}
