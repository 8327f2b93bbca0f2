import Foundation
import GRDB
import MizanSimulator
import Testing
@testable import MizanCore
@testable import MizanLedger

@Suite(
    "Ledger: a full disk and a read-only file system",
    .serialized,
    .enabled(if: SmallFileSystem.canMount, "needs root to mount a small tmpfs")
)
struct StorageFailureTests {
    @Test func aFullDiskFailsTheCommitClearlyAndLosesNothing() throws {
        let fileSystem = try SmallFileSystem(megabytes: 4)
        var committed: [String] = []
        var failure: LedgerError?
        var failedID: String?
        do {
            let directory = TemporaryDirectory()
            let (ledger, a, _) = try LedgerFixtures.ledger(in: directory, path: fileSystem.path + "/ledger.sqlite")
            for sequence in Int64(1)...50_000 {
                let record = LedgerFixtures.deposit(sequence, grams: 1_000 + sequence, household: a)
                do {
                    try ledger.commitDeposit(record, at: LedgerFixtures.clock(plusSeconds: sequence))
                    committed.append(record.id.description)
                } catch {
                    failure = error
                    failedID = record.id.description
                    break
                }
            }
        }
        let error = try #require(failure, "the 4 MB file system never filled up")
        #expect(error.kind == .diskFull, "\(error)")
        #expect(error.operation.contains("committing deposit"))
        #expect(error.description.contains("SQLite code"))
        #expect(committed.count > 10)

        // Everything committed before the failure is there, intact, and the
        // deposit that failed is not (so it was never shown as credited).
        let ledger = try Ledger.openExisting(path: fileSystem.path + "/ledger.sqlite", readOnly: true)
        let report = try ledger.verify()
        #expect(report.ok, "\(report.problems)")
        let ids = Set(try ledger.export().tables["deposits"]!.compactMap { $0["id"]?.text })
        #expect(ids == Set(committed))
        #expect(!ids.contains(failedID ?? ""))
        #expect(
            try ledger.balance(of: HouseholdID(1))
                == committed.indices.reduce(Int64(0)) { total, index in
                    total + (1_000 + Int64(index) + 1) * 300 / 1000
                })
    }

    @Test func aReadOnlyFileSystemFailsTheCommitClearlyAndLosesNothing() throws {
        let fileSystem = try SmallFileSystem(megabytes: 8)
        let path = fileSystem.path + "/ledger.sqlite"
        do {
            let directory = TemporaryDirectory()
            let (ledger, a, _) = try LedgerFixtures.ledger(in: directory, path: path)
            for sequence in Int64(1)...20 {
                try ledger.commitDeposit(
                    LedgerFixtures.deposit(sequence, household: a), at: LedgerFixtures.clock(plusSeconds: sequence))
            }
            try ledger.checkpoint()
        }
        try fileSystem.remount(readOnly: true)
        do {
            let ledger = try Ledger.openExisting(path: path, readOnly: false)
            try ledger.commitDeposit(
                LedgerFixtures.deposit(21, household: HouseholdID(1)), at: LedgerFixtures.clock(plusSeconds: 30))
            Issue.record("a commit on a read-only file system succeeded")
        } catch {
            #expect([.readOnly, .cannotOpen, .io].contains(error.kind), "\(error)")
        }
        try fileSystem.remount(readOnly: false)
        let ledger = try Ledger.openExisting(path: path, readOnly: false)
        #expect(try ledger.verify().ok)
        #expect(try ledger.export().tables["deposits"]?.count == 20)
        #expect(try ledger.balance(of: HouseholdID(1)) == 20 * 300)
    }
}
