import Foundation
public import MizanCore
import MizanLedger
import PostgresNIO

/// What the municipality owes a cooperative for a period: every receipt
/// (redemptions and voids) of its local days `from`…`to`, their sums, and
/// the redemptions' chain head at the end of the last receipt — a saved
/// report whose head no longer checks (`mizan-hub verify --against`) was
/// rewritten after it was saved. Schema "mizan.settlement.v1".
public struct Settlement: Sendable, Codable, Equatable {
    public static let schema = "mizan.settlement.v1"

    public var schema = Settlement.schema
    public let cooperative: String
    public let from: String
    public let to: String
    public let receipts: [Receipt]
    public let redeemed: Int64
    public let voided: Int64
    /// Redeemed less voided: what the municipality pays.
    public let net: Int64
    public let chainHead: SettlementHead?

    public struct SettlementHead: Sendable, Codable, Equatable {
        public let seq: Int64
        public let hash: String
    }

    enum CodingKeys: String, CodingKey {
        case schema, cooperative, from, to, receipts, redeemed, voided, net, chainHead = "chain_head"
    }

    /// UTF-8 with a byte-order mark: a row per receipt, then the total with the chain head.
    public var csv: String {
        var lines = [CSVField.record(["seq", "kind", "local_day", "cashier", "card_uid", "amount", "voids", "hash"])]
        for receipt in receipts {
            lines.append(
                CSVField.record([
                    String(receipt.seq), receipt.kind, receipt.localDay, receipt.cashier, receipt.card,
                    String(receipt.amount), receipt.voids.map(String.init) ?? "", receipt.hash,
                ]))
        }
        lines.append(CSVField.record(["total", "net", "\(from)…\(to)", cooperative, "", String(net), "", ""]))
        lines.append(
            CSVField.record([
                "chain_head", chainHead.map { String($0.seq) } ?? "", "", "", "", "", "", chainHead?.hash ?? "",
            ]))
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension HubStore {
    public func settlement(cooperative: String, from: LocalDay, to: LocalDay) async throws -> Settlement {
        let logger = logger
        let receipts = try await client.withConnection { connection in
            try await Self.receipts(
                connection, logger,
                """
                SELECT \(unescaped: Self.receiptColumns) FROM redemptions
                WHERE cooperative = \(cooperative) AND local_day BETWEEN \(from.description)::date AND \(to.description)::date
                ORDER BY seq
                """)
        }
        let redeemed = receipts.filter { $0.kind == "redemption" }.map(\.amount).reduce(0, +)
        let voided = receipts.filter { $0.kind == "void" }.map(\.amount).reduce(0, +)
        return Settlement(
            cooperative: cooperative, from: from.description, to: to.description, receipts: receipts,
            redeemed: redeemed, voided: voided, net: redeemed - voided,
            chainHead: receipts.last.map { Settlement.SettlementHead(seq: $0.seq, hash: $0.hash) })
    }

    /// The redemptions checked from the first: each row's hash from its
    /// fields and the previous hash, the head where the chain ends, every
    /// void the same amount and cooperative as what it voids, and no card
    /// ever spending more than the kiosks had pushed for it. `against`: a
    /// saved settlement's head, which must still be in the chain.
    public func verifyRedemptions(against saved: Settlement.SettlementHead? = nil) async throws -> [String] {
        var problems: [String] = []
        var previous = RedemptionChain.genesis
        var last: Int64 = 0
        var byHash: [Int64: String] = [:]
        var rows: [Int64: (kind: String, cooperative: String, amount: Int64)] = [:]
        var spent: [String: Int64] = [:]
        for try await row in try await client.query(
            """
            SELECT seq, kind, idempotency_key, cooperative, cashier, card_uid, amount, debit_account, credit_account,
              voids, recorded_at_ms, local_day::text, prev_hash, hash FROM redemptions ORDER BY seq
            """, logger: logger
        ).decode(
            (
                Int64, String, String, String, String, String, Int64, String, String, Int64?, Int64, String, String,
                String
            )
            .self)
        {
            let (seq, kind, key, cooperative, cashier, card, amount, debit, credit, voids, recorded, day, prev, hash) =
                row
            if seq != last + 1 { problems.append("redemption \(last + 1) is missing (next is \(seq))") }
            if prev != previous { problems.append("redemption \(seq) does not follow \(seq - 1)") }
            let expected = RedemptionChain.hash(
                previous: prev,
                canonical: RedemptionChain.canonical(
                    seq: seq, kind: kind, key: key, cooperative: cooperative, cashier: cashier, card: card,
                    amount: amount, debit: debit, credit: credit, voids: voids, recordedAtMs: recorded,
                    localDay: day))
            if expected != hash { problems.append("redemption \(seq) does not match its hash (rewritten)") }
            if let voids {
                let original = rows[voids]
                if original?.kind != "redemption" || original?.amount != amount
                    || original?.cooperative != cooperative
                {
                    problems.append("void \(seq) does not reverse redemption \(voids)")
                }
            }
            spent[card, default: 0] += kind == "redemption" ? amount : -amount
            rows[seq] = (kind, cooperative, amount)
            byHash[seq] = hash
            (previous, last) = (hash, seq)
        }
        for try await (seq, hash) in try await client.query("SELECT seq, hash FROM redemption_head", logger: logger)
            .decode((Int64, String).self)
        where seq != last || hash != previous {
            problems.append("the chain's head says \(seq) but the chain ends at \(last)")
        }
        for try await (card, earned) in try await client.query(
            """
            SELECT card_uid, sum(CASE WHEN credit_account LIKE 'household:%' THEN amount ELSE -amount END)::bigint
            FROM entries WHERE card_uid IS NOT NULL GROUP BY card_uid
            """, logger: logger
        ).decode((String, Int64).self) {
            if let out = spent.removeValue(forKey: card), out > earned {
                problems.append("card \(card) spent \(out) of \(earned) earned")
            }
        }
        for (card, out) in spent where out > 0 { problems.append("card \(card) spent \(out) and earned nothing") }
        if let saved, byHash[saved.seq] != saved.hash {
            problems.append("the saved report's head (redemption \(saved.seq)) is not in the chain: rewritten")
        }
        return problems
    }
}
