import ArgumentParser
import Foundation
import MizanCore
import MizanLedger

struct TotalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totals",
        abstract: "Daily totals per material: kilograms, credit issued, households served, and the chain head.",
        discussion: """
            Days are the kiosk's local days (a daylight-saving day is 23 or 25 hours).

            Examples:
              mizanctl totals                              today, as a table
              mizanctl totals --day 2026-03-28 --format json > 2026-03-28.json
              mizanctl totals --from 2026-11-01 --to 2026-11-30 --format csv > november.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "One local day, YYYY-MM-DD (default: today).")
    var day: String?

    @Option(help: "First local day of a range, YYYY-MM-DD.")
    var from: String?

    @Option(help: "Last local day of a range, YYYY-MM-DD (inclusive).")
    var to: String?

    @Option(help: "Output format: table, csv (UTF-8 with BOM) or json.")
    var format: Format = .table

    func validate() throws {
        if day != nil, from != nil || to != nil {
            throw ValidationError("give either --day or --from/--to, not both")
        }
        if (from == nil) != (to == nil) {
            throw ValidationError("--from and --to go together")
        }
        for (name, value) in [("--day", day), ("--from", from), ("--to", to)] {
            if let value, LocalDay(value) == nil {
                throw ValidationError("\(name) must be a date YYYY-MM-DD, got \"\(value)\"")
            }
        }
        if let from, let to, let first = LocalDay(from), let last = LocalDay(to), first > last {
            throw ValidationError("--from \(from) is after --to \(to)")
        }
    }

    func run() throws {
        let ledger = try ledger.openForReading()
        let first: LocalDay
        let last: LocalDay
        if let from, let to, let start = LocalDay(from), let end = LocalDay(to) {
            (first, last) = (start, end)
        } else if let day, let only = LocalDay(day) {
            (first, last) = (only, only)
        } else {
            let today = ledger.calendar.day(
                of: WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)))
            (first, last) = (today, today)
        }
        let report = TotalsReport(
            kioskID: ledger.kioskID,
            days: try ledgerCall { () throws(LedgerError) in
                try ledger.totals(from: first, through: last)
            })
        switch format {
        case .json: print(report.json(), terminator: "")
        case .csv: print(TotalsCSV.render(report), terminator: "")
        case .table: print(TotalsTable.render(report, currency: ledger.currency), terminator: "")
        }
    }
}
