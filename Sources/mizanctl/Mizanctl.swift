import ArgumentParser
import Foundation

/// The technicians' and cooperatives' tool.
struct Mizanctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mizanctl",
        abstract: "Inspect and manage a Mizan waste-sorting reward kiosk.",
        discussion: """
            Commands that read the ledger work while the daemon runs (read-only) and with it stopped.

            Exit codes:
              0  success
              1  the ledger failed verification (ledger verify), or a check failed (doctor)
              2  usage, configuration, daemon or ledger access error, or a refused action
            """,
        version: "0.1.0",
        subcommands: [
            DoctorCommand.self, StatusCommand.self, WatchCommand.self, ZeroCommand.self, CalibrateCommand.self,
            ServiceCommand.self, TestCommand.self, ReloadCommand.self,
            PricesCommand.self, DepositCommand.self, EventsCommand.self,
            RFIDCommand.self, LidsCommand.self, ScaleCommand.self, TokensCommand.self,
            TotalsCommand.self, LedgerCommand.self, HouseholdsCommand.self, ExportCommand.self,
        ]
    )
}

/// Exit codes documented in `mizanctl --help`.
enum MizanctlExit {
    static let verificationFailed = ExitCode(1)
    static let usage = ExitCode(2)
}

@main
enum MizanctlMain {
    static func main() {
        do {
            var command = try Mizanctl.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("mizanctl: \(failure.message)\n".utf8))
            Foundation.exit(failure.code.rawValue)
        } catch {
            let code = Mizanctl.exitCode(for: error)
            let message = Mizanctl.fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            Foundation.exit(MizanctlExit.usage.rawValue)
        }
    }
}

/// A failure with its message and exit code.
struct CommandFailure: Error {
    let message: String
    let code: ExitCode

    init(_ message: String, code: ExitCode = MizanctlExit.usage) {
        self.message = message
        self.code = code
    }
}
