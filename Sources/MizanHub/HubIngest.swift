import Foundation
public import MizanLedger
import PostgresNIO

/// What the hub made of one push.
public enum IngestOutcome: Sendable, Equatable {
    /// The links that followed the kiosk's chain are stored; `head` is the
    /// highest sequence held with every one before it (the kiosk's cursor).
    case accepted(head: Int64, inserted: Int, duplicates: Int)
    /// A sequence the hub holds came again with other content: an alarm
    /// for a person (recorded as an anomaly), never a silent duplicate.
    case fork(head: Int64, seq: Int64, detail: String)
    /// The next link does not check: its row, its hash or its place in the
    /// chain was changed after it was recorded. Recorded as an anomaly.
    case brokenChain(head: Int64, seq: Int64, problem: String)
}

extension HubStore {
    /// Stores a kiosk's links, in order, in one transaction under a lock on
    /// the kiosk's head: concurrent pushes of one kiosk queue, links already
    /// held are compared (identical: skipped; different: a fork), each new
    /// link is checked against the one before it, and the links that hold
    /// are written with the rows they cover (sessions, deposits, entries)
    /// in one statement per table. Links beyond a gap are left for the
    /// next push.
    public func ingest(kiosk: String, links: [JournalLinkExport]) async throws -> IngestOutcome {
        let logger = logger
        let sorted = links.sorted { $0.seq < $1.seq }
        return try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO kiosk_heads (kiosk, head_seq, head_hash, last_contact)
                VALUES (\(kiosk), 0, \(JournalLinkExport.genesis), now()) ON CONFLICT (kiosk) DO NOTHING
                """, logger: logger)
            var head: Int64 = 0
            var headHash = JournalLinkExport.genesis
            var zone = LocalCalendar.defaultIdentifier
            for try await (seq, hash, timeZone) in try await connection.query(
                """
                SELECT h.head_seq, h.head_hash, coalesce(p.time_zone, k.time_zone)
                FROM kiosk_heads h JOIN kiosks k ON k.id = h.kiosk LEFT JOIN kiosk_profiles p ON p.kiosk = h.kiosk
                WHERE h.kiosk = \(kiosk) FOR UPDATE OF h
                """, logger: logger
            ).decode((Int64, String, String).self) {
                (head, headHash, zone) = (seq, hash, timeZone)
            }
            guard let calendar = LocalCalendar(identifier: zone) else {
                throw HubError("kiosk \(kiosk)'s time zone \(zone) is not known to this hub's zoneinfo")
            }
            var held: [Int64: String] = [:]
            let resent = sorted.map(\.seq).filter { $0 <= head }
            if !resent.isEmpty {
                for try await (seq, hash) in try await connection.query(
                    "SELECT seq, hash FROM links WHERE kiosk = \(kiosk) AND seq = ANY(\(resent))", logger: logger
                ).decode((Int64, String).self) {
                    held[seq] = hash
                }
            }
            var checked = Checked(head: head, headHash: headHash)
            checked.walk(sorted, kiosk: kiosk, held: held)
            if let refusal = checked.refusal {
                try await connection.query(
                    """
                    INSERT INTO anomalies (kind, kiosk, seq, detail)
                    VALUES (\(refusal.anomaly), \(kiosk), \(refusal.seq), \(refusal.detail)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            if !checked.accepted.isEmpty {
                try await IngestRows(kiosk: kiosk, links: checked.accepted, calendar: calendar).write(
                    connection, logger)
            }
            try await connection.query(
                """
                UPDATE kiosk_heads SET head_seq = \(checked.head), head_hash = \(checked.headHash), last_contact = now()
                WHERE kiosk = \(kiosk)
                """, logger: logger)
            return checked.outcome
        }
    }
}

/// A push walked against the chain the hub holds: which links are new and
/// follow it, how many were already held, and where it stopped.
struct Checked {
    var head: Int64
    var headHash: String
    var accepted: [JournalLinkExport] = []
    var duplicates = 0
    var refusal: (anomaly: String, seq: Int64, detail: String)?

    mutating func walk(_ sorted: [JournalLinkExport], kiosk: String, held: [Int64: String]) {
        for link in sorted {
            if link.seq <= head {
                // The same link only if it is the one held and it holds by
                // itself: a held hash carried over an edited row is not.
                let selfProblem = link.problem(following: link.prevHash)
                if held[link.seq] == link.hash, selfProblem == nil {
                    duplicates += 1
                    continue
                }
                refusal = (
                    "fork", link.seq,
                    "link \(link.seq) of \(kiosk) came again with other content (held \(held[link.seq] ?? "nothing"), sent \(link.hash)\(selfProblem.map { ": \($0)" } ?? ""))"
                )
                return
            }
            guard link.seq == head + 1 else { return }
            if let problem = link.problem(following: headHash) {
                refusal = (
                    "broken_chain", link.seq, "link \(link.seq) of \(kiosk) (\(link.kind) \(link.subject)): \(problem)"
                )
                return
            }
            accepted.append(link)
            (head, headHash) = (link.seq, link.hash)
        }
    }

    var outcome: IngestOutcome {
        guard let refusal else { return .accepted(head: head, inserted: accepted.count, duplicates: duplicates) }
        return refusal.anomaly == "fork"
            ? .fork(head: head, seq: refusal.seq, detail: refusal.detail)
            : .brokenChain(head: head, seq: refusal.seq, problem: refusal.detail)
    }
}

public struct HubError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
