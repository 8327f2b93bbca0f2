import ArgumentParser
import Foundation
import MizanCore
import MizanConfiguration
import MizanDaemon
import MizanLedger

struct HouseholdsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "households",
        abstract: "Registered households: their cards, balances and history.",
        subcommands: [List.self, Show.self, Add.self, Import.self, Block.self, Unblock.self]
    )

    struct Entry: Encodable {
        let household: Household
        let balance: Int64
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every registered household with its balance.",
            discussion: "Example:\n  mizanctl households list --json"
        )

        @OptionGroup var ledger: LedgerOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() throws {
            let ledger = try ledger.openForReading()
            let entries = try ledgerCall { () throws(LedgerError) in
                var entries: [Entry] = []
                for household in try ledger.households() {
                    entries.append(Entry(household: household, balance: try ledger.balance(of: household.id)))
                }
                return entries
            }
            if json { return try printJSON(entries) }
            let currency = ledger.currency
            print("ID    Card        Status   Balance        Name")
            for entry in entries {
                let id = String(entry.household.id.rawValue).padding(toLength: 6, withPad: " ", startingAt: 0)
                let card = entry.household.card.hex.padding(toLength: 12, withPad: " ", startingAt: 0)
                let status = entry.household.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                let balance = currency.format(minorUnits: entry.balance).padding(
                    toLength: 15, withPad: " ", startingAt: 0)
                print("\(id)\(card)\(status)\(balance)\(Bidi.isolate(entry.household.name))")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A household's balance, carried remainder and history.",
            discussion: "Example:\n  mizanctl households show 0A1B2C3D4E"
        )

        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The card UID (hex).") var card: String
        @Option(help: "The daemon's configuration, for the daily caps.") var config = "/etc/mizan/mizan.yaml"
        @Flag(help: "Print as JSON.") var json = false

        struct Caps: Encodable {
            let creditMinorUnits: Int64?
            let grams: Int64?
            init(_ caps: DailyCaps) {
                creditMinorUnits = caps.creditMinorUnits
                grams = caps.grams
            }
            enum CodingKeys: String, CodingKey {
                case creditMinorUnits = "credit_minor_units", grams
            }
        }

        /// Schema `mizan.household-statement.v1`.
        struct Output: Encodable {
            let schema = "mizan.household-statement.v1"
            let statement: HouseholdStatement
            let today: DailyUsage
            let caps: Caps?
        }

        func validate() throws {
            if CardUID(card) == nil { throw ValidationError("\"\(card)\" is not a card UID (2 to 32 hex digits)") }
        }

        func run() throws {
            guard let uid = CardUID(card) else { throw CommandFailure("bad card UID") }
            let ledger = try ledger.openForReading()
            guard let statement = try ledgerCall({ () throws(LedgerError) in try ledger.statement(for: uid) }) else {
                throw CommandFailure("card \(uid) is not registered")
            }
            let usage: DailyUsage
            if case let .active(account) = try ledgerCall({ () throws(LedgerError) in
                try ledger.lookup(card: uid, at: Operator.clock)
            }) {
                usage = account.usageToday
            } else {
                usage = .zero
            }
            let caps = (try? ConfigurationLoader.load(path: config))?.kiosk.source.caps
            if json { return try printJSON(Output(statement: statement, today: usage, caps: caps.map(Caps.init))) }
            let currency = ledger.currency
            print(
                "\(Bidi.isolate(statement.household.name)) — card \(uid), household \(statement.household.id.rawValue), \(statement.household.status.rawValue)"
            )
            print(
                "Balance: \(currency.format(minorUnits: statement.balance))   carried: \(statement.carryThousandths)/1000 of a minor unit"
            )
            var today = "Today: \(currency.format(minorUnits: usage.creditMinorUnits)) for \(usage.grams) g"
            if let caps {
                let credit =
                    caps.creditMinorUnits.map { "credit cap \(currency.format(minorUnits: $0))" } ?? "no credit cap"
                let grams = caps.grams.map { "\($0) g cap" } ?? "no weight cap"
                today += " (\(credit), \(grams))"
            } else {
                today += " (caps unknown: \(config) not readable)"
            }
            print(today)
            print("Deposits:")
            for deposit in statement.deposits {
                let id = deposit["id"]?.text ?? "?"
                let material = deposit["material"]?.text ?? "?"
                let net = deposit["net_g"]?.integer.map { "\($0) g" } ?? "-"
                let credit = currency.format(minorUnits: deposit["credit"]?.integer ?? 0)
                let when = WallClockTime(millisecondsSinceEpoch: deposit["recorded_at_ms"]?.integer ?? 0).iso8601
                print("  \(when)  \(id)  \(material)  \(net)  \(deposit["reason"]?.text ?? "?")  \(credit)")
            }
            let reversals = statement.entries.filter { $0["kind"]?.text == "reversal" }
            if !reversals.isEmpty {
                print("Reversals:")
                for entry in reversals {
                    print(
                        "  deposit \(entry["deposit_id"]?.text ?? "?")  -\(currency.format(minorUnits: entry["amount"]?.integer ?? 0))  \(entry["memo"]?.text ?? "")"
                    )
                }
            }
        }
    }
}
