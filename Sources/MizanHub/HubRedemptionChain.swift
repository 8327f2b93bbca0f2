import Crypto
import Foundation
import MizanCore
import MizanLedger
import PostgresNIO

/// A redemption or a void about to be appended to the chain.
struct RedemptionRow {
    let kind: String
    let key: String
    let cashier: Cashier
    let card: String
    let amount: Int64
    let voids: Int64?
    let recordedAtMs: Int64
    let localDay: LocalDay

    var debitAccount: String { kind == "void" ? "cooperative:\(cashier.cooperative)" : "household:\(card)" }
    var creditAccount: String { kind == "void" ? "household:\(card)" : "cooperative:\(cashier.cooperative)" }
}

/// The redemptions are hash-chained like a kiosk's journal: each row's hash
/// covers the previous row's hash and the row's fields, so a settlement
/// report that saved a row's hash detects a rewrite of anything up to it.
enum RedemptionChain {
    static let genesis = String(repeating: "0", count: 64)

    /// The fields a row's hash covers, in order, separated by a byte none of
    /// them may contain.
    static func canonical(
        seq: Int64, kind: String, key: String, cooperative: String, cashier: String, card: String, amount: Int64,
        debit: String, credit: String, voids: Int64?, recordedAtMs: Int64, localDay: String
    ) -> String {
        [
            String(seq), kind, key, cooperative, cashier, card, String(amount), debit, credit,
            voids.map(String.init) ?? "", String(recordedAtMs), localDay,
        ].joined(separator: "\u{1F}")
    }

    static func hash(previous: String, canonical: String) -> String {
        ChainHash.hex(Data(SHA256.hash(data: Data((previous + "\n" + canonical).utf8))))
    }
}

extension HubStore {
    static func lockHead(_ connection: PostgresConnection, _ logger: Logger) async throws -> (seq: Int64, hash: String)
    {
        for try await (seq, hash) in try await connection.query(
            "SELECT seq, hash FROM redemption_head FOR UPDATE", logger: logger
        ).decode((Int64, String).self) {
            return (seq, hash)
        }
        throw HubError("the redemptions' chain head is missing (mizan-hub migrate)")
    }

    /// What a card may spend: the credit the kiosks pushed for it, less what
    /// it redeemed, plus what was voided.
    static func balance(_ connection: PostgresConnection, _ logger: Logger, card: String) async throws -> Int64 {
        for try await balance in try await connection.query(
            """
            SELECT coalesce((SELECT sum(CASE WHEN credit_account LIKE 'household:%' THEN amount ELSE -amount END)
                             FROM entries WHERE card_uid = \(card)), 0)::bigint
              - coalesce((SELECT sum(CASE WHEN kind = 'redemption' THEN amount ELSE -amount END)
                          FROM redemptions WHERE card_uid = \(card)), 0)::bigint
            """, logger: logger
        ).decode(Int64.self) {
            return balance
        }
        return 0
    }

    static func append(
        _ connection: PostgresConnection, _ logger: Logger, head: (seq: Int64, hash: String), _ row: RedemptionRow
    ) async throws -> Receipt {
        let seq = head.seq + 1
        let day = row.localDay.description
        let hash = RedemptionChain.hash(
            previous: head.hash,
            canonical: RedemptionChain.canonical(
                seq: seq, kind: row.kind, key: row.key, cooperative: row.cashier.cooperative, cashier: row.cashier.id,
                card: row.card, amount: row.amount, debit: row.debitAccount, credit: row.creditAccount,
                voids: row.voids, recordedAtMs: row.recordedAtMs, localDay: day))
        try await connection.query(
            """
            INSERT INTO redemptions (seq, kind, idempotency_key, cooperative, cashier, card_uid, amount, debit_account,
              credit_account, voids, recorded_at_ms, local_day, prev_hash, hash)
            VALUES (\(seq), \(row.kind), \(row.key), \(row.cashier.cooperative), \(row.cashier.id), \(row.card),
              \(row.amount), \(row.debitAccount), \(row.creditAccount), \(row.voids), \(row.recordedAtMs),
              \(day)::date, \(head.hash), \(hash))
            """, logger: logger)
        try await connection.query("UPDATE redemption_head SET seq = \(seq), hash = \(hash)", logger: logger)
        return Receipt(
            seq: seq, kind: row.kind, cooperative: row.cashier.cooperative, cashier: row.cashier.id, card: row.card,
            amount: row.amount, voids: row.voids, recordedAtMs: row.recordedAtMs, localDay: day, hash: hash)
    }

    static let receiptColumns =
        "seq, kind, cooperative, cashier, card_uid, amount, voids, recorded_at_ms, local_day::text, hash"

    static func receipts(
        _ connection: PostgresConnection, _ logger: Logger, _ query: PostgresQuery
    ) async throws
        -> [Receipt]
    {
        var all: [Receipt] = []
        for try await (seq, kind, cooperative, cashier, card, amount, voids, recorded, day, hash)
            in try await connection
            .query(query, logger: logger)
            .decode((Int64, String, String, String, String, Int64, Int64?, Int64, String, String).self)
        {
            all.append(
                Receipt(
                    seq: seq, kind: kind, cooperative: cooperative, cashier: cashier, card: card, amount: amount,
                    voids: voids, recordedAtMs: recorded, localDay: day, hash: hash))
        }
        return all
    }

    static func receipt(_ connection: PostgresConnection, _ logger: Logger, seq: Int64) async throws -> Receipt? {
        try await receipts(
            connection, logger,
            "SELECT \(unescaped: receiptColumns) FROM redemptions WHERE seq = \(seq)"
        ).first
    }

    static func receipt(_ connection: PostgresConnection, _ logger: Logger, key: String) async throws -> Receipt? {
        try await receipts(
            connection, logger,
            "SELECT \(unescaped: receiptColumns) FROM redemptions WHERE idempotency_key = \(key)"
        ).first
    }

    static func audit(
        _ connection: PostgresConnection, _ logger: Logger, _ cashier: Cashier, _ action: String, card: String?,
        detail: String
    ) async throws {
        try await connection.query(
            """
            INSERT INTO desk_audit (cashier, cooperative, action, card_uid, detail)
            VALUES (\(cashier.id), \(cashier.cooperative), \(action), \(card), \(detail))
            """, logger: logger)
    }
}
