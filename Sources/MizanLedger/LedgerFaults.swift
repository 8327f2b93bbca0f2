import Foundation
import GRDB
import MizanCore

/// A fault raised or cleared, as the daemon recorded it.
public struct FaultRecord: Sendable, Codable, Equatable {
    public let seq: Int64
    public let fault: String
    public let raised: Bool
    public let recordedAt: Int64
    public let clockSynchronized: Bool

    enum CodingKeys: String, CodingKey {
        case seq, fault, raised, recordedAt = "recorded_at_ms", clockSynchronized = "clock_synchronized"
    }
}

extension Ledger {
    /// Records that `fault` was raised or cleared. The time is the wall
    /// clock's, kept from running backwards like every other record.
    public func recordFault(_ fault: String, raised: Bool, at clock: LedgerClockReading) throws(LedgerError) {
        try write("recording fault \(fault) \(raised ? "raised" : "cleared")") { db in
            let stamp = try stamp(db, clock)
            try db.execute(
                sql: "INSERT INTO fault_log (fault, raised, recorded_at_ms, clock_synchronized) VALUES (?, ?, ?, ?)",
                arguments: [fault, raised, stamp.recorded, clock.synchronized]
            )
        }
    }

    /// Faults recorded in [since, until), oldest first. A ledger made before
    /// the fault log existed (opened read-only) has none.
    public func faultLog(since: Int64 = .min, until: Int64 = .max) throws(LedgerError) -> [FaultRecord] {
        try read("reading the fault log") { db in
            guard try db.tableExists("fault_log") else { return [] }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM fault_log WHERE recorded_at_ms >= ? AND recorded_at_ms < ? ORDER BY seq",
                arguments: [since, until]
            ).map { row in
                FaultRecord(
                    seq: row["seq"], fault: row["fault"], raised: row["raised"], recordedAt: row["recorded_at_ms"],
                    clockSynchronized: row["clock_synchronized"])
            }
        }
    }
}
