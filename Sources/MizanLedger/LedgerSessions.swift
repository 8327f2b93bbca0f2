import GRDB
public import MizanCore

extension Ledger {
    /// Records that a household's session opened. Idempotent.
    public func recordSessionOpened(_ opening: SessionOpening, at clock: LedgerClockReading) throws(LedgerError) {
        try write("recording session \(opening.id) opened") { db in
            guard try cachedInt(db, "SELECT 1 FROM sessions WHERE id = ?", [opening.id.description]) == nil else {
                return
            }
            var stamp = try stamp(db, clock)
            let content = try insert(
                db, into: "sessions", columns: TableColumns.sessions,
                values: [
                    opening.id.description.databaseValue, opening.id.kioskID.databaseValue,
                    opening.id.sequence.databaseValue,
                    opening.household.rawValue.databaseValue, opening.card.hex.databaseValue,
                    stamp.recorded.databaseValue,
                ])
            try appendJournal(
                db, kind: .sessionOpened, subject: opening.id.description, content: content, stamp: &stamp)
        }
    }

    /// Records that a session closed, with its totals. Idempotent.
    public func recordSessionClosed(_ closing: SessionClosing, at clock: LedgerClockReading) throws(LedgerError) {
        try write("recording session \(closing.id) closed") { db in
            try closeSession(
                db, id: closing.id.description, reason: closing.reason.rawValue, deposits: Int64(closing.deposits),
                credit: closing.credit, creditedGrams: closing.creditedGrams.value, clock: clock)
        }
    }

    /// After a crash or power cut: every session that never closed is closed
    /// as `interrupted`, with what its committed deposits hold.
    @discardableResult
    public func closeInterruptedSessions(at clock: LedgerClockReading) throws(LedgerError) -> [String] {
        try write("closing interrupted sessions") { db in
            let open = try String.fetchAll(
                db,
                sql: """
                    SELECT s.id FROM sessions s LEFT JOIN session_closures c ON c.session_id = s.id
                    WHERE c.session_id IS NULL ORDER BY s.opened_at_ms, s.id
                    """)
            for id in open {
                let totals = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS deposits, COALESCE(SUM(credit), 0) AS credit, COALESCE(SUM(credited_g), 0) AS grams
                        FROM deposits WHERE session_id = ?
                        """, arguments: [id])
                try closeSession(
                    db, id: id, reason: "interrupted", deposits: totals?["deposits"] ?? 0,
                    credit: totals?["credit"] ?? 0, creditedGrams: totals?["grams"] ?? 0, clock: clock)
            }
            return open
        }
    }

    private func closeSession(
        _ db: Database, id: String, reason: String, deposits: Int64, credit: Int64, creditedGrams: Int64,
        clock: LedgerClockReading
    ) throws {
        guard try cachedInt(db, "SELECT 1 FROM session_closures WHERE session_id = ?", [id]) == nil else { return }
        var stamp = try stamp(db, clock)
        let content = try insert(
            db, into: "session_closures", columns: TableColumns.sessionClosures,
            values: [
                id.databaseValue, reason.databaseValue, stamp.recorded.databaseValue, deposits.databaseValue,
                credit.databaseValue, creditedGrams.databaseValue,
            ])
        try appendJournal(db, kind: .sessionClosed, subject: id, content: content, stamp: &stamp)
    }

    /// Sequences to continue from, so that ids stay unique across restarts.
    public func nextSequences() throws(LedgerError) -> (deposit: Int64, session: Int64) {
        let kioskID = kioskID
        return try read("reading the last sequences") { db in
            let deposit =
                try Int64.fetchOne(
                    db, sql: "SELECT MAX(sequence) FROM deposits WHERE kiosk_id = ?", arguments: [kioskID]) ?? 0
            let session =
                try Int64.fetchOne(
                    db, sql: "SELECT MAX(sequence) FROM sessions WHERE kiosk_id = ?", arguments: [kioskID]) ?? 0
            return (deposit + 1, session + 1)
        }
    }
}
