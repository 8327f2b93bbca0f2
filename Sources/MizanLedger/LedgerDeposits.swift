import Foundation
import GRDB
public import MizanCore

/// The ledger's answer to a deposit commit.
public struct DepositCommit: Sendable, Equatable {
    public let id: DepositID
    /// Its link in the journal chain.
    public let journalSeq: Int64
    public let recordedAt: WallClockTime
    public let credit: Int64
    /// True when the deposit was already in the ledger: nothing was written,
    /// and this is the first commit's result.
    public let alreadyCommitted: Bool
}

public struct Reversal: Sendable, Equatable {
    public let deposit: String
    public let entryID: Int64
    public let amount: Int64
    public let household: HouseholdID
}

extension Ledger {
    static let issuerAccount = "issuer"

    static func account(of household: HouseholdID) -> String {
        "household:\(household.rawValue)"
    }

    /// Commits one decided deposit, credited or not, in one transaction:
    /// the deposit row, and for a credit the double entry issuer → household
    /// and both balances, each chained. The same id twice is a no-op that
    /// returns the first result.
    @discardableResult
    public func commitDeposit(
        _ record: DepositRecord, at clock: LedgerClockReading
    ) throws(LedgerError) -> DepositCommit {
        try write("committing deposit \(record.id)") { db in
            try commit(db, record, clock: clock)
        }
    }

    /// Commits many decided deposits in one transaction: all or none (for
    /// replaying a trace, or importing another kiosk's records).
    @discardableResult
    public func commitDeposits(
        _ records: [DepositRecord], at clock: LedgerClockReading
    ) throws(LedgerError) -> [DepositCommit] {
        try write("committing \(records.count) deposits") { db in
            try records.map { try commit(db, $0, clock: clock) }
        }
    }

    private func commit(_ db: Database, _ record: DepositRecord, clock: LedgerClockReading) throws -> DepositCommit {
        let operation = "committing deposit \(record.id)"
        let values = Self.depositValues(record)
        if let existing = try cachedRow(
            db,
            """
            SELECT d.*, j.seq AS journal_seq FROM deposits d
            JOIN journal j ON j.kind = 'deposit' AND j.subject = d.id WHERE d.id = ?
            """, [record.id.description])
        {
            // The same id with other content is a second writer (or a
            // reused sequence): a fork, never an idempotent success.
            let differing = zip(TableColumns.deposits, values).filter { column, value in
                column != "recorded_at_ms" && existing[column] as DatabaseValue != value
            }.map(\.0)
            guard differing.isEmpty else {
                throw LedgerError(
                    kind: .fork, operation: operation,
                    message:
                        "deposit \(record.id) is already in the ledger with other content (\(differing.joined(separator: ", "))): another writer committed the same id"
                )
            }
            return DepositCommit(
                id: record.id, journalSeq: existing["journal_seq"],
                recordedAt: WallClockTime(millisecondsSinceEpoch: existing["recorded_at_ms"]),
                credit: existing["credit"], alreadyCommitted: true
            )
        }
        guard record.currencyCode == currency.code else {
            throw LedgerError.refused(operation, "deposit is in \(record.currencyCode), the ledger in \(currency.code)")
        }
        if record.credit > 0, record.household == nil {
            throw LedgerError.refused(operation, "a credit needs a household")
        }
        var stamp = try stamp(db, clock)
        var row = values
        row[row.count - 1] = stamp.recorded.databaseValue
        let content = try insert(db, into: "deposits", columns: TableColumns.deposits, values: row)
        let seq = try appendJournal(db, kind: .deposit, subject: record.id.description, content: content, stamp: &stamp)
        if record.credit > 0, let household = record.household {
            try appendEntry(
                db, kind: "credit", deposit: record.id.description, reverses: nil,
                debit: Self.issuerAccount, credit: Self.account(of: household), amount: record.credit,
                memo:
                    "\(record.creditedGrams.value) g \(record.material) at \(record.ratePerKilogram ?? 0)/kg (prices v\(record.priceVersion ?? 0))",
                actor: "mizan", stamp: &stamp
            )
        }
        return DepositCommit(
            id: record.id, journalSeq: seq, recordedAt: WallClockTime(millisecondsSinceEpoch: stamp.recorded),
            credit: record.credit, alreadyCommitted: false
        )
    }

    /// The deposit's row in `TableColumns.deposits` order; the last value,
    /// the time it is recorded, is filled in by the commit.
    static func depositValues(_ record: DepositRecord) -> [DatabaseValue] {
        [
            record.id.description.databaseValue, record.id.kioskID.databaseValue, record.id.sequence.databaseValue,
            record.session?.description.databaseValue ?? .null, record.household?.rawValue.databaseValue ?? .null,
            record.bin.rawValue.databaseValue, record.material.rawValue.databaseValue,
            record.binsOpened.map(\.rawValue).joined(separator: ",").databaseValue,
            record.baseline?.value.databaseValue ?? .null, record.final?.value.databaseValue ?? .null,
            record.net?.value.databaseValue ?? .null, record.creditedGrams.value.databaseValue,
            record.priceVersion?.databaseValue ?? .null, record.ratePerKilogram?.databaseValue ?? .null,
            record.credit.databaseValue, record.currencyCode.databaseValue,
            record.carryIn.thousandths.databaseValue, record.carryOut.thousandths.databaseValue,
            record.reason.rawValue.databaseValue, DatabaseValue.null,
        ]
    }

    /// Reverses a deposit's credit with a new entry household → issuer.
    /// Refused for a deposit that earned nothing or was reversed already.
    /// Audited with who did it and why.
    @discardableResult
    public func reverseDeposit(
        _ depositID: String, reason: String, actor: String, at clock: LedgerClockReading
    ) throws(LedgerError) -> Reversal {
        let operation = "reversing deposit \(depositID)"
        if let problem = FreeText.problem(with: reason, as: "the reason", limits: FreeText.reason) {
            throw LedgerError.refused(operation, problem)
        }
        return try write(operation) { db in
            guard try cachedInt(db, "SELECT 1 FROM deposits WHERE id = ?", [depositID]) != nil else {
                throw LedgerError.notFound(operation, "no deposit \(depositID)")
            }
            guard
                let credit = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, amount, credit_account FROM entries WHERE deposit_id = ? AND kind = 'credit'
                        """, arguments: [depositID])
            else {
                throw LedgerError.refused(
                    operation, "deposit \(depositID) earned no credit: there is nothing to reverse")
            }
            let creditID: Int64 = credit["id"]
            if let previous = try Int64.fetchOne(
                db, sql: "SELECT id FROM entries WHERE reverses_entry = ?", arguments: [creditID])
            {
                throw LedgerError.refused(operation, "deposit \(depositID) was already reversed by entry \(previous)")
            }
            let account: String = credit["credit_account"]
            let amount: Int64 = credit["amount"]
            guard let household = Int64(account.dropFirst("household:".count)) else {
                throw LedgerError(kind: .corrupt, operation: operation, message: "entry \(creditID) credits \(account)")
            }
            var stamp = try stamp(db, clock)
            let entryID = try appendEntry(
                db, kind: "reversal", deposit: depositID, reverses: creditID, debit: account,
                credit: Self.issuerAccount,
                amount: amount, memo: reason, actor: actor, stamp: &stamp
            )
            try appendAudit(
                db, kind: .reversal, actor: actor, summary: "reversed deposit \(depositID): \(reason)",
                before: "{\"entry\":\(creditID),\"amount\":\(amount)}",
                after: "{\"entry\":\(entryID),\"amount\":\(-amount)}",
                stamp: stamp
            )
            return Reversal(deposit: depositID, entryID: entryID, amount: amount, household: HouseholdID(household))
        }
    }

    @discardableResult
    private func appendEntry(
        _ db: Database, kind: String, deposit: String, reverses: Int64?, debit: String, credit: String, amount: Int64,
        memo: String, actor: String, stamp: inout LedgerTimestamp
    ) throws -> Int64 {
        var values: [DatabaseValue] = [
            DatabaseValue.null, kind.databaseValue, deposit.databaseValue, reverses?.databaseValue ?? .null,
            debit.databaseValue, credit.databaseValue, amount.databaseValue, currency.code.databaseValue,
            memo.databaseValue, actor.databaseValue, stamp.recorded.databaseValue,
        ]
        try insert(db, into: "entries", columns: TableColumns.entries, values: values)
        let id = db.lastInsertedRowID
        values[0] = id.databaseValue
        let content = CanonicalRow.encode(table: "entries", columns: TableColumns.entries, values: values)
        try appendJournal(db, kind: .entry, subject: String(id), content: content, stamp: &stamp)
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO balances (account, balance) VALUES (?, ?)
                ON CONFLICT(account) DO UPDATE SET balance = balance + excluded.balance
                """)
        try upsert.execute(arguments: [debit, -amount])
        try upsert.execute(arguments: [credit, amount])
        return id
    }

    /// A household's balance as the balances table holds it.
    public func balance(of household: HouseholdID) throws(LedgerError) -> Int64 {
        try read("reading the balance of \(household)") { db in
            try Int64.fetchOne(
                db, sql: "SELECT balance FROM balances WHERE account = ?", arguments: [Self.account(of: household)])
                ?? 0
        }
    }
}
