import ArgumentParser
import Foundation
import MizanLedger

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Check the ledger's integrity.",
        subcommands: [Verify.self]
    )

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
            var heads: [ChainHead] = []
            if let against {
                guard let text = try? String(contentsOfFile: against, encoding: .utf8) else {
                    throw CommandFailure("cannot read the report \(against)")
                }
                do {
                    heads = try TotalsReport.chainHeads(inReport: text)
                } catch {
                    throw CommandFailure("\(against): \(error.description)")
                }
                if heads.isEmpty { throw CommandFailure("\(against) carries no chain head to check") }
            }
            let ledger = try ledger.openForReading()
            let report = try ledgerCall { () throws(LedgerError) in try ledger.verify(against: heads) }
            if json {
                try printJSON(report)
            } else {
                print("Ledger \(ledger.path)")
                let verified = report.verifiedLinks == report.journalLinks ? "" : " (verified through link \(report.verifiedLinks))"
                print("  journal links: \(report.journalLinks)\(verified), audit links: \(report.auditLinks), accounts: \(report.accountsChecked)")
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
