import Foundation
import Glibc
import GRDB

extension Ledger {
    /// Free bytes on the ledger's file system, for the daemon and `doctor`.
    public func freeBytes() -> Int64? {
        var info = statvfs()
        guard statvfs((path as NSString).deletingLastPathComponent, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Whether a commit could go through now: the file system is writable
    /// and has room, and the write lock can be taken (an empty immediate
    /// transaction writes nothing). The daemon asks this while the kiosk
    /// is out of service for a ledger error, to put it back by itself.
    public func probeWritable(minimumFreeBytes: Int64 = 1 << 20) throws(LedgerError) {
        let operation = "checking that the ledger can be written"
        var info = statvfs()
        if statvfs((path as NSString).deletingLastPathComponent, &info) == 0 {
            if info.f_flag & UInt(ST_RDONLY) != 0 {
                throw LedgerError(kind: .readOnly, operation: operation, message: "the file system is mounted read-only")
            }
            let free = Int64(info.f_bavail) * Int64(info.f_frsize)
            if free < minimumFreeBytes {
                throw LedgerError(kind: .diskFull, operation: operation, message: "only \(free / 1024) KiB free (at least \(minimumFreeBytes / 1024) KiB needed)")
            }
        }
        try write(operation) { _ in }
    }
}

/// When the ledger last recorded a deposit, and anything at all.
public struct LedgerRecency: Sendable, Equatable {
    public let lastDeposit: Int64?
    public let lastRecorded: Int64?
}

extension Ledger {
    public func recency() throws(LedgerError) -> LedgerRecency {
        try read("reading when the ledger was last written") { db in
            let lastDeposit = try Int64.fetchOne(db, sql: "SELECT max(recorded_at_ms) FROM deposits")
            let journal = try Int64.fetchOne(db, sql: "SELECT recorded_at_ms FROM journal ORDER BY seq DESC LIMIT 1")
            let audit = try Int64.fetchOne(db, sql: "SELECT recorded_at_ms FROM audit_log ORDER BY seq DESC LIMIT 1")
            let latest = [journal, audit].compactMap { $0 }.max()
            return LedgerRecency(lastDeposit: lastDeposit, lastRecorded: latest)
        }
    }
}
