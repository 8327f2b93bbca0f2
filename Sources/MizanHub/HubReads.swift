import Foundation
public import MizanCore
import PostgresNIO

extension HubStore {
    /// A household's balance across every kiosk, by its card, as of each
    /// kiosk's last push: credit a kiosk has not pushed yet is not in it.
    public struct Balance: Sendable, Codable, Equatable {
        public let card: String
        public let balanceMinor: Int64
        public let kiosks: [String]

        enum CodingKeys: String, CodingKey {
            case card, balanceMinor = "balance_minor", kiosks
        }
    }

    public func balances() async throws -> [Balance] {
        var all: [Balance] = []
        for try await (card, balance, kiosks) in try await client.query(
            """
            SELECT card_uid,
              (sum(CASE WHEN credit_account LIKE 'household:%' THEN amount ELSE 0 END)
                - sum(CASE WHEN debit_account LIKE 'household:%' THEN amount ELSE 0 END))::bigint,
              array_agg(DISTINCT kiosk ORDER BY kiosk)
            FROM entries WHERE card_uid IS NOT NULL GROUP BY card_uid ORDER BY card_uid
            """, logger: logger
        ).decode((String, Int64, [String]).self) {
            all.append(Balance(card: card, balanceMinor: balance, kiosks: kiosks))
        }
        return all
    }
}

extension HubStore {
    /// One day's village totals.
    public struct DayTotal: Sendable, Codable, Equatable {
        public let day: String
        public let deposits: Int64
        public let creditedGrams: Int64
        public let creditIssued: Int64
    }

    /// The `count` days up to `day`, each with its totals (days with none omitted).
    public func days(upTo day: String, count: Int) async throws -> [DayTotal] {
        var all: [DayTotal] = []
        for try await (date, deposits, grams, credit) in try await client.query(
            """
            SELECT local_day::text, sum(deposits)::bigint,
              sum(CASE WHEN reason IN ('credited', 'capped') THEN grams ELSE 0 END)::bigint, sum(credit)::bigint
            FROM day_totals WHERE local_day > \(day)::date - \(count)::int AND local_day <= \(day)::date
            GROUP BY local_day ORDER BY local_day DESC
            """, logger: logger
        ).decode((String, Int64, Int64, Int64).self) {
            all.append(DayTotal(day: date, deposits: deposits, creditedGrams: grams, creditIssued: credit))
        }
        return all
    }

    /// Where each kiosk's chain stands and when it last pushed.
    public struct KioskHealth: Sendable, Codable, Equatable {
        public let kiosk: String
        public let lastContact: String?
        public let headSeq: Int64
        public let silent: Bool
    }

    public func kioskHealth(silence: Duration) async throws -> [KioskHealth] {
        var all: [KioskHealth] = []
        for try await (kiosk, contact, head, silent) in try await client.query(
            """
            SELECT k.id, to_char(h.last_contact AT TIME ZONE k.time_zone, 'YYYY-MM-DD HH24:MI'), coalesce(h.head_seq, 0),
              coalesce(h.last_contact, k.enrolled_at) < now() - make_interval(secs => \(Double(silence.components.seconds)))
            FROM kiosks k LEFT JOIN kiosk_heads h ON h.kiosk = k.id ORDER BY k.id
            """, logger: logger
        ).decode((String, String?, Int64, Bool).self) {
            all.append(KioskHealth(kiosk: kiosk, lastContact: contact, headSeq: head, silent: silent))
        }
        return all
    }
}

extension HubStore {
    /// Today in the kiosks' time zone (the first enrolled kiosk's; the
    /// village has one).
    public func today() async throws -> LocalDay {
        for try await text in try await client.query(
            """
            SELECT (now() AT TIME ZONE coalesce((SELECT time_zone FROM kiosks ORDER BY enrolled_at LIMIT 1), 'UTC'))::date::text
            """, logger: logger
        ).decode(String.self) {
            if let day = LocalDay(text) { return day }
        }
        throw HubError("the database did not say what day it is")
    }
}

extension HubStore {
    /// Where a kiosk's chain stands at the hub: the highest sequence held
    /// with every one before it, that link's hash (compare it with the
    /// kiosk's `mizanctl ledger verify`), and the last push.
    public struct ChainHead: Sendable, Codable, Equatable {
        public let kiosk: String
        public let seq: Int64
        public let hash: String
        public let lastContact: String

        enum CodingKeys: String, CodingKey {
            case kiosk, seq, hash, lastContact = "last_contact"
        }
    }

    public func chainHeads() async throws -> [ChainHead] {
        var all: [ChainHead] = []
        for try await (kiosk, seq, hash, contact) in try await client.query(
            """
            SELECT kiosk, head_seq, head_hash, to_char(last_contact AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM kiosk_heads ORDER BY kiosk
            """, logger: logger
        ).decode((String, Int64, String, String).self) {
            all.append(ChainHead(kiosk: kiosk, seq: seq, hash: hash, lastContact: contact))
        }
        return all
    }
}
