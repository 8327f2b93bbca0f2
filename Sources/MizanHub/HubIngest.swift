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
    /// link is checked against the one before it and its covered row is
    /// broken out into sessions, deposits and entries. Links beyond a gap
    /// are left for the next push.
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
            for try await (seq, hash) in try await connection.query(
                "SELECT head_seq, head_hash FROM kiosk_heads WHERE kiosk = \(kiosk) FOR UPDATE", logger: logger
            ).decode((Int64, String).self) {
                (head, headHash) = (seq, hash)
            }
            var inserted = 0
            var duplicates = 0
            var outcome: IngestOutcome?
            for link in sorted {
                if link.seq <= head {
                    var stored: String?
                    for try await hash in try await connection.query(
                        "SELECT hash FROM links WHERE kiosk = \(kiosk) AND seq = \(link.seq)", logger: logger
                    ).decode(String.self) {
                        stored = hash
                    }
                    // The same link only if it is the one held and it holds by
                    // itself: a held hash carried over an edited row is not.
                    let selfProblem = link.problem(following: link.prevHash)
                    if stored == link.hash, selfProblem == nil {
                        duplicates += 1
                        continue
                    }
                    let detail =
                        "link \(link.seq) of \(kiosk) came again with other content (held \(stored ?? "nothing"), sent \(link.hash)\(selfProblem.map { ": \($0)" } ?? ""))"
                    try await Self.flag(connection, logger, "fork", kiosk: kiosk, seq: link.seq, detail: detail)
                    outcome = .fork(head: head, seq: link.seq, detail: detail)
                    break
                }
                guard link.seq == head + 1 else { break }
                if let problem = link.problem(following: headHash) {
                    let detail = "link \(link.seq) of \(kiosk) (\(link.kind) \(link.subject)): \(problem)"
                    try await Self.flag(connection, logger, "broken_chain", kiosk: kiosk, seq: link.seq, detail: detail)
                    outcome = .brokenChain(head: head, seq: link.seq, problem: detail)
                    break
                }
                try await Self.store(connection, logger, kiosk: kiosk, link)
                (head, headHash) = (link.seq, link.hash)
                inserted += 1
            }
            try await connection.query(
                """
                UPDATE kiosk_heads SET head_seq = \(head), head_hash = \(headHash), last_contact = now()
                WHERE kiosk = \(kiosk)
                """, logger: logger)
            return outcome ?? .accepted(head: head, inserted: inserted, duplicates: duplicates)
        }
    }

    static func flag(
        _ connection: PostgresConnection, _ logger: Logger, _ kind: String, kiosk: String, seq: Int64, detail: String
    ) async throws {
        try await connection.query(
            """
            INSERT INTO anomalies (kind, kiosk, seq, detail) VALUES (\(kind), \(kiosk), \(seq), \(detail))
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// One checked link and the row it covers.
    static func store(
        _ connection: PostgresConnection, _ logger: Logger, kiosk: String, _ link: JournalLinkExport
    ) async throws {
        var row: [String: ExportValue] = [:]
        for (column, value) in zip(link.columns, link.values) { row[column] = value }
        let json = String(decoding: try JSONEncoder().encode(row), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO links (kiosk, seq, kind, subject, recorded_at_ms, wall_clock_ms, clock_synchronized,
              clock_anomaly, content_hash, prev_hash, hash, row_values)
            VALUES (\(kiosk), \(link.seq), \(link.kind), \(link.subject), \(link.recordedAtMs), \(link.wallClockMs),
              \(link.clockSynchronized), \(link.clockAnomaly), \(link.contentHash), \(link.prevHash), \(link.hash),
              \(json)::jsonb)
            ON CONFLICT (kiosk, seq) DO NOTHING
            """, logger: logger)
        func text(_ column: String) -> String? { row[column]?.text }
        func integer(_ column: String) -> Int64? { row[column]?.integer }
        switch link.kind {
        case "session_opened":
            try await connection.query(
                """
                INSERT INTO sessions (kiosk, id, household_id, card_uid, opened_at_ms)
                VALUES (\(kiosk), \(text("id") ?? link.subject), \(integer("household_id") ?? 0),
                  \(text("card_uid") ?? ""), \(integer("opened_at_ms") ?? link.recordedAtMs))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        case "deposit":
            try await connection.query(
                """
                INSERT INTO deposits (kiosk, id, session_id, card_uid, material, net_g, credited_g, credit, reason,
                  recorded_at_ms, local_day)
                SELECT \(kiosk), \(link.subject), \(text("session_id")),
                  (SELECT card_uid FROM sessions WHERE kiosk = \(kiosk) AND id = \(text("session_id"))),
                  \(text("material") ?? ""), \(integer("net_g")), \(integer("credited_g") ?? 0),
                  \(integer("credit") ?? 0), \(text("reason") ?? ""), \(link.recordedAtMs),
                  (to_timestamp(\(link.recordedAtMs)::double precision / 1000) AT TIME ZONE k.time_zone)::date
                FROM kiosks k WHERE k.id = \(kiosk)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        case "entry":
            let debit = text("debit_account") ?? ""
            let credit = text("credit_account") ?? ""
            let household = [debit, credit].first { $0.hasPrefix("household:") }.flatMap { Int64($0.dropFirst(10)) }
            try await connection.query(
                """
                INSERT INTO entries (kiosk, id, kind, deposit_id, debit_account, credit_account, amount, card_uid)
                VALUES (\(kiosk), \(integer("id") ?? Int64(link.subject) ?? 0), \(text("kind") ?? ""),
                  \(text("deposit_id") ?? ""), \(debit), \(credit), \(integer("amount") ?? 0),
                  (SELECT card_uid FROM sessions WHERE kiosk = \(kiosk) AND household_id = \(household)
                   ORDER BY opened_at_ms LIMIT 1))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        default:
            break
        }
        if !link.clockSynchronized || link.clockAnomaly {
            try await connection.query(
                """
                INSERT INTO anomalies (kind, kiosk, local_day, detail)
                SELECT 'clock_unsynchronized', \(kiosk),
                  (to_timestamp(\(link.recordedAtMs)::double precision / 1000) AT TIME ZONE k.time_zone)::date,
                  \("\(kiosk) recorded link \(link.seq) with its clock \(link.clockAnomaly ? "behind its ledger" : "not synchronised")")
                FROM kiosks k WHERE k.id = \(kiosk)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }
}
