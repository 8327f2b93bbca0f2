import Crypto
import Foundation
import MizanCore
import PostgresNIO

/// What the municipality's administrator does for the desk (an
/// administrator's connection: the service's login cannot): cooperatives,
/// their cashiers' logins, households' PINs.
extension HubStore {
    public func addCooperative(id: String, name: String) async throws {
        try await client.query("INSERT INTO cooperatives (id, name) VALUES (\(id), \(name))", logger: logger)
    }

    /// A cashier's login: the token is shown once; the hub keeps its SHA-256.
    public func addCashier(id: String, cooperative: String) async throws -> String {
        let token = SecretToken.make(prefix: "mzc_")
        let digest = Data(SHA256.hash(data: Data(token.utf8)))
        try await client.query(
            "INSERT INTO cashiers (id, cooperative, token_sha256) VALUES (\(id), \(cooperative), \(digest))",
            logger: logger)
        return token
    }

    /// Returns false when there is no such cashier still able to log in.
    public func revokeCashier(id: String) async throws -> Bool {
        var revoked = false
        for try await _ in try await client.query(
            "UPDATE cashiers SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
            logger: logger
        ).decode(String.self) {
            revoked = true
        }
        return revoked
    }

    /// Sets (or replaces) a household's PIN; clears a lock.
    public func setPIN(card: String, pin: String, logRounds: Int = PINHash.defaultLogRounds) async throws {
        guard let card = CardUID(card)?.hex else { throw HubError("\(card) is not a card UID (hex digits)") }
        guard PINHash.isAcceptable(pin) else { throw HubError("a PIN is 4 to 8 digits") }
        let hash = try PINHash.make(pin, logRounds: logRounds)
        try await client.query(
            """
            INSERT INTO household_pins (card_uid, pin_hash) VALUES (\(card), \(hash))
            ON CONFLICT (card_uid) DO UPDATE SET pin_hash = excluded.pin_hash, failures = 0, locked_until = NULL,
              set_at = now()
            """, logger: logger)
    }
}
