import ArgumentParser
import Foundation
import MizanConfiguration
import MizanLedger

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Create the ledger, or check its integrity.",
        subcommands: [Initialize.self, Verify.self]
    )

    /// A new kiosk's ledger, made before the daemon first starts, so that
    /// households and prices can be set up first.
    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract:
                "Create a kiosk's ledger from its configuration (kiosk id, currency, materials, time zone, path).",
            discussion: """
                Refused where a ledger file already stands (even an empty one: that is a lost ledger to be
                restored, not a new kiosk). The creation is written to the ledger's audit log with who did it.

                Examples:
                  sudo -u mizan mizanctl ledger init --config /etc/mizan/mizan.yaml
                  mizanctl ledger init --config mizan.yaml --db /tmp/new-ledger.sqlite
                """
        )

        @Option(help: "The kiosk's configuration file.")
        var config = "/etc/mizan/mizan.yaml"

        @Option(name: .customLong("db"), help: "Create the ledger here instead of the configuration's state directory.")
        var database: String?

        func run() throws {
            let configuration: DaemonConfiguration
            do {
                configuration = try ConfigurationLoader.load(path: config)
            } catch {
                throw CommandFailure(error.description)
            }
            let path = database ?? configuration.paths.ledger
            guard !FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure("a ledger file already stands at \(path): nothing was changed")
            }
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let kiosk = configuration.kiosk
            let ledger = try ledgerCall { () throws(LedgerError) in
                try Ledger.open(
                    path: path, kioskID: kiosk.kioskID, currency: kiosk.source.currency,
                    materials: kiosk.source.materials, timeZone: configuration.timeZone
                )
            }
            try ledgerCall { () throws(LedgerError) in
                _ = try ledger.recordAudit(
                    kind: .action, actor: Operator.actor, summary: "ledger created for kiosk \(kiosk.kioskID)",
                    at: Operator.clock)
                try ledger.checkpoint()
            }
            print(
                "ledger created at \(path) for kiosk \(kiosk.kioskID) (\(kiosk.source.currency.code), \(configuration.timeZone)); add households and prices, then start mizand"
            )
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chains, recompute balances and check the database file.",
            discussion: """
                With --against, also prove that the chain heads in a saved totals report (JSON or CSV,
                as printed by `mizanctl totals`) are still part of the ledger: history up to them was
                not rewritten.

                Examples:
                  mizanctl ledger verify
                  mizanctl ledger verify --against 2026-03-28.json --json

                Exit code 1 when anything fails.
                """
        )

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "A saved totals report (JSON or CSV) whose chain heads must still be in the ledger.")
        var against: String?

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() throws {
            let ledger = try ledger.openForReading()
            var heads: [ChainHead] = []
            if let against {
                guard let text = try? String(contentsOfFile: against, encoding: .utf8) else {
                    throw CommandFailure("cannot read the report \(against)")
                }
                do {
                    heads = try TotalsReport.chainHeads(inReport: text, kiosk: ledger.kioskID)
                } catch {
                    throw CommandFailure("\(against): \(error.description)")
                }
                if heads.isEmpty {
                    throw CommandFailure("\(against) carries no chain head of kiosk \(ledger.kioskID) to check")
                }
            }
            let report = try ledgerCall { () throws(LedgerError) in try ledger.verify(against: heads) }
            if json {
                try printJSON(report)
            } else {
                print("Ledger \(ledger.path)")
                let verified =
                    report.verifiedLinks == report.journalLinks
                    ? "" : " (verified through link \(report.verifiedLinks))"
                print(
                    "  journal links: \(report.journalLinks)\(verified), audit links: \(report.auditLinks), accounts: \(report.accountsChecked)"
                )
                print("  integrity check: \(report.integrityCheck)")
                if let head = report.chainHead { print("  chain head: \(head.seq) \(head.hash)") }
                if !heads.isEmpty { print("  report heads checked: \(heads.count)") }
                if report.ok {
                    print("OK: the ledger verifies")
                } else {
                    print("FAILED:")
                    for problem in report.problems { print("  \(problem)") }
                }
            }
            if !report.ok { throw MizanctlExit.verificationFailed }
        }
    }
}
