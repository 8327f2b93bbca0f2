import Foundation
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

    /// One day's totals across the village, per kiosk and material.
    public struct FleetTotal: Sendable, Codable, Equatable {
        public let kiosk: String
        public let material: String
        public let deposits: Int64
        public let creditedGrams: Int64
        public let creditIssued: Int64
        public let households: Int64

        enum CodingKeys: String, CodingKey {
            case kiosk, material, deposits, creditedGrams = "credited_g", creditIssued = "credit_issued", households
        }
    }

    /// `day` is YYYY-MM-DD, each kiosk's own local day.
    public func totals(day: String) async throws -> [FleetTotal] {
        var all: [FleetTotal] = []
        for try await (kiosk, material, deposits, grams, credit, households) in try await client.query(
            """
            SELECT kiosk, material, count(*), sum(credited_g)::bigint, sum(credit)::bigint, count(DISTINCT card_uid)
            FROM deposits WHERE local_day = \(day)::date GROUP BY kiosk, material ORDER BY kiosk, material
            """, logger: logger
        ).decode((String, String, Int64, Int64, Int64, Int64).self) {
            all.append(
                FleetTotal(
                    kiosk: kiosk, material: material, deposits: deposits, creditedGrams: grams, creditIssued: credit,
                    households: households))
        }
        return all
    }
}
