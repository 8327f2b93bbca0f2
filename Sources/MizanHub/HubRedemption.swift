import Crypto
import Foundation
import MizanCore
import MizanLedger
import PostgresNIO

/// A cooperative's cashier, as their token names them.
public struct Cashier: Sendable, Equatable {
    public let id: String
    public let cooperative: String
}

/// One row of the redemptions' chain: a redemption (household → cooperative)
/// or the void of one (the reverse), as a receipt shows it.
public struct Receipt: Sendable, Codable, Equatable {
    public let seq: Int64
    public let kind: String
    public let cooperative: String
    public let cashier: String
    public let card: String
    public let amount: Int64
    public let voids: Int64?
    public let recordedAtMs: Int64
    public let localDay: String
    public let hash: String

    enum CodingKeys: String, CodingKey {
        case seq, kind, cooperative, cashier, card = "card_uid", amount, voids, recordedAtMs = "recorded_at_ms"
        case localDay = "local_day", hash
    }
}

/// What the desk made of a redemption or a void.
public enum DeskOutcome: Sendable, Equatable {
    case done(Receipt)
    /// The same idempotency key came again for the same thing: the first
    /// receipt, nothing debited twice.
    case repeated(Receipt)
    case refused(DeskRefusal)
}

public enum DeskRefusal: Sendable, Equatable {
    case noPIN
    case wrongPIN(attemptsLeft: Int)
    case locked(untilMs: Int64)
    case blocked
    case insufficient(balance: Int64)
    case keyReused
    case notFound
    case notYours
    case notToday
    case alreadyVoided
    case badRequest(String)
}

extension HubStore {
    /// Wrong PINs in a row before a card's redemption is locked, and for how long.
    public static let pinAttempts = 3
    public static let pinLock: Duration = .seconds(15 * 60)

    public func cashier(forToken token: String) async throws -> Cashier? {
        let digest = Data(SHA256.hash(data: Data(token.utf8)))
        for try await (id, cooperative) in try await client.query(
            "SELECT id, cooperative FROM cashiers WHERE token_sha256 = \(digest) AND revoked_at IS NULL",
            logger: logger
        ).decode((String, String).self) {
            return Cashier(id: id, cooperative: cooperative)
        }
        return nil
    }

    /// Debits `amount` from the household with `card` to the cashier's
    /// cooperative, once per `key`, after its PIN: never below what the
    /// kiosks have pushed for it, whoever else redeems at the same moment
    /// (the card's row, then the chain's head, are locked in turn).
    public func redeem(
        by cashier: Cashier, card: String, amount: Int64, pin: String, key: String
    ) async throws
        -> DeskOutcome
    {
        guard amount > 0 else { return .refused(.badRequest("the amount must be more than zero")) }
        guard Self.isIdempotencyKey(key) else { return .refused(.badRequest("a request key of 8–100 letters")) }
        let calendar = try await villageCalendar()
        let logger = logger
        let outcome: DeskOutcome = try await client.withTransaction(logger: logger) { connection in
            var stored: (hash: String, failures: Int, lockedUntil: Int64?)?
            for try await row in try await connection.query(
                """
                SELECT pin_hash, failures, (extract(epoch FROM locked_until) * 1000)::bigint FROM household_pins
                WHERE card_uid = \(card) FOR UPDATE
                """, logger: logger
            ).decode((String, Int, Int64?).self) {
                stored = (row.0, row.1, row.2)
            }
            if let earlier = try await Self.receipt(connection, logger, key: key) {
                let same =
                    earlier.kind == "redemption" && earlier.cashier == cashier.id && earlier.card == card
                    && earlier.amount == amount
                return same ? .repeated(earlier) : .refused(.keyReused)
            }
            guard let stored else { return .refused(.noPIN) }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            if let until = stored.lockedUntil, until > now { return .refused(.locked(untilMs: until)) }
            guard PINHash.matches(pin, stored.hash) else {
                let failures = stored.failures + 1
                let lock = failures >= Self.pinAttempts
                try await connection.query(
                    """
                    UPDATE household_pins SET failures = \(lock ? 0 : failures),
                      locked_until = CASE WHEN \(lock) THEN now() + make_interval(secs => \(Double(Self.pinLock.components.seconds))) ELSE NULL END
                    WHERE card_uid = \(card)
                    """, logger: logger)
                try await Self.audit(
                    connection, logger, cashier, "wrong_pin", card: card,
                    detail: lock ? "locked for \(Self.pinLock.components.seconds / 60) minutes" : "attempt \(failures)")
                if lock { return .refused(.locked(untilMs: now + Int64(Self.pinLock.components.seconds) * 1000)) }
                return .refused(.wrongPIN(attemptsLeft: Self.pinAttempts - failures))
            }
            if stored.failures > 0 || stored.lockedUntil != nil {
                try await connection.query(
                    "UPDATE household_pins SET failures = 0, locked_until = NULL WHERE card_uid = \(card)",
                    logger: logger)
            }
            for try await blocked in try await connection.query(
                "SELECT blocked FROM household_names WHERE card_uid = \(card)", logger: logger
            ).decode(Bool.self) where blocked {
                try await Self.audit(connection, logger, cashier, "refused_blocked", card: card, detail: "\(amount)")
                return .refused(.blocked)
            }
            let head = try await Self.lockHead(connection, logger)
            let balance = try await Self.balance(connection, logger, card: card)
            guard amount <= balance else {
                try await Self.audit(
                    connection, logger, cashier, "refused_insufficient", card: card,
                    detail: "asked \(amount), balance \(balance)")
                return .refused(.insufficient(balance: balance))
            }
            let receipt = try await Self.append(
                connection, logger, head: head,
                RedemptionRow(
                    kind: "redemption", key: key, cashier: cashier, card: card, amount: amount, voids: nil,
                    recordedAtMs: now, localDay: calendar.day(of: WallClockTime(millisecondsSinceEpoch: now))))
            try await Self.audit(connection, logger, cashier, "redeem", card: card, detail: "receipt \(receipt.seq)")
            return .done(receipt)
        }
        return outcome
    }

    /// Voids the cashier's cooperative's redemption `seq` the same day it
    /// was made: a new, reversing row; the original stays as it was.
    public func void(by cashier: Cashier, seq: Int64, key: String) async throws -> DeskOutcome {
        guard Self.isIdempotencyKey(key) else { return .refused(.badRequest("a request key of 8–100 letters")) }
        let calendar = try await villageCalendar()
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection in
            let head = try await Self.lockHead(connection, logger)
            if let earlier = try await Self.receipt(connection, logger, key: key) {
                return earlier.kind == "void" && earlier.voids == seq ? .repeated(earlier) : .refused(.keyReused)
            }
            guard let original = try await Self.receipt(connection, logger, seq: seq), original.kind == "redemption"
            else { return .refused(.notFound) }
            guard original.cooperative == cashier.cooperative else { return .refused(.notYours) }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let today = calendar.day(of: WallClockTime(millisecondsSinceEpoch: now))
            guard original.localDay == today.description else { return .refused(.notToday) }
            for try await _ in try await connection.query(
                "SELECT seq FROM redemptions WHERE voids = \(seq)", logger: logger
            ).decode(Int64.self) {
                return .refused(.alreadyVoided)
            }
            let receipt = try await Self.append(
                connection, logger, head: head,
                RedemptionRow(
                    kind: "void", key: key, cashier: cashier, card: original.card, amount: original.amount,
                    voids: seq, recordedAtMs: now, localDay: today))
            try await Self.audit(
                connection, logger, cashier, "void", card: original.card, detail: "receipt \(seq) by \(receipt.seq)")
            return .done(receipt)
        }
    }

    public func receipt(seq: Int64) async throws -> Receipt? {
        let logger = logger
        return try await client.withConnection { try await Self.receipt($0, logger, seq: seq) }
    }

    static func isIdempotencyKey(_ key: String) -> Bool {
        (8...100).contains(key.utf8.count)
            && key.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0.isASCIIAlphanumeric }
    }

    /// The local calendar of the village (the first enrolled kiosk's zone).
    func villageCalendar() async throws -> LocalCalendar {
        var zone = LocalCalendar.defaultIdentifier
        for try await found in try await client.query(
            "SELECT time_zone FROM kiosks ORDER BY enrolled_at LIMIT 1", logger: logger
        ).decode(String.self) {
            zone = found
        }
        guard let calendar = LocalCalendar(identifier: zone) else {
            throw HubError("the village's time zone \(zone) is not known to this hub's zoneinfo")
        }
        return calendar
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }
}
