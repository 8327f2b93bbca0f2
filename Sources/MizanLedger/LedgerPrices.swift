import Foundation
import GRDB
public import MizanCore

extension Ledger {
    /// Publishes a new price table version. An existing version is never
    /// edited: publishing it again is refused. Audited.
    public func publishPrices(_ table: PriceTable, actor: String, at clock: LedgerClockReading) throws(LedgerError) {
        let operation = "publishing price table version \(table.version)"
        try write(operation) { db in
            if try Int64.fetchOne(
                db, sql: "SELECT version FROM price_versions WHERE version = ?", arguments: [table.version]) != nil
            {
                throw LedgerError.refused(
                    operation, "version \(table.version) exists already; publish a new version instead")
            }
            let stamp = try stamp(db, clock)
            try db.execute(
                sql:
                    "INSERT INTO price_versions (version, effective_from_ms, published_at_ms, published_by) VALUES (?, ?, ?, ?)",
                arguments: [table.version, table.effectiveFrom.millisecondsSinceEpoch, stamp.recorded, actor]
            )
            for (material, rate) in table.ratesPerKilogram.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO price_rates (version, material, rate_per_kg) VALUES (?, ?, ?)",
                    arguments: [table.version, material.rawValue, rate]
                )
            }
            let rates = table.ratesPerKilogram.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(
                separator: ",")
            try appendAudit(
                db, kind: .price, actor: actor,
                summary: "price table version \(table.version) effective from \(table.effectiveFrom.iso8601)",
                before: nil, after: "{\"version\":\(table.version),\"rates_per_kg\":{\(rates)}}", stamp: stamp
            )
        }
    }

    /// Every published version.
    public func priceSchedule() throws(LedgerError) -> PriceSchedule {
        let tables: [PriceTable] = try read("reading the price tables") { db in
            let rates = try Row.fetchAll(db, sql: "SELECT version, material, rate_per_kg FROM price_rates")
            var byVersion: [Int64: [MaterialID: Int64]] = [:]
            for rate in rates {
                byVersion[rate["version"], default: [:]][MaterialID(rawValue: rate["material"])] = rate["rate_per_kg"]
            }
            return try Row.fetchAll(db, sql: "SELECT version, effective_from_ms FROM price_versions").map {
                let version: Int64 = $0["version"]
                return PriceTable(
                    version: version,
                    effectiveFrom: WallClockTime(millisecondsSinceEpoch: $0["effective_from_ms"]),
                    ratesPerKilogram: byVersion[version] ?? [:]
                )
            }
        }
        do {
            return try PriceSchedule(tables)
        } catch {
            throw LedgerError(kind: .corrupt, operation: "reading the price tables", message: error.description)
        }
    }

    public func materials() throws(LedgerError) -> [Material] {
        try read("reading the materials") { db in
            try Row.fetchAll(db, sql: "SELECT id, name_ar, name_en FROM materials ORDER BY rowid").map {
                Material(id: MaterialID(rawValue: $0["id"]), nameArabic: $0["name_ar"], nameEnglish: $0["name_en"])
            }
        }
    }
}
