import Foundation
import GRDB
import GRDBSQLite
public import MizanCore

/// The kiosk's ledger: one SQLite file in WAL mode with `synchronous=FULL`,
/// foreign keys and CHECK constraints, written only through the intent-named
/// operations of this type (see the extensions in this module).
public final class Ledger: Sendable {
    public let path: String
    public let kioskID: String
    public let currency: Currency
    public let calendar: LocalCalendar
    let pool: DatabasePool
    /// The file opened, to notice when its path names it no longer.
    let identity: FileIdentity?

    /// Opens (creating and migrating if needed) the ledger the daemon writes.
    public static func open(
        path: String,
        kioskID: String,
        currency: Currency = .beniZeidCredit,
        materials: [Material] = Material.pilotFractions,
        timeZone: String = LocalCalendar.defaultIdentifier,
        initializeEmptyFile: Bool = false
    ) throws(LedgerError) -> Ledger {
        let operation = "opening the ledger at \(path)"
        // An empty file where a ledger should be is a copy or a restore gone
        // wrong, not a new kiosk: starting it afresh would hide the history.
        if !initializeEmptyFile, Self.isEmptyFile(path), !Self.hasContent(path + "-wal") {
            throw LedgerError(
                kind: .corrupt, operation: operation,
                message:
                    "the file is empty (0 bytes): restore the ledger from its copy; to start a new ledger in its place, run mizand --initialize-ledger once"
            )
        }
        guard let calendar = LocalCalendar(identifier: timeZone) else {
            throw LedgerError(kind: .other, operation: operation, message: "unknown time zone \"\(timeZone)\"")
        }
        let pool = try openPool(path: path, readOnly: false, operation: operation)
        let ledger = Ledger(path: path, kioskID: kioskID, currency: currency, calendar: calendar, pool: pool)
        try ledger.write(operation) { db in
            try ledger.seed(db, materials: materials)
        }
        return ledger
    }

    private static func isEmptyFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_size == 0
    }

    private static func hasContent(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_size > 0
    }

    /// Opens an existing ledger for `mizanctl`: the kiosk id, currency and
    /// time zone come from the file itself unless a time zone is given.
    public static func openExisting(path: String, readOnly: Bool, timeZone: String? = nil) throws(LedgerError) -> Ledger
    {
        let operation = "opening the ledger at \(path)"
        guard FileManager.default.fileExists(atPath: path) else {
            throw LedgerError(
                kind: .cannotOpen, operation: operation, message: "no such file (is the state directory right?)")
        }
        let pool = try openPool(path: path, readOnly: readOnly, operation: operation)
        let meta: [String: String]
        do {
            meta = try pool.read { db in
                try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM ledger_meta").map {
                        ($0["key"] as String, $0["value"] as String)
                    })
            }
        } catch {
            throw LedgerError.wrap(error, operation: operation)
        }
        let zone = timeZone ?? meta["time_zone"] ?? LocalCalendar.defaultIdentifier
        guard let calendar = LocalCalendar(identifier: zone) else {
            throw LedgerError(kind: .other, operation: operation, message: "unknown time zone \"\(zone)\"")
        }
        let currency = Currency(
            code: meta["currency_code"] ?? Currency.beniZeidCredit.code,
            nameArabic: meta["currency_name_ar"] ?? Currency.beniZeidCredit.nameArabic,
            nameEnglish: meta["currency_name_en"] ?? Currency.beniZeidCredit.nameEnglish,
            minorUnitExponent: Int(meta["currency_minor_unit_exponent"] ?? "") ?? 2
        )
        return Ledger(
            path: path, kioskID: meta["kiosk_id"] ?? "unknown", currency: currency, calendar: calendar, pool: pool)
    }

    private init(path: String, kioskID: String, currency: Currency, calendar: LocalCalendar, pool: DatabasePool) {
        self.path = path
        self.kioskID = kioskID
        self.currency = currency
        self.calendar = calendar
        self.pool = pool
        identity = FileIdentity.of(path: path)
    }

    private static func openPool(path: String, readOnly: Bool, operation: String) throws(LedgerError) -> DatabasePool {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "mizan-ledger"
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            if !readOnly {
                // Every commit reaches the disk before "credited" is shown.
                // Set on the pool's one writer connection, after the pool
                // has switched it to WAL (which sets synchronous=NORMAL).
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
            }
            // An older package installed over a newer one: its daemon must
            // not write a schema it does not know (GRDB's migrate would
            // carry on past the unknown migrations).
            if try pool.read({ try LedgerSchema.migrator.hasBeenSuperseded($0) }) {
                throw LedgerError(
                    kind: .schema, operation: operation,
                    message:
                        "the ledger was written by a newer Mizan (migrations this version does not know): install that version again"
                )
            }
            if !readOnly {
                try LedgerSchema.migrator.migrate(pool)
            }
            return pool
        } catch {
            throw LedgerError.wrap(error, operation: operation)
        }
    }

    private func seed(_ db: Database, materials: [Material]) throws {
        let meta = [
            "kiosk_id": kioskID,
            "time_zone": calendar.identifier,
            "currency_code": currency.code,
            "currency_name_ar": currency.nameArabic,
            "currency_name_en": currency.nameEnglish,
            "currency_minor_unit_exponent": String(currency.minorUnitExponent),
        ]
        for (key, value) in meta {
            try db.execute(
                sql:
                    "INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value]
            )
        }
        for material in materials {
            try db.execute(
                sql: "INSERT OR IGNORE INTO materials (id, name_ar, name_en) VALUES (?, ?, ?)",
                arguments: [material.id.rawValue, material.nameArabic, material.nameEnglish]
            )
        }
    }

    // MARK: Transactions

    /// Runs `body` in one immediate transaction; any failure, including at
    /// COMMIT, comes out as a `LedgerError` with SQLite's errno.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(LedgerError) -> T {
        var systemErrno: Int32?
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                do {
                    try db.inTransaction(.immediate) {
                        result = try body(db)
                        return .commit
                    }
                } catch {
                    let code = sqlite3_system_errno(db.sqliteConnection)
                    systemErrno = code == 0 ? nil : code
                    throw error
                }
                guard let result else {
                    throw LedgerError(kind: .other, operation: operation, message: "the transaction produced no result")
                }
                return result
            }
        } catch {
            throw LedgerError.wrap(error, operation: operation, errno: systemErrno)
        }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw LedgerError.wrap(error, operation: operation)
        }
    }

    /// Writes the WAL into the main file (on shutdown, so the file alone is
    /// a complete copy).
    public func checkpoint() throws(LedgerError) {
        do {
            try pool.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        } catch {
            throw LedgerError.wrap(error, operation: "checkpointing the ledger")
        }
    }
}
