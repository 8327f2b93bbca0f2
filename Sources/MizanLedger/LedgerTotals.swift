import GRDB
public import MizanCore

extension Ledger {
    /// Daily totals for each local day from `first` through `last`.
    public func totals(from first: LocalDay, through last: LocalDay) throws(LedgerError) -> [DailyTotals] {
        let days = calendar.days(from: first, through: last)
        let materials = try materials()
        return try read("computing daily totals") { db in
            try days.map { try totals(db, day: $0, materials: materials) }
        }
    }

    public func totals(for day: LocalDay) throws(LedgerError) -> DailyTotals {
        let materials = try materials()
        return try read("computing totals for \(day)") { db in
            try totals(db, day: day, materials: materials)
        }
    }

    private func totals(_ db: Database, day: LocalDay, materials: [Material]) throws -> DailyTotals {
        let (start, end) = calendar.interval(of: day)
        var tally = MaterialTally(materials: materials)
        let groups = try Row.fetchAll(
            db,
            sql: """
                SELECT material, reason, COUNT(*) AS deposits,
                       COALESCE(SUM(CASE WHEN net_g > 0 THEN net_g ELSE 0 END), 0) AS grams,
                       COALESCE(SUM(credit), 0) AS credit
                FROM deposits WHERE recorded_at_ms >= ? AND recorded_at_ms < ?
                GROUP BY material, reason
                """, arguments: [start, end])
        for group in groups {
            tally.add(
                material: group["material"], reason: group["reason"], deposits: group["deposits"],
                grams: group["grams"], credit: group["credit"])
        }
        let total = tally.total

        let households =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(DISTINCT household_id) FROM deposits
                    WHERE recorded_at_ms >= ? AND recorded_at_ms < ? AND reason IN ('credited', 'capped')
                    """, arguments: [start, end]) ?? 0
        let firstEntry = (try lastKey(in: "entries", key: "id", recordedBefore: start, db) ?? 0) + 1
        let lastEntry = try lastKey(in: "entries", key: "id", recordedBefore: end, db) ?? 0
        let reversals = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS count, COALESCE(SUM(amount), 0) AS amount FROM entries
                WHERE id BETWEEN ? AND ? AND kind = 'reversal'
                """, arguments: [firstEntry, lastEntry])
        let headSeq = try lastKey(in: "journal", key: "seq", recordedBefore: end, db)
        let head = try headSeq.flatMap {
            try Row.fetchOne(db, sql: "SELECT seq, hash FROM journal WHERE seq = ?", arguments: [$0])
        }
        let reversed: Int64 = reversals?["amount"] ?? 0
        return DailyTotals(
            kioskID: kioskID,
            day: day.description,
            timeZone: calendar.identifier,
            fromUTC: WallClockTime(millisecondsSinceEpoch: start).iso8601,
            toUTC: WallClockTime(millisecondsSinceEpoch: end).iso8601,
            hours: Int((end - start) / 3_600_000),
            currency: currency.code,
            currencyMinorUnitExponent: currency.minorUnitExponent,
            materials: tally.materials,
            total: total,
            householdsServed: households,
            reversals: reversals?["count"] ?? 0,
            creditReversed: reversed,
            netCredit: total.creditIssued - reversed,
            chainHead: head.map { ChainHead(seq: $0["seq"], hash: ChainHash.hex($0["hash"])) }
        )
    }
}
