import Foundation
import GRDB
import Testing
@testable import MizanCore
@testable import MizanLedger

@Suite("Ledger: commits, entries and balances")
struct LedgerCommitTests {
    @Test func theFileIsDurableByConfiguration() throws {
        let directory = TemporaryDirectory()
        let (ledger, _, _) = try LedgerFixtures.ledger(in: directory)
        // The writer's connection is the one whose commits must be durable.
        let pragmas = try ledger.pool.writeWithoutTransaction { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(pragmas.0 == "wal")
        #expect(pragmas.1 == 2)  // FULL: the WAL is synced at every commit
        #expect(pragmas.2 == 1)
    }

    @Test func aCreditIsADoubleEntryFromTheIssuer() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        try ledger.recordSessionOpened(LedgerFixtures.session(1, household: a), at: LedgerFixtures.clock())
        let commit = try ledger.commitDeposit(
            LedgerFixtures.deposit(1, grams: 1_250, household: a, session: 1), at: LedgerFixtures.clock(plusSeconds: 5)
        )
        #expect(commit.credit == 375)
        #expect(!commit.alreadyCommitted)
        #expect(try ledger.balance(of: a) == 375)
        let issuer = try ledger.pool.read {
            try Int64.fetchOne($0, sql: "SELECT balance FROM balances WHERE account = 'issuer'")
        }
        #expect(issuer == -375)
        let report = try ledger.verify()
        #expect(report.ok, "\(report.problems)")
        #expect(report.journalLinks == 3)  // session, deposit, entry
    }

    @Test func committingTwiceIsANoOpThatReturnsTheFirstResult() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        let record = LedgerFixtures.deposit(7, grams: 2_000, household: a)
        let first = try ledger.commitDeposit(record, at: LedgerFixtures.clock())
        let second = try ledger.commitDeposit(record, at: LedgerFixtures.clock(plusSeconds: 60))
        #expect(second.alreadyCommitted)
        #expect(second.journalSeq == first.journalSeq)
        #expect(second.recordedAt == first.recordedAt)
        #expect(second.credit == first.credit)
        // Also after the file is closed and opened again.
        let reopened = try Ledger.open(path: directory.file("ledger.sqlite"), kioskID: LedgerFixtures.kioskID)
        #expect(try reopened.commitDeposit(record, at: LedgerFixtures.clock(plusSeconds: 120)).alreadyCommitted)
        #expect(try reopened.balance(of: a) == 600)
        let count = try reopened.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM deposits") }
        #expect(count == 1)
    }

    /// Two writers that took the same sequence: the second commit of the
    /// id with other content must fail, never come back as "already done".
    @Test func theSameIdWithOtherContentIsAForkNotASuccess() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, b) = try LedgerFixtures.ledger(in: directory)
        try ledger.commitDeposit(LedgerFixtures.deposit(8, grams: 2_000, household: a), at: LedgerFixtures.clock())
        for other in [
            LedgerFixtures.deposit(8, grams: 1_500, household: a),
            LedgerFixtures.deposit(8, grams: 2_000, household: b),
            LedgerFixtures.deposit(8, grams: 2_000, material: "metal", household: a),
        ] {
            do {
                try ledger.commitDeposit(other, at: LedgerFixtures.clock(plusSeconds: 5))
                Issue.record("a differing deposit 8 was taken as already committed")
            } catch {
                #expect(error.kind == .fork, "\(error)")
                #expect(error.description.contains("another writer"), "\(error)")
            }
        }
        #expect(try ledger.balance(of: a) == 600)
        #expect(try ledger.balance(of: b) == 0)
        #expect(try ledger.verify().ok)
    }

    @Test func anonymousAndRejectedDepositsAreRecordedWithoutEntries() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        try ledger.commitDeposit(
            LedgerFixtures.deposit(1, grams: 2_500, material: "organic"), at: LedgerFixtures.clock())
        try ledger.commitDeposit(
            LedgerFixtures.deposit(2, grams: 150, household: a, reason: .belowMinimum), at: LedgerFixtures.clock())
        let counts = try ledger.pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deposits"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries")
            )
        }
        #expect(counts.0 == 2)
        #expect(counts.1 == 0)
        #expect(try ledger.verify().ok)
    }

    @Test func aCreditWithoutAHouseholdIsRefused() throws {
        let directory = TemporaryDirectory()
        let (ledger, _, _) = try LedgerFixtures.ledger(in: directory)
        let record = LedgerFixtures.deposit(1, household: nil)
        let forged = DepositRecord(
            id: record.id, session: nil, household: nil, bin: record.bin, material: record.material,
            binsOpened: record.binsOpened, baseline: record.baseline, final: record.final, net: record.net,
            creditedGrams: Grams(1_000), priceVersion: 1, ratePerKilogram: 300, credit: 300, currencyCode: "XBZ",
            carryIn: .zero, carryOut: .zero, reason: .credited, lidOpenedAt: .origin, lidClosedAt: nil,
            decidedAt: .origin
        )
        #expect(throws: LedgerError.self) { try ledger.commitDeposit(forged, at: LedgerFixtures.clock()) }
    }

    @Test func aReversalIsANewEntryRefusedTwiceAndAudited() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        try ledger.commitDeposit(LedgerFixtures.deposit(1, grams: 1_000, household: a), at: LedgerFixtures.clock())
        try ledger.commitDeposit(
            LedgerFixtures.deposit(2, grams: 500, material: "metal", household: a, rate: 800),
            at: LedgerFixtures.clock())
        let reversal = try ledger.reverseDeposit(
            "bz-test-D1", reason: "stones in the plastic bin", actor: "uid 1001",
            at: LedgerFixtures.clock(plusSeconds: 60))
        #expect(reversal.amount == 300)
        #expect(try ledger.balance(of: a) == 400)
        do {
            try ledger.reverseDeposit(
                "bz-test-D1", reason: "again", actor: "uid 1001", at: LedgerFixtures.clock(plusSeconds: 61))
            Issue.record("second reversal accepted")
        } catch {
            #expect(error.kind == .refused)
            #expect(error.message.contains("already reversed"))
        }
        try ledger.commitDeposit(LedgerFixtures.deposit(3, grams: 900), at: LedgerFixtures.clock())
        #expect(throws: LedgerError.self) {
            try ledger.reverseDeposit("bz-test-D3", reason: "anonymous", actor: "uid 1001", at: LedgerFixtures.clock())
        }
        #expect(throws: LedgerError.self) {
            try ledger.reverseDeposit("bz-test-D99", reason: "missing", actor: "uid 1001", at: LedgerFixtures.clock())
        }
        let audit = try ledger.auditLog(kind: .reversal)
        #expect(audit.map(\.counter) == [1])
        #expect(audit.first?.actor == "uid 1001")
        #expect(audit.first?.summary.contains("stones") == true)
        #expect(try ledger.verify().ok)
    }

    @Test func historyCannotBeUpdatedOrDeletedThroughSQL() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        try ledger.commitDeposit(LedgerFixtures.deposit(1, household: a), at: LedgerFixtures.clock())
        for sql in [
            "UPDATE deposits SET credit = 9999", "DELETE FROM entries", "UPDATE journal SET hash = x'00'",
            "DELETE FROM audit_log",
        ] {
            #expect(throws: DatabaseError.self, "\(sql)") { try ledger.pool.write { try $0.execute(sql: sql) } }
        }
    }

    @Test(arguments: Array(UInt64(1)...12))
    func balancesAlwaysEqualTheSumOfEntries(seed: UInt64) throws {
        var generator = SeededRandom(seed: seed)
        let directory = TemporaryDirectory()
        let (ledger, a, b) = try LedgerFixtures.ledger(in: directory)
        var expected: [HouseholdID: Int64] = [a: 0, b: 0]
        var credited: [(String, HouseholdID, Int64)] = []
        for sequence in Int64(1)...60 {
            let household = generator.next() % 2 == 0 ? a : b
            if generator.next() % 5 == 0, let pick = credited.indices.randomElement(using: &generator) {
                let (id, owner, amount) = credited.remove(at: pick)
                try ledger.reverseDeposit(
                    id, reason: "test", actor: "tester", at: LedgerFixtures.clock(plusSeconds: sequence))
                expected[owner, default: 0] -= amount
            }
            let grams = Int64(generator.next() % 5_000) + 200
            let record = LedgerFixtures.deposit(
                sequence, grams: grams, household: household, rate: Int64(generator.next() % 900))
            try ledger.commitDeposit(record, at: LedgerFixtures.clock(plusSeconds: sequence))
            if record.credit > 0 { credited.append((record.id.description, household, record.credit)) }
            expected[household, default: 0] += record.credit
        }
        #expect(try ledger.balance(of: a) == expected[a])
        #expect(try ledger.balance(of: b) == expected[b])
        let report = try ledger.verify()
        #expect(report.ok, "\(report.problems)")
    }
}
