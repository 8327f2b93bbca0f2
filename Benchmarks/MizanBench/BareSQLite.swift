import GRDBSQLite

/// A raw SQLite connection through the C API with the ledger's pragmas
/// (WAL, synchronous=FULL, foreign keys): what the ledger's commits are
/// measured against.
final class BareSQLiteConnection {
    private var connection: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    enum Value {
        case int(Int64)
        case text(String)
        case blob([UInt8])
        case null
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(path: String) throws {
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            throw Failure(description: "cannot open \(path)")
        }
        try execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(connection)
    }

    func checkpoint() throws {
        try execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else {
            throw Failure(description: "\(sql) failed: \(String(cString: sqlite3_errmsg(connection)))")
        }
    }

    /// Runs `sql` through a statement prepared once and kept.
    func run(_ sql: String, _ values: [Value]) throws {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .int(let number): sqlite3_bind_int64(statement, position, number)
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, transient)
            case .blob(let bytes): sqlite3_bind_blob(statement, position, bytes, Int32(bytes.count), transient)
            case .null: sqlite3_bind_null(statement, position)
            }
        }
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw Failure(description: "\(sql) failed: \(String(cString: sqlite3_errmsg(connection)))")
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw Failure(description: "cannot prepare \(sql): \(String(cString: sqlite3_errmsg(connection)))")
        }
        statements[sql] = statement
        return statement
    }
}

/// One table, one row per transaction: the floor any durable ledger on this
/// disk stands on.
final class BareSQLite {
    let connection: BareSQLiteConnection

    init(path: String) throws {
        connection = try BareSQLiteConnection(path: path)
        try connection.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
    }

    func insert(_ value: Int64) throws {
        try connection.execute("BEGIN IMMEDIATE")
        try connection.run("INSERT INTO t (value) VALUES (?)", [.int(value)])
        try connection.execute("COMMIT")
    }
}

/// The rows one credited deposit commit writes, in the ledger's own schema,
/// with none of the ledger's work around them (no duplicate check, no
/// clock or chain read, no hashing, no GRDB): the floor for what the
/// ledger must keep. Ledger over this is what the code costs; this over
/// `BareSQLite` is what the records themselves cost.
final class LedgerShapedWrites {
    let connection: BareSQLiteConnection
    private let household: Int64
    private var journalSeq: Int64
    private var entryID: Int64
    private let hash = [UInt8](repeating: 0xA5, count: 32)

    /// `path` is a ledger the `Ledger` created, with `household` registered
    /// and prices version 1 published; it is written from here on only.
    init(path: String, household: Int64) throws {
        connection = try BareSQLiteConnection(path: path)
        self.household = household
        // Past whatever the ledger wrote while setting up.
        journalSeq = 1_000_000
        entryID = 1_000_000
    }

    func commit(_ sequence: Int64) throws {
        let id = "shape-D\(sequence)"
        let grams = 200 + sequence % 4_000
        let credit = grams * 300 / 1000
        let now = Int64(sequence) + 1_767_225_600_000
        try connection.execute("BEGIN IMMEDIATE")
        try connection.run(
            """
            INSERT INTO deposits (id, kiosk_id, sequence, session_id, household_id, bin, material, bins_opened,
                baseline_g, final_g, net_g, credited_g, price_version, rate_per_kg, credit, currency, carry_in,
                carry_out, reason, recorded_at_ms)
            VALUES (?, 'shape', ?, NULL, ?, 'plastic', 'plastic', 'plastic', 0, ?, ?, ?, 1, 300, ?, 'XBZ', 0, ?,
                'credited', ?)
            """,
            [
                .text(id), .int(sequence), .int(household), .int(grams), .int(grams), .int(grams), .int(credit),
                .int(grams * 300 % 1000), .int(now),
            ])
        try link(kind: "deposit", subject: id, at: now)
        entryID += 1
        try connection.run(
            """
            INSERT INTO entries (id, kind, deposit_id, reverses_entry, debit_account, credit_account, amount,
                currency, memo, actor, recorded_at_ms)
            VALUES (?, 'credit', ?, NULL, 'issuer', ?, ?, 'XBZ', ?, 'mizan', ?)
            """,
            [
                .int(entryID), .text(id), .text("household:\(household)"), .int(credit),
                .text("\(grams) g plastic at 300/kg (prices v1)"), .int(now),
            ])
        try link(kind: "entry", subject: String(entryID), at: now)
        let upsert = """
            INSERT INTO balances (account, balance) VALUES (?, ?)
            ON CONFLICT(account) DO UPDATE SET balance = balance + excluded.balance
            """
        try connection.run(upsert, [.text("issuer"), .int(-credit)])
        try connection.run(upsert, [.text("household:\(household)"), .int(credit)])
        try connection.execute("COMMIT")
    }

    private func link(kind: String, subject: String, at now: Int64) throws {
        journalSeq += 1
        try connection.run(
            """
            INSERT INTO journal (seq, kind, subject, recorded_at_ms, wall_clock_ms, clock_synchronized,
                clock_anomaly, content_hash, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, 1, 0, ?, ?, ?)
            """,
            [
                .int(journalSeq), .text(kind), .text(subject), .int(now), .int(now), .blob(hash), .blob(hash),
                .blob(hash),
            ]
        )
    }
}
