import Foundation
import GRDB
public import MizanCore

/// Everything in the ledger as plain values, for auditors and tests. Rows
/// are exported column by column as stored, so nothing is interpreted away.
public struct LedgerExport: Sendable, Codable {
    public static let schema = "mizan.ledger-export.v1"

    public var schema = LedgerExport.schema
    public let kioskID: String
    public let timeZone: String
    public let currency: String
    public let tables: [String: [[String: ExportValue]]]
    public let verification: VerificationReport

    enum CodingKeys: String, CodingKey {
        case schema, kioskID = "kiosk_id", timeZone = "time_zone", currency, tables, verification
    }
}

/// One stored value: integers stay integers, text stays text, hashes are hex.
public enum ExportValue: Sendable, Codable, Equatable {
    case null
    case integer(Int64)
    case text(String)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .integer(value): try container.encode(value)
        case let .text(value): try container.encode(value)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public var integer: Int64? {
        if case let .integer(value) = self { value } else { nil }
    }

    public var text: String? {
        if case let .text(value) = self { value } else { nil }
    }
}

/// A household's standing and history, for `mizanctl households show`.
public struct HouseholdStatement: Sendable, Codable {
    public let household: Household
    public let balance: Int64
    public let carryThousandths: Int64
    public let deposits: [[String: ExportValue]]
    public let entries: [[String: ExportValue]]

    enum CodingKeys: String, CodingKey {
        case household, balance, carryThousandths = "carry_thousandths", deposits, entries
    }
}

extension Ledger {
    static let exportedTables = [
        "materials", "households", "price_versions", "price_rates", "sessions", "session_closures",
        "deposits", "entries", "balances", "journal", "audit_log",
    ]
    /// Tables added by later migrations: exported when the file has them.
    /// (The cooperatives' tokens are not exported, not even their hashes.)
    static let laterTables = ["fault_log"]

    public func export() throws(LedgerError) -> LedgerExport {
        let verification = try verify()
        let tables: [String: [[String: ExportValue]]] = try read("exporting the ledger") { db in
            var tables: [String: [[String: ExportValue]]] = [:]
            let later = try Self.laterTables.filter { try db.tableExists($0) }
            for table in Self.exportedTables + later {
                // History in the order it happened; other tables by key.
                let order = table == "deposits" ? "recorded_at_ms, kiosk_id, sequence" : "1"
                tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)").map(
                    Self.exportRow)
            }
            return tables
        }
        return LedgerExport(
            kioskID: kioskID, timeZone: calendar.identifier, currency: currency.code, tables: tables,
            verification: verification
        )
    }

    public func statement(for card: CardUID) throws(LedgerError) -> HouseholdStatement? {
        guard let household = try household(card: card) else { return nil }
        let balance = try balance(of: household.id)
        return try read("reading the history of card \(card)") { db in
            let deposits = try Row.fetchAll(
                db, sql: "SELECT * FROM deposits WHERE household_id = ? ORDER BY recorded_at_ms, sequence",
                arguments: [household.id.rawValue]
            ).map(Self.exportRow)
            let entries = try Row.fetchAll(
                db, sql: "SELECT * FROM entries WHERE debit_account = ?1 OR credit_account = ?1 ORDER BY id",
                arguments: [Self.account(of: household.id)]
            ).map(Self.exportRow)
            let carry =
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT carry_out FROM deposits WHERE household_id = ? AND reason IN ('credited', 'capped')
                        ORDER BY recorded_at_ms DESC, sequence DESC LIMIT 1
                        """, arguments: [household.id.rawValue]) ?? 0
            return HouseholdStatement(
                household: household, balance: balance, carryThousandths: carry, deposits: deposits, entries: entries)
        }
    }

    static func exportRow(_ row: Row) -> [String: ExportValue] {
        var values: [String: ExportValue] = [:]
        for column in row.columnNames {
            values[column] = ExportValue(row[column] as DatabaseValue)
        }
        return values
    }
}
