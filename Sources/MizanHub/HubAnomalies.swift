import Foundation
import PostgresNIO

/// What the hub looks for across kiosks, flagged for a person and never
/// corrected by itself (a correction is a compensating entry someone
/// decides on). Forks, edited links and unsynchronised clocks are flagged
/// at ingest; these need the whole village's picture.
public struct AnomalyRules: Sendable {
    /// The most a household may be credited per local day (minor units),
    /// summed across kiosks; nil: no cap.
    public var dailyCreditCap: Int64?
    /// Two sessions of one card at two kiosks closer in time than this
    /// cannot both be the household's: a copied card.
    public var walking: Duration = .seconds(10 * 60)
    /// A kiosk not heard from for this long is silent.
    public var silence: Duration = .seconds(24 * 3600)

    public init() {}
}

extension HubStore {
    /// Looks for the village-wide anomalies now; returns how many new ones were flagged.
    @discardableResult
    public func findAnomalies(_ rules: AnomalyRules) async throws -> Int {
        let walkingMs = rules.walking.components.seconds * 1_000
        let silenceSeconds = rules.silence.components.seconds
        var found = 0
        if let cap = rules.dailyCreditCap {
            found += try await count(
                """
                INSERT INTO anomalies (kind, card_uid, local_day, detail)
                SELECT 'cap_across_kiosks', card_uid, local_day,
                  'card ' || card_uid || ' was credited ' || sum(credit) || ' on ' || local_day || ' across '
                  || count(DISTINCT kiosk) || ' kiosks (' || string_agg(DISTINCT kiosk, ', ') || '), over the cap of '
                  || \(cap) || ': a compensating entry of ' || (sum(credit) - \(cap)) || ' is proposed'
                FROM deposits WHERE card_uid IS NOT NULL
                GROUP BY card_uid, local_day
                HAVING sum(credit) > \(cap) AND count(DISTINCT kiosk) > 1
                ON CONFLICT DO NOTHING
                """)
        }
        found += try await count(
            """
            INSERT INTO anomalies (kind, kiosk, card_uid, local_day, detail)
            SELECT DISTINCT ON (a.card_uid, a.kiosk, b.kiosk) 'card_too_fast', a.kiosk, a.card_uid,
              (to_timestamp(a.opened_at_ms::double precision / 1000) AT TIME ZONE k.time_zone)::date,
              'card ' || a.card_uid || ' opened sessions at ' || a.kiosk || ' and ' || b.kiosk || ' '
              || (abs(a.opened_at_ms - b.opened_at_ms) / 1000) || ' s apart: closer than walking allows (a copied card?)'
            FROM sessions a
            JOIN sessions b ON a.card_uid = b.card_uid AND a.kiosk < b.kiosk
              AND abs(a.opened_at_ms - b.opened_at_ms) < \(walkingMs)
            JOIN kiosks k ON k.id = a.kiosk
            ORDER BY a.card_uid, a.kiosk, b.kiosk, a.opened_at_ms
            ON CONFLICT DO NOTHING
            """)
        found += try await count(
            """
            INSERT INTO anomalies (kind, kiosk, local_day, detail)
            SELECT 'kiosk_silent', k.id, current_date,
              k.id || ' has not pushed since ' || to_char(coalesce(h.last_contact, k.enrolled_at), 'YYYY-MM-DD HH24:MI TZ')
            FROM kiosks k LEFT JOIN kiosk_heads h ON h.kiosk = k.id
            WHERE coalesce(h.last_contact, k.enrolled_at) < now() - make_interval(secs => \(Double(silenceSeconds)))
            ON CONFLICT DO NOTHING
            """)
        return found
    }

    /// Runs an INSERT … SELECT and returns how many rows it added.
    private func count(_ insert: PostgresQuery) async throws -> Int {
        var query = insert
        query.sql += " RETURNING 1"
        var rows = 0
        for try await _ in try await client.query(query, logger: logger) { rows += 1 }
        return rows
    }

    public struct Anomaly: Sendable, Codable, Equatable {
        public let kind: String
        public let kiosk: String?
        public let seq: Int64?
        public let card: String?
        public let day: String?
        public let detail: String
    }

    /// Every anomaly flagged, oldest first.
    public func anomalies() async throws -> [Anomaly] {
        var all: [Anomaly] = []
        for try await (kind, kiosk, seq, card, day, detail) in try await client.query(
            "SELECT kind, kiosk, seq, card_uid, local_day::text, detail FROM anomalies ORDER BY id", logger: logger
        ).decode((String, String?, Int64?, String?, String?, String).self) {
            all.append(Anomaly(kind: kind, kiosk: kiosk, seq: seq, card: card, day: day, detail: detail))
        }
        return all
    }
}
