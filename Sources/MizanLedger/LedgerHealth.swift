import Foundation
import Glibc
import MizanPOSIX
import GRDB

extension Ledger {
    /// Free bytes on the ledger's file system, for the daemon and `doctor`.
    public func freeBytes() -> Int64? {
        var info = statvfs()
        guard statvfs((path as NSString).deletingLastPathComponent, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Whether a commit could go through now, proven rather than guessed:
    /// the ledger file is still the one opened, the file system is
    /// writable and has room, the ledger's files open for writing (an
    /// immutable or read-only file does not), a probe file is written and
    /// synced beside them, and the write lock can be taken. The daemon asks
    /// this while the kiosk is out of service for a ledger error, to put it
    /// back by itself only when a household's deposit would really commit.
    public func probeWritable(minimumFreeBytes: Int64 = 1 << 20) throws(LedgerError) {
        let operation = "checking that the ledger can be written"
        try checkFileInPlace()
        let directory = (path as NSString).deletingLastPathComponent
        var info = statvfs()
        if statvfs(directory, &info) == 0 {
            if info.f_flag & UInt(ST_RDONLY) != 0 {
                throw LedgerError(
                    kind: .readOnly, operation: operation, message: "the file system is mounted read-only")
            }
            let free = Int64(info.f_bavail) * Int64(info.f_frsize)
            if free < minimumFreeBytes {
                throw LedgerError(
                    kind: .diskFull, operation: operation,
                    message: "only \(free / 1024) KiB free (at least \(minimumFreeBytes / 1024) KiB needed)")
            }
        }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let descriptor = Glibc.open(file, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let code = errno
                throw LedgerError(
                    kind: code == EROFS || code == EPERM || code == EACCES ? .readOnly : .io, operation: operation,
                    message: "\(file) cannot be opened for writing: \(String(cString: strerror(code)))", errno: code)
            }
            close(descriptor)
        }
        try writeProbe(in: directory, operation: operation)
        try write(operation) { _ in }
    }

    /// Writes, syncs and removes a small file beside the ledger: a full
    /// disk, a read-only or failing device says so here.
    private func writeProbe(in directory: String, operation: String) throws(LedgerError) {
        let probe = directory + "/.mizan-write-probe"
        let descriptor = Glibc.open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            throw LedgerError(
                kind: code == ENOSPC ? .diskFull : code == EROFS || code == EPERM || code == EACCES ? .readOnly : .io,
                operation: operation, message: "cannot create \(probe): \(String(cString: strerror(code)))", errno: code
            )
        }
        defer {
            close(descriptor)
            unlink(probe)
        }
        let bytes = [UInt8](repeating: 0x6D, count: 4096)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { chunk in
                retryingEINTR { Glibc.write(descriptor, chunk.baseAddress, chunk.count) }
            }
            guard count > 0 else {
                let code = errno
                throw LedgerError(
                    kind: code == ENOSPC ? .diskFull : .io, operation: operation,
                    message: "writing \(probe): \(String(cString: strerror(code)))", errno: code)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            let code = errno
            throw LedgerError(
                kind: code == ENOSPC ? .diskFull : .io, operation: operation,
                message: "syncing \(probe): \(String(cString: strerror(code)))", errno: code)
        }
    }

    /// Throws when the ledger's path no longer names the file this process
    /// opened: the state directory was deleted or moved under the daemon,
    /// and what it commits would go into an unlinked file.
    public func checkFileInPlace() throws(LedgerError) {
        guard let identity else { return }
        let operation = "checking the ledger file"
        guard let current = FileIdentity.of(path: path) else {
            throw LedgerError(
                kind: .cannotOpen, operation: operation,
                message: "\(path) is gone (the state directory was deleted or moved); restore it and restart mizand",
                errno: errno)
        }
        guard current == identity else {
            throw LedgerError(
                kind: .cannotOpen, operation: operation,
                message: "\(path) is no longer the file mizand opened (it was replaced); restart mizand")
        }
    }
}

/// A file as the kernel knows it, to tell whether a path still names it.
public struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64

    static func of(path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
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
