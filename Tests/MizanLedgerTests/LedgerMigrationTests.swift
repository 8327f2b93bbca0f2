import Foundation
import GRDB
import Testing
@testable import MizanCore
@testable import MizanLedger

/// What a package upgrade relies on: the new daemon opens the old ledger
/// and brings its schema up to date on start, keeping every record; and an
/// older daemon never writes a ledger a newer one has migrated.
@Suite("Ledger: migrations on open")
struct LedgerMigrationTests {
    /// The migrations after v1 only add tables, so a ledger written before
    /// them is today's file without those tables and their record in
    /// grdb_migrations.
    func makeV1Ledger(in directory: TemporaryDirectory) throws -> (path: String, household: HouseholdID, links: Int64) {
        let path = directory.file("ledger.sqlite")
        let (household, links): (HouseholdID, Int64) = try {
            let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
            try ledger.commitDeposit(LedgerFixtures.deposit(1, grams: 1_250, household: a), at: LedgerFixtures.clock())
            try ledger.commitDeposit(
                LedgerFixtures.deposit(2, grams: 800, household: a), at: LedgerFixtures.clock(plusSeconds: 30))
            return (a, try ledger.verify().journalLinks)
        }()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    DROP TABLE cooperative_tokens;
                    DROP TABLE fault_log;
                    DELETE FROM grdb_migrations WHERE identifier IN ('v2-fault-log', 'v3-cooperative-tokens');
                    """)
        }
        try queue.close()
        return (path, household, links)
    }

    func tables(_ ledger: Ledger) throws -> Set<String> {
        Set(
            try ledger.pool.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        )
    }

    @Test func anOlderLedgerIsMigratedOnOpenAndKeepsEveryRecord() throws {
        let directory = TemporaryDirectory()
        let old = try makeV1Ledger(in: directory)
        let ledger = try Ledger.open(path: old.path, kioskID: LedgerFixtures.kioskID)
        let present = try tables(ledger)
        #expect(present.isSuperset(of: ["fault_log", "cooperative_tokens", "deposits", "journal"]))
        let applied = try ledger.pool.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(Set(applied) == ["v1-ledger", "v2-fault-log", "v3-cooperative-tokens"])
        #expect(try ledger.balance(of: old.household) == (1_250 + 800) * 300 / 1000)
        let report = try ledger.verify()
        #expect(report.ok, "\(report.problems)")
        #expect(report.journalLinks == old.links)
        // The tables the migration added are in use at once.
        try ledger.recordFault("scale", raised: true, at: LedgerFixtures.clock(plusSeconds: 60))
        #expect(try ledger.faultLog().count == 1)
        try ledger.commitDeposit(
            LedgerFixtures.deposit(3, grams: 500, household: old.household), at: LedgerFixtures.clock(plusSeconds: 90))
        #expect(try ledger.verify().ok)
    }

    @Test func aLedgerFromANewerMizanIsRefusedNotWritten() throws {
        let directory = TemporaryDirectory()
        let path = try {
            let (ledger, _, _) = try LedgerFixtures.ledger(in: directory)
            return ledger.path
        }()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        try queue.close()
        let before = try schemaAndMigrations(path)
        #expect {
            _ = try Ledger.open(path: path, kioskID: LedgerFixtures.kioskID)
        } throws: { error in
            (error as? LedgerError)?.kind == .schema
        }
        #expect(try schemaAndMigrations(path) == before)
    }

    func schemaAndMigrations(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try String.fetchAll(db, sql: "SELECT ifnull(sql, name) FROM sqlite_master ORDER BY name")
                + String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
    }
}
