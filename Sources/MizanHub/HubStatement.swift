import Foundation
import MizanCore
import PostgresNIO

/// A household at the hub, by its card: what the desk shows a cashier and
/// the statement shows the household (or a clerk on its behalf). Credit
/// is counted as each kiosk last pushed it: what a kiosk has not pushed yet
/// is not here, and cannot be spent.
public struct HouseholdStatement: Sendable, Codable, Equatable {
    public static let schema = "mizan.household-hub-statement.v1"

    public var schema = HouseholdStatement.schema
    public let card: String
    public let name: String?
    public let blocked: Bool
    public let balance: Int64
    public let earned: [Earning]
    public let spent: [Spending]
    public let pinSet: Bool
    public let lockedUntilMs: Int64?

    public struct Earning: Sendable, Codable, Equatable {
        public let kiosk: String
        public let amount: Int64
        /// When the kiosk last pushed (UTC, ISO 8601): its credit is as of then.
        public let asOf: String?

        enum CodingKeys: String, CodingKey {
            case kiosk, amount, asOf = "as_of"
        }
    }

    public struct Spending: Sendable, Codable, Equatable {
        public let cooperative: String
        public let redeemed: Int64
        public let voided: Int64
    }

    enum CodingKeys: String, CodingKey {
        case schema, card = "card_uid", name, blocked, balance, earned, spent, pinSet = "pin_set"
        case lockedUntilMs = "locked_until_ms"
    }
}

extension HubStore {
    /// Nil when the hub has never heard of the card (no credit, no name).
    public func statement(card: String) async throws -> HouseholdStatement? {
        var earned: [HouseholdStatement.Earning] = []
        for try await (kiosk, amount, asOf) in try await client.query(
            """
            SELECT e.kiosk, sum(CASE WHEN e.credit_account LIKE 'household:%' THEN e.amount ELSE -e.amount END)::bigint,
              to_char(max(h.last_contact) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM entries e LEFT JOIN kiosk_heads h ON h.kiosk = e.kiosk
            WHERE e.card_uid = \(card) GROUP BY e.kiosk ORDER BY e.kiosk
            """, logger: logger
        ).decode((String, Int64, String?).self) {
            earned.append(.init(kiosk: kiosk, amount: amount, asOf: asOf))
        }
        var spent: [HouseholdStatement.Spending] = []
        for try await (cooperative, redeemed, voided) in try await client.query(
            """
            SELECT cooperative, sum(CASE WHEN kind = 'redemption' THEN amount ELSE 0 END)::bigint,
              sum(CASE WHEN kind = 'void' THEN amount ELSE 0 END)::bigint
            FROM redemptions WHERE card_uid = \(card) GROUP BY cooperative ORDER BY cooperative
            """, logger: logger
        ).decode((String, Int64, Int64).self) {
            spent.append(.init(cooperative: cooperative, redeemed: redeemed, voided: voided))
        }
        var name: String?
        var blocked = false
        for try await (found, isBlocked) in try await client.query(
            "SELECT name, blocked FROM household_names WHERE card_uid = \(card)", logger: logger
        ).decode((String, Bool).self) {
            (name, blocked) = (found, isBlocked)
        }
        var pinSet = false
        var lockedUntil: Int64?
        for try await until in try await client.query(
            """
            SELECT CASE WHEN locked_until > now() THEN (extract(epoch FROM locked_until) * 1000)::bigint END
            FROM household_pins WHERE card_uid = \(card)
            """, logger: logger
        ).decode(Int64?.self) {
            (pinSet, lockedUntil) = (true, until)
        }
        guard name != nil || !earned.isEmpty || pinSet else { return nil }
        let balance =
            earned.map(\.amount).reduce(0, +) - spent.map { $0.redeemed - $0.voided }.reduce(0, +)
        return HouseholdStatement(
            card: card, name: name, blocked: blocked, balance: balance, earned: earned, spent: spent, pinSet: pinSet,
            lockedUntilMs: lockedUntil)
    }
}
