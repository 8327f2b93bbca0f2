import Foundation
import GRDB
public import MizanCore

public enum HouseholdStatus: String, Sendable, Codable {
    case active
    case blocked
}

public struct Household: Sendable, Codable, Equatable {
    public let id: HouseholdID
    public let card: CardUID
    public let name: String
    public let status: HouseholdStatus
    public let registeredAt: WallClockTime

    enum CodingKeys: String, CodingKey {
        case id, card = "card_uid", name, status, registeredAt = "registered_at_ms"
    }
}

extension Ledger {
    /// Registers a household's card. Audited.
    @discardableResult
    public func registerHousehold(
        card: CardUID, name: String, actor: String, at clock: LedgerClockReading
    ) throws(LedgerError) -> Household {
        let operation = "registering card \(card)"
        return try write(operation) { db in
            try register(db, card: card, name: name, actor: actor, stamp: try stamp(db, clock), operation: operation)
        }
    }

    /// Registers many households in one transaction: all of them, or (on
    /// any refusal) none. Each is audited.
    @discardableResult
    public func registerHouseholds(
        _ households: [(card: CardUID, name: String)], actor: String, at clock: LedgerClockReading
    ) throws(LedgerError) -> [Household] {
        try write("registering \(households.count) households") { db in
            let stamp = try stamp(db, clock)
            return try households.map { household in
                try register(
                    db, card: household.card, name: household.name, actor: actor, stamp: stamp,
                    operation: "registering card \(household.card)")
            }
        }
    }

    private func register(
        _ db: Database, card: CardUID, name: String, actor: String, stamp: LedgerTimestamp, operation: String
    ) throws -> Household {
        if let problem = FreeText.problem(with: name, as: "the name", limits: FreeText.name) {
            throw LedgerError.refused(operation, problem)
        }
        if try Int64.fetchOne(db, sql: "SELECT id FROM households WHERE card_uid = ?", arguments: [card.hex]) != nil {
            throw LedgerError.refused(operation, "card \(card) is already registered")
        }
        try db.execute(
            sql: "INSERT INTO households (card_uid, name, status, registered_at_ms) VALUES (?, ?, 'active', ?)",
            arguments: [card.hex, name, stamp.recorded]
        )
        let household = Household(
            id: HouseholdID(db.lastInsertedRowID), card: card, name: name, status: .active,
            registeredAt: WallClockTime(millisecondsSinceEpoch: stamp.recorded)
        )
        try appendAudit(
            db, kind: .household, actor: actor, summary: "registered card \(card) for \(name)",
            before: nil, after: "{\"card_uid\":\"\(card.hex)\",\"status\":\"active\"}", stamp: stamp
        )
        return household
    }

    /// Blocks or unblocks a card. Audited with the status before and after.
    public func setHouseholdStatus(
        card: CardUID, to status: HouseholdStatus, actor: String, at clock: LedgerClockReading
    ) throws(LedgerError) {
        let operation = "setting card \(card) to \(status.rawValue)"
        try write(operation) { db in
            guard
                let current = try String.fetchOne(
                    db, sql: "SELECT status FROM households WHERE card_uid = ?", arguments: [card.hex])
            else {
                throw LedgerError.notFound(operation, "card \(card) is not registered")
            }
            guard current != status.rawValue else { return }
            let stamp = try stamp(db, clock)
            try db.execute(
                sql: "UPDATE households SET status = ? WHERE card_uid = ?", arguments: [status.rawValue, card.hex])
            try appendAudit(
                db, kind: .household, actor: actor,
                summary: "card \(card) \(status == .blocked ? "blocked" : "unblocked")",
                before: "{\"status\":\"\(current)\"}", after: "{\"status\":\"\(status.rawValue)\"}", stamp: stamp
            )
        }
    }

    public func households() throws(LedgerError) -> [Household] {
        try read("listing households") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM households ORDER BY id").compactMap(Self.household(from:))
        }
    }

    public func household(card: CardUID) throws(LedgerError) -> Household? {
        try read("looking up card \(card)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM households WHERE card_uid = ?", arguments: [card.hex]).flatMap(
                Self.household(from:))
        }
    }

    static func household(from row: Row) -> Household? {
        guard let card = CardUID(row["card_uid"] as String),
            let status = HouseholdStatus(rawValue: row["status"])
        else { return nil }
        return Household(
            id: HouseholdID(row["id"]), card: card, name: row["name"], status: status,
            registeredAt: WallClockTime(millisecondsSinceEpoch: row["registered_at_ms"])
        )
    }

    /// What the kiosk needs to know about a tapped card: unknown, blocked,
    /// or active with its carried remainder and what it earned today.
    public func lookup(card: CardUID, at clock: LedgerClockReading) throws(LedgerError) -> CardLookup {
        let interval = calendar.interval(of: calendar.day(of: clock.wall))
        return try read("looking up card \(card)") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, status FROM households WHERE card_uid = ?", arguments: [card.hex])
            else {
                return .unknown
            }
            let id = HouseholdID(row["id"])
            guard row["status"] as String == HouseholdStatus.active.rawValue else { return .blocked(id) }
            let carry =
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT carry_out FROM deposits
                        WHERE household_id = ? AND reason IN ('credited', 'capped')
                        ORDER BY recorded_at_ms DESC, sequence DESC LIMIT 1
                        """, arguments: [id.rawValue]) ?? 0
            let usage = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(credit), 0) AS credit, COALESCE(SUM(credited_g), 0) AS grams FROM deposits
                    WHERE household_id = ? AND recorded_at_ms >= ? AND recorded_at_ms < ?
                    """, arguments: [id.rawValue, interval.start, interval.end])
            return .active(
                HouseholdAccount(
                    id: id,
                    card: card,
                    carry: CreditCarry(thousandths: carry) ?? .zero,
                    usageToday: DailyUsage(creditMinorUnits: usage?["credit"] ?? 0, grams: usage?["grams"] ?? 0)
                ))
        }
    }
}
