import Foundation
import GRDB

/// Appends to the hash chains: the journal (sessions, deposits, ledger
/// entries) and the audit log. Both are walked by `verify`.
extension Ledger {
    enum JournalKind: String {
        case sessionOpened = "session_opened"
        case sessionClosed = "session_closed"
        case deposit
        case entry

        /// The table, key column and hashed columns of the row a link covers.
        var subjectTable: (table: String, key: String, columns: [String]) {
            switch self {
            case .sessionOpened: ("sessions", "id", TableColumns.sessions)
            case .sessionClosed: ("session_closures", "session_id", TableColumns.sessionClosures)
            case .deposit: ("deposits", "id", TableColumns.deposits)
            case .entry: ("entries", "id", TableColumns.entries)
            }
        }
    }

    enum TableColumns {
        static let sessions = ["id", "kiosk_id", "sequence", "household_id", "card_uid", "opened_at_ms"]
        static let sessionClosures = ["session_id", "reason", "closed_at_ms", "deposits", "credit", "credited_g"]
        static let deposits = [
            "id", "kiosk_id", "sequence", "session_id", "household_id", "bin", "material", "bins_opened",
            "baseline_g", "final_g", "net_g", "credited_g", "price_version", "rate_per_kg", "credit", "currency",
            "carry_in", "carry_out", "reason", "recorded_at_ms",
        ]
        static let entries = [
            "id", "kind", "deposit_id", "reverses_entry", "debit_account", "credit_account", "amount", "currency",
            "memo", "actor", "recorded_at_ms",
        ]
        static let audit = [
            "seq", "kind", "counter", "actor", "summary", "before", "after", "recorded_at_ms", "wall_clock_ms",
            "clock_synchronized", "prev_hash",
        ]
    }

    func cachedRow(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedInt(_ db: Database, _ sql: String, _ arguments: StatementArguments = []) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// The largest key of `table` (journal or entries) whose row was recorded
    /// before `time`, by binary search: recorded times never decrease along
    /// the key, so no time index is needed.
    func lastKey(in table: String, key: String, recordedBefore time: Int64, _ db: Database) throws -> Int64? {
        guard var high = try Int64.fetchOne(db, sql: "SELECT MAX(\(key)) FROM \(table)") else { return nil }
        let probe = try db.cachedStatement(
            sql: "SELECT \(key), recorded_at_ms FROM \(table) WHERE \(key) >= ? ORDER BY \(key) LIMIT 1"
        )
        var low: Int64 = 0  // invariant: everything at or below low is before `time`
        var found: Int64?
        while low < high {
            let middle = low + (high - low + 1) / 2
            guard let row = try Row.fetchOne(probe, arguments: [middle]) else { break }
            let rowKey: Int64 = row[0]
            if (row[1] as Int64) < time {
                found = rowKey
                low = rowKey
            } else {
                high = middle - 1
            }
        }
        return found
    }

    /// Inserts a row given as parallel columns and values, and returns its
    /// canonical encoding for the chain.
    @discardableResult
    func insert(_ db: Database, into table: String, columns: [String], values: [DatabaseValue]) throws -> Data {
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))"
        )
        try statement.execute(arguments: StatementArguments(values))
        return CanonicalRow.encode(table: table, columns: columns, values: values)
    }

    static let writerJitterMilliseconds: Int64 = 1_000

    /// The time to record, never earlier than anything already recorded,
    /// with the journal's tail for the links this transaction appends.
    func stamp(_ db: Database, _ clock: LedgerClockReading) throws -> LedgerTimestamp {
        let last = try cachedRow(
            db,
            """
            SELECT j.seq, j.hash, j.recorded_at_ms, j.clock_anomaly,
                   (SELECT recorded_at_ms FROM audit_log ORDER BY seq DESC LIMIT 1) AS audit_recorded_at_ms
            FROM (SELECT 1) LEFT JOIN (SELECT * FROM journal ORDER BY seq DESC LIMIT 1) AS j
            """)
        let tail = JournalTail(seq: last?["seq"] ?? 0, hash: last?["hash"] ?? ChainHash.genesis)
        let lastRecorded = max(last?["recorded_at_ms"] ?? Int64.min, last?["audit_recorded_at_ms"] ?? Int64.min)
        let wall = clock.wall.millisecondsSinceEpoch
        guard wall < lastRecorded else {
            return LedgerTimestamp(
                recorded: wall, wall: wall, synchronized: clock.synchronized, anomaly: false, journalTail: tail)
        }
        // Two writers read the clock a moment apart and commit in the other
        // order (the kiosk loop reads it once per turn): kept in order, not
        // a clock that went back.
        if lastRecorded - wall <= Self.writerJitterMilliseconds {
            return LedgerTimestamp(
                recorded: lastRecorded, wall: wall, synchronized: clock.synchronized, anomaly: false, journalTail: tail)
        }
        let stamp = LedgerTimestamp(
            recorded: lastRecorded, wall: wall, synchronized: clock.synchronized, anomaly: true, journalTail: tail)
        if (last?["clock_anomaly"] as Int64?) != 1 {
            try appendAudit(
                db,
                kind: .clock,
                actor: "mizan",
                summary:
                    "wall clock is \(lastRecorded - wall) ms behind the ledger: recording at ledger time until it catches up",
                before: nil,
                after: nil,
                stamp: stamp
            )
        }
        return stamp
    }

    /// Adds one link to the journal chain and returns its sequence number.
    @discardableResult
    func appendJournal(
        _ db: Database, kind: JournalKind, subject: String, content: Data, stamp: inout LedgerTimestamp
    ) throws -> Int64 {
        let seq = stamp.journalTail.seq + 1
        let previous = stamp.journalTail.hash
        let contentHash = ChainHash.sha256(content)
        let header = Self.journalHeader(
            seq: seq, kind: kind.rawValue, subject: subject, recorded: stamp.recorded, wall: stamp.wall,
            synchronized: stamp.synchronized, anomaly: stamp.anomaly
        )
        let hash = ChainHash.link(previous: previous, header: header, contentHash: contentHash)
        try db.cachedStatement(
            sql: """
                INSERT INTO journal (seq, kind, subject, recorded_at_ms, wall_clock_ms, clock_synchronized,
                                     clock_anomaly, content_hash, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                seq, kind.rawValue, subject, stamp.recorded, stamp.wall, stamp.synchronized, stamp.anomaly, contentHash,
                previous, hash,
            ]
        )
        stamp.journalTail = JournalTail(seq: seq, hash: hash)
        return seq
    }

    static func journalHeader(
        seq: Int64, kind: String, subject: String, recorded: Int64, wall: Int64, synchronized: Bool, anomaly: Bool
    ) -> String {
        "\(seq)|\(kind)|\(subject)|\(recorded)|\(wall)|\(synchronized ? 1 : 0)|\(anomaly ? 1 : 0)|"
    }

    /// Adds one row to the audit log, with its per-kind counter (which can
    /// never be reset: the log is append-only and chained).
    @discardableResult
    func appendAudit(
        _ db: Database, kind: AuditKind, actor: String, summary: String, before: String?, after: String?,
        stamp: LedgerTimestamp
    ) throws -> AuditRecord {
        let last = try cachedRow(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        let seq = (last?["seq"] as Int64? ?? 0) + 1
        let previous = last?["hash"] as Data? ?? ChainHash.genesis
        let counter =
            (try Int64.fetchOne(
                db, sql: "SELECT MAX(counter) FROM audit_log WHERE kind = ?", arguments: [kind.rawValue]) ?? 0) + 1
        let values: [DatabaseValue] = [
            seq.databaseValue, kind.rawValue.databaseValue, counter.databaseValue, actor.databaseValue,
            summary.databaseValue, before.databaseValue, after.databaseValue, stamp.recorded.databaseValue,
            stamp.wall.databaseValue, stamp.synchronized.databaseValue, previous.databaseValue,
        ]
        let content = CanonicalRow.encode(table: "audit_log", columns: TableColumns.audit, values: values)
        let hash = ChainHash.link(previous: previous, header: "audit|", contentHash: ChainHash.sha256(content))
        try db.execute(
            sql:
                "INSERT INTO audit_log (\(TableColumns.audit.joined(separator: ", ")), hash) VALUES (\(Array(repeating: "?", count: TableColumns.audit.count + 1).joined(separator: ", ")))",
            arguments: StatementArguments(values + [hash.databaseValue])
        )
        return AuditRecord(
            seq: seq, kind: kind, counter: counter, actor: actor, summary: summary, before: before, after: after,
            recordedAt: stamp.recorded, wallClock: stamp.wall, clockSynchronized: stamp.synchronized
        )
    }
}
