import GRDB

/// Every way the ledger can refuse, with what was being done, the SQLite
/// result code and the operating system's errno where there was one.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The disk (or the file system holding the ledger) is full.
        case diskFull = "disk_full"
        /// The file or its file system is read-only.
        case readOnly = "read_only"
        /// The file is damaged or not a ledger at all.
        case corrupt
        /// Another process holds the database locked for too long.
        case busy
        /// A read or write failed at the operating system level.
        case io
        /// The file could not be opened (missing directory, permissions).
        case cannotOpen = "cannot_open"
        /// A rule of the ledger refused the write (e.g. a second reversal).
        case refused
        /// The thing asked for does not exist.
        case notFound = "not_found"
        /// The same deposit id already holds other content: a second writer
        /// (or a reused sequence) forked the kiosk's history.
        case fork
        /// The database was written by a newer Mizan.
        case schema
        case other
    }

    public let kind: Kind
    /// What the ledger was doing, e.g. "committing deposit k1-D42".
    public let operation: String
    public let message: String
    public let sqliteCode: Int32?
    public let errno: Int32?

    public init(kind: Kind, operation: String, message: String, sqliteCode: Int32? = nil, errno: Int32? = nil) {
        self.kind = kind
        self.operation = operation
        self.message = message
        self.sqliteCode = sqliteCode
        self.errno = errno
    }

    public var description: String {
        var text = "ledger error while \(operation): \(message)"
        if let sqliteCode { text += " (SQLite code \(sqliteCode)" + (errno.map { ", errno \($0)" } ?? "") + ")" }
        return text
    }

    static func refused(_ operation: String, _ message: String) -> LedgerError {
        LedgerError(kind: .refused, operation: operation, message: message)
    }

    static func notFound(_ operation: String, _ message: String) -> LedgerError {
        LedgerError(kind: .notFound, operation: operation, message: message)
    }

    /// Classifies any error thrown under `operation`.
    static func wrap(_ error: any Error, operation: String, errno: Int32? = nil) -> LedgerError {
        if let ledgerError = error as? LedgerError { return ledgerError }
        guard let databaseError = error as? DatabaseError else {
            return LedgerError(kind: .other, operation: operation, message: "\(error)", errno: errno)
        }
        let kind: Kind
        switch databaseError.resultCode {
        case .SQLITE_FULL: kind = .diskFull
        case .SQLITE_READONLY: kind = .readOnly
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: kind = .corrupt
        case .SQLITE_BUSY, .SQLITE_LOCKED: kind = .busy
        case .SQLITE_IOERR: kind = errno == 28 ? .diskFull : .io  // ENOSPC surfaces as an I/O error on some writes
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: kind = .cannotOpen
        case .SQLITE_CONSTRAINT: kind = .refused
        default: kind = .other
        }
        return LedgerError(
            kind: kind,
            operation: operation,
            message: databaseError.message ?? "\(databaseError.resultCode)",
            sqliteCode: databaseError.extendedResultCode.rawValue,
            errno: errno
        )
    }
}
