import ArgumentParser
import MizanLedger

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Everything in the ledger, with its verification, as JSON (schema mizan.ledger-export.v1).",
        discussion: "Example:\n  mizanctl export --json > ledger-2026-11-23.json"
    )

    @OptionGroup var ledger: LedgerOptions

    @Flag(help: "Print as JSON (the only format).")
    var json = false

    func run() throws {
        let ledger = try ledger.openForReading()
        try printJSON(try ledgerCall { () throws(LedgerError) in try ledger.export() })
    }
}
