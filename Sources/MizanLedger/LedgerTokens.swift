import Crypto
import Foundation
import GRDB
import MizanCore

/// A cooperative's access token as the ledger keeps it: never the token
/// itself, only its hash.
public struct CooperativeToken: Sendable, Codable, Equatable {
    public let id: Int64
    public let cooperative: String
    public let createdAt: Int64
    public let createdBy: String
    public let revokedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, cooperative, createdAt = "created_at_ms", createdBy = "created_by", revokedAt = "revoked_at_ms"
    }
}

extension Ledger {
    /// The hash a token is kept and looked up by.
    public static func tokenHash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }

    /// Creates a token for `cooperative` and returns it: the only time it
    /// is ever seen. Audited.
    public func createCooperativeToken(
        cooperative: String, actor: String, at clock: LedgerClockReading
    ) throws(LedgerError) -> (id: Int64, token: String) {
        let token = SecretToken.make(prefix: "mzn_")
        let operation = "creating a token for \(cooperative)"
        if let problem = FreeText.problem(with: cooperative, as: "the cooperative's name", limits: FreeText.name) {
            throw LedgerError.refused(operation, problem)
        }
        let id = try write(operation) { db in
            let stamp = try stamp(db, clock)
            try db.execute(
                sql:
                    "INSERT INTO cooperative_tokens (cooperative, token_hash, created_at_ms, created_by) VALUES (?, ?, ?, ?)",
                arguments: [cooperative, Data(Self.tokenHash(token)), stamp.recorded, actor]
            )
            let id = db.lastInsertedRowID
            try appendAudit(
                db, kind: .configuration, actor: actor,
                summary: "HTTP token \(id) created for cooperative \(cooperative)",
                before: nil, after: "{\"token\":\(id),\"cooperative\":\"\(cooperative)\"}", stamp: stamp
            )
            return id
        }
        return (id, token)
    }

    /// Revokes every active token of `cooperative`; returns how many. Audited.
    @discardableResult
    public func revokeCooperativeTokens(
        cooperative: String, actor: String, at clock: LedgerClockReading
    ) throws(LedgerError) -> Int {
        let operation = "revoking the tokens of \(cooperative)"
        return try write(operation) { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM cooperative_tokens WHERE cooperative = ? AND revoked_at_ms IS NULL",
                arguments: [cooperative])
            guard !ids.isEmpty else { throw LedgerError.notFound(operation, "\(cooperative) has no active token") }
            let stamp = try stamp(db, clock)
            for id in ids {
                try db.execute(
                    sql: "UPDATE cooperative_tokens SET revoked_at_ms = ? WHERE id = ?",
                    arguments: [stamp.recorded, id])
                try appendAudit(
                    db, kind: .configuration, actor: actor,
                    summary: "HTTP token \(id) of cooperative \(cooperative) revoked",
                    before: "{\"token\":\(id),\"revoked\":false}", after: "{\"token\":\(id),\"revoked\":true}",
                    stamp: stamp
                )
            }
            return ids.count
        }
    }

    public func cooperativeTokens() throws(LedgerError) -> [CooperativeToken] {
        try read("listing the cooperatives' tokens") { db in
            guard try db.tableExists("cooperative_tokens") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT * FROM cooperative_tokens ORDER BY id").map(Self.token)
        }
    }

    /// The cooperative an active token belongs to, or nil.
    public func cooperative(forToken token: String) throws(LedgerError) -> String? {
        try read("checking a token") { db in
            guard try db.tableExists("cooperative_tokens") else { return nil }
            return try String.fetchOne(
                db, sql: "SELECT cooperative FROM cooperative_tokens WHERE token_hash = ? AND revoked_at_ms IS NULL",
                arguments: [Data(Self.tokenHash(token))]
            )
        }
    }

    private static func token(_ row: Row) -> CooperativeToken {
        CooperativeToken(
            id: row["id"], cooperative: row["cooperative"], createdAt: row["created_at_ms"],
            createdBy: row["created_by"], revokedAt: row["revoked_at_ms"])
    }
}
