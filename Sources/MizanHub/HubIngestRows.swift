import Foundation
import MizanCore
import MizanLedger
import PostgresNIO

/// The rows a run of checked links adds at the hub, written in one
/// statement per table (`jsonb_to_recordset` over the batch): the links
/// themselves, then the sessions, deposits (and the day rollups they add
/// to) and entries they cover, then
/// one clock anomaly per local day a link was recorded with its clock
/// unsynchronised. Local days are worked out here, with the kiosk's own
/// calendar code and time zone, so the hub's days are the kiosk's.
struct IngestRows {
    let kiosk: String
    let links: [JournalLinkExport]
    let calendar: LocalCalendar

    func write(_ connection: PostgresConnection, _ logger: Logger) async throws {
        var linkRows: [LinkRow] = []
        var sessions: [SessionRow] = []
        var deposits: [DepositRow] = []
        var entries: [EntryRow] = []
        var clockDays: [String: ClockRow] = [:]
        for link in links {
            var row: [String: ExportValue] = [:]
            for (column, value) in zip(link.columns, link.values) { row[column] = value }
            linkRows.append(LinkRow(link, row: row))
            let day = calendar.day(of: WallClockTime(millisecondsSinceEpoch: link.recordedAtMs)).description
            switch link.kind {
            case "session_opened":
                sessions.append(
                    SessionRow(
                        id: row["id"]?.text ?? link.subject, householdId: row["household_id"]?.integer ?? 0,
                        cardUid: row["card_uid"]?.text ?? "",
                        openedAtMs: row["opened_at_ms"]?.integer ?? link.recordedAtMs
                    ))
            case "deposit":
                deposits.append(
                    DepositRow(
                        id: link.subject, sessionId: row["session_id"]?.text, householdId: row["household_id"]?.integer,
                        material: row["material"]?.text ?? "", netG: row["net_g"]?.integer,
                        creditedG: row["credited_g"]?.integer ?? 0, credit: row["credit"]?.integer ?? 0,
                        reason: row["reason"]?.text ?? "", recordedAtMs: link.recordedAtMs, localDay: day))
            case "entry":
                let debit = row["debit_account"]?.text ?? ""
                let credit = row["credit_account"]?.text ?? ""
                let household = [debit, credit].first { $0.hasPrefix("household:") }.flatMap {
                    Int64($0.dropFirst("household:".count))
                }
                entries.append(
                    EntryRow(
                        id: row["id"]?.integer ?? Int64(link.subject) ?? 0, kind: row["kind"]?.text ?? "",
                        depositId: row["deposit_id"]?.text ?? "", debitAccount: debit, creditAccount: credit,
                        amount: row["amount"]?.integer ?? 0, householdId: household,
                        recordedAtMs: link.recordedAtMs, localDay: day))
            default:
                break
            }
            if (!link.clockSynchronized || link.clockAnomaly) && clockDays[day] == nil {
                clockDays[day] = ClockRow(
                    localDay: day,
                    detail:
                        "\(kiosk) recorded link \(link.seq) with its clock \(link.clockAnomaly ? "behind its ledger" : "not synchronised")"
                )
            }
        }
        try await connection.query(
            """
            INSERT INTO links (kiosk, seq, kind, subject, recorded_at_ms, wall_clock_ms, clock_synchronized,
              clock_anomaly, content_hash, prev_hash, hash, row_values)
            SELECT \(kiosk), r.seq, r.kind, r.subject, r.recorded_at_ms, r.wall_clock_ms, r.clock_synchronized,
              r.clock_anomaly, r.content_hash, r.prev_hash, r.hash, r.row_values
            FROM jsonb_to_recordset(\(try Self.json(linkRows))::jsonb) AS r(seq bigint, kind text, subject text,
              recorded_at_ms bigint, wall_clock_ms bigint, clock_synchronized boolean, clock_anomaly boolean,
              content_hash text, prev_hash text, hash text, row_values jsonb)
            ON CONFLICT (kiosk, seq) DO NOTHING
            """, logger: logger)
        if !sessions.isEmpty {
            try await connection.query(
                """
                INSERT INTO sessions (kiosk, id, household_id, card_uid, opened_at_ms)
                SELECT \(kiosk), r.id, r.household_id, r.card_uid, r.opened_at_ms
                FROM jsonb_to_recordset(\(try Self.json(sessions))::jsonb)
                  AS r(id text, household_id bigint, card_uid text, opened_at_ms bigint)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !deposits.isEmpty {
            // The day rollups grow by exactly the deposits this statement inserts.
            try await connection.query(
                """
                WITH inserted AS (
                  INSERT INTO deposits (kiosk, id, session_id, card_uid, household_id, material, net_g, credited_g,
                    credit, reason, recorded_at_ms, local_day)
                  SELECT \(kiosk), r.id, r.session_id, s.card_uid, r.household_id, r.material, r.net_g, r.credited_g,
                    r.credit, r.reason, r.recorded_at_ms, r.local_day
                  FROM jsonb_to_recordset(\(try Self.json(deposits))::jsonb) AS r(id text, session_id text,
                    household_id bigint, material text, net_g bigint, credited_g bigint, credit bigint, reason text,
                    recorded_at_ms bigint, local_day date)
                  LEFT JOIN sessions s ON s.kiosk = \(kiosk) AND s.id = r.session_id
                  ON CONFLICT DO NOTHING
                  RETURNING local_day, material, reason, net_g, credit, household_id, card_uid
                ), households AS (
                  INSERT INTO day_households (local_day, kiosk, household_id, card_uid)
                  SELECT DISTINCT ON (local_day, household_id) local_day, \(kiosk), household_id, card_uid FROM inserted
                  WHERE reason IN ('credited', 'capped') AND household_id IS NOT NULL
                  ON CONFLICT DO NOTHING
                )
                INSERT INTO day_totals (local_day, kiosk, material, reason, deposits, grams, credit)
                SELECT local_day, \(kiosk), material, reason, count(*),
                  coalesce(sum(CASE WHEN net_g > 0 THEN net_g ELSE 0 END), 0), coalesce(sum(credit), 0)
                FROM inserted GROUP BY local_day, material, reason
                ON CONFLICT (local_day, kiosk, material, reason) DO UPDATE SET
                  deposits = day_totals.deposits + excluded.deposits, grams = day_totals.grams + excluded.grams,
                  credit = day_totals.credit + excluded.credit
                """, logger: logger)
        }
        if !entries.isEmpty {
            // A household's card at this kiosk: the one it first opened a session with.
            try await connection.query(
                """
                INSERT INTO entries (kiosk, id, kind, deposit_id, debit_account, credit_account, amount, card_uid,
                  recorded_at_ms, local_day)
                SELECT \(kiosk), r.id, r.kind, r.deposit_id, r.debit_account, r.credit_account, r.amount,
                  (SELECT s.card_uid FROM sessions s WHERE s.kiosk = \(kiosk) AND s.household_id = r.household_id
                   ORDER BY s.opened_at_ms LIMIT 1),
                  r.recorded_at_ms, r.local_day
                FROM jsonb_to_recordset(\(try Self.json(entries))::jsonb) AS r(id bigint, kind text, deposit_id text,
                  debit_account text, credit_account text, amount bigint, household_id bigint, recorded_at_ms bigint,
                  local_day date)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !clockDays.isEmpty {
            try await connection.query(
                """
                INSERT INTO anomalies (kind, kiosk, local_day, detail)
                SELECT 'clock_unsynchronized', \(kiosk), r.local_day, r.detail
                FROM jsonb_to_recordset(\(try Self.json(Array(clockDays.values)))::jsonb) AS r(local_day date, detail text)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    static func json(_ rows: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    struct LinkRow: Encodable {
        let seq: Int64
        let kind, subject: String
        let recordedAtMs, wallClockMs: Int64
        let clockSynchronized, clockAnomaly: Bool
        let contentHash, prevHash, hash: String
        let rowValues: [String: ExportValue]

        init(_ link: JournalLinkExport, row: [String: ExportValue]) {
            (seq, kind, subject) = (link.seq, link.kind, link.subject)
            (recordedAtMs, wallClockMs) = (link.recordedAtMs, link.wallClockMs)
            (clockSynchronized, clockAnomaly) = (link.clockSynchronized, link.clockAnomaly)
            (contentHash, prevHash, hash) = (link.contentHash, link.prevHash, link.hash)
            rowValues = row
        }
    }

    struct SessionRow: Encodable {
        let id: String
        let householdId: Int64
        let cardUid: String
        let openedAtMs: Int64
    }

    struct DepositRow: Encodable {
        let id: String
        let sessionId: String?
        let householdId: Int64?
        let material: String
        let netG: Int64?
        let creditedG, credit: Int64
        let reason: String
        let recordedAtMs: Int64
        let localDay: String
    }

    struct EntryRow: Encodable {
        let id: Int64
        let kind, depositId, debitAccount, creditAccount: String
        let amount: Int64
        let householdId: Int64?
        let recordedAtMs: Int64
        let localDay: String
    }

    struct ClockRow: Encodable {
        let localDay: String
        let detail: String
    }
}
