import GRDB

extension Ledger {
    /// Records a calibration, configuration change or technician's action
    /// in the audit log, with who did it.
    @discardableResult
    public func recordAudit(
        kind: AuditKind, actor: String, summary: String, before: String? = nil, after: String? = nil,
        at clock: LedgerClockReading
    ) throws(LedgerError) -> AuditRecord {
        try write("recording \(kind.rawValue) in the audit log") { db in
            try appendAudit(
                db, kind: kind, actor: actor, summary: summary, before: before, after: after, stamp: stamp(db, clock))
        }
    }

    /// The audit log, oldest first, optionally of one kind.
    public func auditLog(kind: AuditKind? = nil) throws(LedgerError) -> [AuditRecord] {
        try read("reading the audit log") { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit_log WHERE ?1 IS NULL OR kind = ?1 ORDER BY seq",
                arguments: [kind?.rawValue]
            )
            return rows.compactMap { row in
                guard let kind = AuditKind(rawValue: row["kind"]) else { return nil }
                return AuditRecord(
                    seq: row["seq"], kind: kind, counter: row["counter"], actor: row["actor"], summary: row["summary"],
                    before: row["before"], after: row["after"], recordedAt: row["recorded_at_ms"],
                    wallClock: row["wall_clock_ms"], clockSynchronized: row["clock_synchronized"]
                )
            }
        }
    }
}
