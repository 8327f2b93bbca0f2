import ArgumentParser
import Foundation
import MizanCore
import MizanLedger

struct PricesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "The price table: what each material earns per kilogram, by version.",
        subcommands: [Show.self, Set.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The version in force (or at --at), and every version published.",
            discussion: "Examples:\n  mizanctl prices show\n  mizanctl prices show --at 2026-03-01 --json"
        )

        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The moment to show the prices of: \(TimeArgument.help).") var at = "now"
        @Flag(help: "Print as JSON (schema mizan.prices.v1).") var json = false

        struct Version: Encodable {
            let version: Int64
            let effectiveFrom: String
            let ratesPerKilogram: [String: Int64]
            enum CodingKeys: String, CodingKey {
                case version, effectiveFrom = "effective_from", ratesPerKilogram = "rates_per_kg"
            }
        }

        struct Output: Encodable {
            let schema = "mizan.prices.v1"
            let currency: String
            let inForce: Int64?
            let versions: [Version]
            enum CodingKeys: String, CodingKey {
                case schema, currency, inForce = "in_force", versions
            }
        }

        func run() throws {
            let ledger = try ledger.openForReading()
            guard let moment = TimeArgument.parse(at, calendar: ledger.calendar, now: Operator.clock.wall) else {
                throw CommandFailure("--at \"\(at)\": expected \(TimeArgument.help)")
            }
            let schedule = try ledgerCall { () throws(LedgerError) in try ledger.priceSchedule() }
            let materials = try ledgerCall { () throws(LedgerError) in try ledger.materials() }
            let active = schedule.active(at: moment)
            if json {
                return try printJSON(
                    Output(
                        currency: ledger.currency.code, inForce: active?.version,
                        versions: schedule.tables.map { table in
                            Version(
                                version: table.version, effectiveFrom: table.effectiveFrom.iso8601,
                                ratesPerKilogram: Dictionary(
                                    uniqueKeysWithValues: table.ratesPerKilogram.map { ($0.key.rawValue, $0.value) }))
                        }
                    ))
            }
            guard let active else {
                print(
                    "No prices in force at \(moment.iso8601): nothing is credited. Publish some with: mizanctl prices set MATERIAL RATE --from now"
                )
                return
            }
            print(
                "Prices in force at \(moment.iso8601): version \(active.version), from \(active.effectiveFrom.iso8601)")
            for material in materials {
                let rate =
                    active.rate(for: material.id).map { ledger.currency.format(minorUnits: $0) + " per kg" }
                    ?? "not bought"
                print(
                    "  \(material.id.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(rate.padding(toLength: 18, withPad: " ", startingAt: 0)) \(material.nameEnglish) / \(Bidi.isolate(material.nameArabic))"
                )
            }
            let later = schedule.tables.filter { $0.effectiveFrom > moment }
            for table in later {
                print("Version \(table.version) takes effect at \(table.effectiveFrom.iso8601).")
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Publish a new price version with one material's rate changed (audited; old versions are never edited).",
            discussion: """
                RATE is in minor units per kilogram (300 = 3.00 per kg); 0 means the material is no longer bought.
                Examples:
                  mizanctl prices set plastic 350 --from 2026-12-01
                  mizanctl prices set metal 900 --from now
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The material id (plastic, metal, paper, glass, organic, …).") var material: String
        @Argument(help: "Minor units per kilogram.") var rate: Int64
        @Option(help: "When the new rate takes effect: \(TimeArgument.help).") var from: String

        func validate() throws {
            if rate < 0 || rate > 100_000_000 {
                throw ValidationError("RATE must be between 0 and 100000000 minor units per kilogram")
            }
        }

        func run() throws {
            let ledger = try ledger.openForWriting()
            let now = Operator.clock
            guard let effective = TimeArgument.parse(from, calendar: ledger.calendar, now: now.wall) else {
                throw CommandFailure("--from \"\(from)\": expected \(TimeArgument.help)")
            }
            // Deposits already credited keep their rate; a price never reaches back.
            guard effective.millisecondsSinceEpoch >= now.wall.millisecondsSinceEpoch - 60_000 else {
                throw CommandFailure(
                    "--from \(effective.iso8601) is in the past: prices are never retroactive; use --from now or a later time"
                )
            }
            let materials = try ledgerCall { () throws(LedgerError) in try ledger.materials() }
            guard materials.contains(where: { $0.id.rawValue == material }) else {
                throw CommandFailure(
                    "unknown material \"\(material)\"; known: \(materials.map(\.id.rawValue).joined(separator: ", "))")
            }
            let schedule = try ledgerCall { () throws(LedgerError) in try ledger.priceSchedule() }
            var rates = schedule.active(at: effective)?.ratesPerKilogram ?? [:]
            rates[MaterialID(rawValue: material)] = rate == 0 ? nil : rate
            let version = (schedule.tables.map(\.version).max() ?? 0) + 1
            let table = PriceTable(version: version, effectiveFrom: effective, ratesPerKilogram: rates)
            try ledgerCall { () throws(LedgerError) in try ledger.publishPrices(table, actor: Operator.actor, at: now) }
            print(
                "published price version \(version): \(material) \(ledger.currency.format(minorUnits: rate)) per kg from \(effective.iso8601)"
            )
            print("the daemon takes it up within a minute of that time (or now: mizanctl reload)")
        }
    }
}
