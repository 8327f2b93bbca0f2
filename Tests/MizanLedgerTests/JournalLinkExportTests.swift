import Foundation
import Testing

@testable import MizanCore
@testable import MizanLedger

/// The ledger as its own outbox: links read out in order, each checkable
/// elsewhere from what it carries, and any change to one of them found.
struct JournalLinkExportTests {
    func ledgerWithHistory(_ directory: TemporaryDirectory) throws -> Ledger {
        let (ledger, a, b) = try LedgerFixtures.ledger(in: directory)
        try ledger.recordSessionOpened(LedgerFixtures.session(1, household: a), at: LedgerFixtures.clock())
        for sequence in Int64(1)...4 {
            try ledger.commitDeposit(
                LedgerFixtures.deposit(sequence, grams: 700 * sequence, household: sequence == 3 ? nil : a, session: 1),
                at: LedgerFixtures.clock(plusSeconds: sequence))
        }
        _ = b
        return ledger
    }

    @Test func linksReadInBatchesFollowOneAnotherAndVerifyFromWhatTheyCarry() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledgerWithHistory(directory)
        var previous = JournalLinkExport.genesis
        var seq: Int64 = 0
        var kinds: [String] = []
        while true {
            let batch = try ledger.journalLinks(after: seq, limit: 3)
            if batch.isEmpty { break }
            for link in batch {
                #expect(link.seq == seq + 1)
                #expect(link.problem(following: previous) == nil, "link \(link.seq): \(link)")
                previous = link.hash
                seq = link.seq
                kinds.append(link.kind)
            }
        }
        #expect(kinds.first == "session_opened")
        #expect(kinds.filter { $0 == "deposit" }.count == 4)
        #expect(kinds.filter { $0 == "entry" }.count == 3)
        let verified = try ledger.verify()
        #expect(verified.chainHead?.seq == seq && verified.chainHead?.hash == previous)
        // What goes over the wire comes back the same.
        let links = try ledger.journalLinks(after: 0, limit: 100)
        let decoded = try JSONDecoder().decode([JournalLinkExport].self, from: JSONEncoder().encode(links))
        #expect(decoded == links)
    }

    @Test func anEditedRowALinkOutOfOrderAndAForgedHashAreEachNamed() throws {
        let directory = TemporaryDirectory()
        let links = try ledgerWithHistory(directory).journalLinks(after: 0, limit: 100)
        let deposit = try #require(links.first { $0.kind == "deposit" })
        let previous = try #require(links.first { $0.seq == deposit.seq - 1 }).hash

        var edited = deposit
        let credit = try #require(edited.columns.firstIndex(of: "credit"))
        edited.values[credit] = .integer(99_999)
        #expect(edited.problem(following: previous)?.contains("content hash") == true)

        #expect(deposit.problem(following: JournalLinkExport.genesis)?.contains("does not follow") == true)

        var forged = deposit
        forged.wallClockMs += 1
        #expect(forged.problem(following: previous)?.contains("hash does not match") == true)

        var shortened = deposit
        shortened.columns.removeLast()
        shortened.values.removeLast()
        #expect(shortened.problem(following: previous)?.contains("columns") == true)
    }
}
