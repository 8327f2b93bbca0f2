import Foundation
import GRDB
import Testing
@testable import MizanCore
@testable import MizanLedger

/// Someone with the file and sqlite3 in hand edits history: `verify` must
/// say precisely where.
@Suite("Ledger: tamper evidence")
struct TamperTests {
    /// A ledger with some history, and a raw connection of the attacker's
    /// with the append-only triggers removed.
    func tamperedLedger(_ attack: (Database) throws -> Void) throws -> VerificationReport {
        let directory = TemporaryDirectory()
        let path: String
        do {
            let (ledger, a, b) = try LedgerFixtures.ledger(in: directory)
            try ledger.recordSessionOpened(LedgerFixtures.session(1, household: a), at: LedgerFixtures.clock())
            for sequence in Int64(1)...5 {
                try ledger.commitDeposit(
                    LedgerFixtures.deposit(
                        sequence, grams: 1_000 * sequence, household: sequence % 2 == 0 ? b : a,
                        session: sequence % 2 == 0 ? nil : 1),
                    at: LedgerFixtures.clock(plusSeconds: sequence)
                )
            }
            #expect(try ledger.verify().ok)
            path = ledger.path
        }
        let attacker = try DatabaseQueue(path: path)
        try attacker.writeWithoutTransaction { db in
            for table in LedgerSchema.appendOnlyTables {
                try db.execute(sql: "DROP TRIGGER \(table)_no_update; DROP TRIGGER \(table)_no_delete;")
            }
            try attack(db)
        }
        try attacker.close()
        return try Ledger.openExisting(path: path, readOnly: true).verify()
    }

    @Test func anEditedAmountIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "UPDATE entries SET amount = amount + 100 WHERE id = 2")
            try db.execute(sql: "UPDATE balances SET balance = balance + 100 WHERE account = 'household:2'")
            try db.execute(sql: "UPDATE balances SET balance = balance - 100 WHERE account = 'issuer'")
        }
        #expect(!report.ok)
        #expect(report.problems.first?.location.contains("(entry 2, ") == true, "\(report.problems)")
        #expect(report.problems.first?.problem.contains("edited") == true)
    }

    @Test func anEditedDepositMassIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "UPDATE deposits SET net_g = 9000, final_g = 9000 WHERE id = 'bz-test-D3'")
        }
        #expect(report.problems.first?.location.contains("deposit bz-test-D3") == true, "\(report.problems)")
    }

    @Test func aDeletedRowIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "DELETE FROM entries WHERE deposit_id = 'bz-test-D4'")
            try db.execute(sql: "DELETE FROM deposits WHERE id = 'bz-test-D4'")
        }
        #expect(report.problems.first?.location.contains("deposit bz-test-D4") == true, "\(report.problems)")
        #expect(report.problems.first?.problem.contains("deleted") == true)
    }

    @Test func aDeletedJournalLinkIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "DELETE FROM journal WHERE seq = 4")
        }
        #expect(report.problems.first?.location == "journal link 4", "\(report.problems)")
    }

    @Test func reorderedLinksAreFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "UPDATE journal SET seq = 1000 WHERE seq = 5")
            try db.execute(sql: "UPDATE journal SET seq = 5 WHERE seq = 6")
            try db.execute(sql: "UPDATE journal SET seq = 6 WHERE seq = 1000")
        }
        #expect(report.problems.first?.location.hasPrefix("journal link 5") == true, "\(report.problems)")
        #expect(report.problems.first?.problem.contains("re-ordered") == true)
    }

    @Test func aRowSlippedInOutsideTheChainIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(
                sql: """
                    INSERT INTO deposits (id, kiosk_id, sequence, session_id, household_id, bin, material, bins_opened,
                      baseline_g, final_g, net_g, credited_g, price_version, rate_per_kg, credit, currency, carry_in,
                      carry_out, reason, recorded_at_ms)
                    VALUES ('bz-test-D99', 'bz-test', 99, NULL, 1, 'metal', 'metal', 'metal', 0, 5000, 5000, 5000, 1, 800,
                      4000, 'XBZ', 0, 0, 'credited', 1795420900000)
                    """)
        }
        #expect(report.problems.contains { $0.location == "deposits row bz-test-D99" }, "\(report.problems)")
    }

    @Test func aBalanceThatDisagreesWithItsEntriesIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "UPDATE balances SET balance = balance + 5000 WHERE account = 'household:1'")
        }
        #expect(report.problems.contains { $0.location == "balance of household:1" }, "\(report.problems)")
    }

    @Test func anEditedAuditRowIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "UPDATE audit_log SET actor = 'nobody' WHERE seq = 1")
        }
        #expect(report.problems.first?.location == "audit link 1 (household)", "\(report.problems)")
    }

    @Test func aResetAuditCounterIsFound() throws {
        let report = try tamperedLedger { db in
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = 1")
        }
        #expect(report.problems.first?.location == "audit link 1", "\(report.problems)")
    }

    @Test func historyRewrittenSinceAReportIsFound() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        for sequence in Int64(1)...4 {
            try ledger.commitDeposit(
                LedgerFixtures.deposit(sequence, household: a), at: LedgerFixtures.clock(plusSeconds: sequence))
        }
        let head = try #require(try ledger.totals(for: LocalDay(year: 2026, month: 11, day: 23)).chainHead)
        #expect(try ledger.verify(against: [head]).ok)
        // The attacker rebuilds a whole consistent chain without deposit 2:
        // every link verifies, but not the cooperative's saved head.
        let forgedDirectory = TemporaryDirectory()
        let (forged, forgedA, _) = try LedgerFixtures.ledger(in: forgedDirectory)
        for sequence in [Int64(1), 3, 4] {
            try forged.commitDeposit(
                LedgerFixtures.deposit(sequence, household: forgedA), at: LedgerFixtures.clock(plusSeconds: sequence))
        }
        #expect(try forged.verify().ok)
        let report = try forged.verify(against: [head])
        #expect(!report.ok)
        #expect(report.problems.first?.location == "report chain head \(head.seq)")
    }
}
