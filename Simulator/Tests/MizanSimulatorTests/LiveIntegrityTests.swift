import Foundation
import Glibc
import MizanDaemon
import MizanHardware
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// What a careless technician or an attacker does to a running kiosk,
/// done for real to the real `mizand`: nothing committed may be lost and
/// the kiosk must stay (or come back) in service.
@Suite("mizand under hostile use", .serialized)
struct LiveIntegrityTests {
    static let cardA = LiveDaemonTests.cardA

    func kiosk() throws -> LiveKiosk {
        try LiveDaemonTests().kiosk()
    }

    @Test func aSecondDaemonOnTheSameStateDirectoryIsRefusedAndNamesTheFirst() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")

        // A technician starts the daemon by hand with the same configuration.
        let second = try LiveDaemonTests.run(LiveDaemonTests.daemonPath, ["--config", kiosk.configurationPath])
        #expect(second.status == 4, "\(second.output)")
        let firstPID = try #require(kiosk.daemonPID)
        #expect(second.output.contains("mizand PID \(firstPID) already runs"), "\(second.output)")

        // The first daemon's session and socket are untouched: it credits.
        #expect(try kiosk.status().inService)
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.00 XBZ"), "\(kiosk.log)")
        #expect(!kiosk.log.contains("interrupted"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)

        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        #expect(try ledger.balance(of: HouseholdID(1)) == 300)
        #expect(try ledger.verify().ok)

        // The lock dies with its holder: a restart after a stop takes it.
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready", occurrences: 2), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
    }

    /// chattr +i made the old probe (mount flag, free space, an empty
    /// transaction) say "writable again": the kiosk went back in service
    /// and the next household got red after dropping its items.
    @Test func immutableLedgerFilesKeepTheKioskOutOfServiceUntilTheyCanReallyBeWritten() throws {
        let kiosk = try kiosk()
        // The database and its WAL; not the -shm index, which SQLite maps
        // into memory (a store into an immutable mapping is a SIGBUS).
        let files = [kiosk.ledgerPath, kiosk.ledgerPath + "-wal"]
        defer {
            Self.chattr("-i", files)
            kiosk.shutdown()
        }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")
        try #require(Self.chattr("+i", files), "chattr is not supported here")
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.waitForLog("OUT OF SERVICE: ledger"), "\(kiosk.log)")
        // Three probes' time: never "writable again" while it is not.
        kiosk.wait(seconds: 7)
        #expect(!kiosk.log.contains("writable again"), "\(kiosk.log)")
        let status = try kiosk.status()
        #expect(!status.inService)
        #expect(status.ledgerProblem?.contains("cannot be opened for writing") == true, "\(status)")

        Self.chattr("-i", files)
        #expect(kiosk.waitForLog("ledger: writable again", timeout: .seconds(8)), "\(kiosk.log)")
        #expect(kiosk.waitForLog("back in service"), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S2 opened"), "\(kiosk.log)")
        kiosk.deposit(2_000, into: "plastic")
        #expect(kiosk.waitForLog("credited 6.00 XBZ"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        #expect(try ledger.verify().ok)
        #expect(try ledger.balance(of: HouseholdID(1)) == 600)
    }

    /// The state directory deleted under the running daemon: two more
    /// "credited" once went into an unlinked file.
    @Test func aLedgerDeletedUnderTheDaemonTakesTheKioskOutOfService() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        kiosk.wait(seconds: 2)
        for file in kiosk.ledgerFiles { unlink(file) }
        #expect(kiosk.waitForLog("OUT OF SERVICE: ledger", timeout: .seconds(5)), "\(kiosk.log)")
        #expect(kiosk.log.contains("is gone (the state directory was deleted or moved)"), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("refused (out_of_service)"), "\(kiosk.log)")
        kiosk.deposit(1_000, into: "plastic")
        kiosk.wait(seconds: 3)
        #expect(!kiosk.log.contains("credited"), "\(kiosk.log)")
        #expect(!kiosk.log.contains("writable again"), "\(kiosk.log)")
        let status = try kiosk.status()
        #expect(!status.inService)
        #expect(status.ledgerProblem?.contains("is gone") == true, "\(status)")
    }

    /// For up to a second after local midnight a deposit was recorded on
    /// the new day but capped by the old day's usage. The daemon runs on a
    /// wall clock started just before midnight in Beni Zeid; the household
    /// reaches its cap, then drops more as the day turns.
    @Test func theFirstDepositOfANewDayIsCappedByThatDay() throws {
        // 22:00 UTC is midnight in Asia/Hebron in winter (UTC+2).
        let midnight = WallClockTime(millisecondsSinceEpoch: 1_796_076_000_000)  // 2026-11-30T22:00:00Z
        let start = midnight.millisecondsSinceEpoch - 13_000
        let kiosk = try LiveKiosk(
            daemonPath: LiveDaemonTests.daemonPath, extraConfiguration: "caps: {daily_credit: 300}")
        defer { kiosk.shutdown() }
        try kiosk.prepareLedger(household: Self.cardA, name: "Umm Khalil", rates: ["plastic": 300], actor: "test")
        let startedAt = MonotonicClock.now()
        try kiosk.startDaemon(environment: [SystemClock.testClockVariable: String(start)])
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        /// The daemon's wall clock, as the test reckons it.
        func daemonWall() -> Int64 { start + (MonotonicClock.now() - startedAt).milliseconds }
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.00 XBZ"), "\(kiosk.log)")
        try #require(
            daemonWall() < midnight.millisecondsSinceEpoch - 2_500, "too slow to reach the cap before midnight")

        // The next deposit: the lid closes just after midnight.
        kiosk.open("plastic")
        kiosk.wait(seconds: 0.6)
        kiosk.drop(grams: 1_000)
        while daemonWall() < midnight.millisecondsSinceEpoch + Self.closeBeforeDecision { usleep(2_000) }
        kiosk.close("plastic")
        kiosk.wait(seconds: 2.5)
        #expect(kiosk.stopDaemon() == 0)

        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let deposits = try #require(try ledger.export().tables["deposits"])
        try #require(deposits.count == 2, "\(kiosk.log)")
        let second = deposits[1]
        let recorded = try #require(second["recorded_at_ms"]?.integer)
        print("second deposit decided \(recorded - midnight.millisecondsSinceEpoch) ms after midnight")
        // Whichever side of midnight it fell, its day and its cap agree:
        // before, capped by the first deposit; after, a fresh day's cap.
        if recorded >= midnight.millisecondsSinceEpoch {
            #expect(second["reason"]?.text == "credited" && second["credit"]?.integer == 300, "\(second)")
        } else {
            #expect(second["reason"]?.text == "capped" && second["credit"]?.integer == 0, "\(second)")
        }
        #expect(try ledger.verify().ok)
    }

    /// A zero-length ledger file was silently started as a new kiosk.
    @Test func anEmptyLedgerFileIsRefusedUnlessAskedToInitialise() throws {
        let kiosk = try LiveKiosk(daemonPath: LiveDaemonTests.daemonPath)
        defer { kiosk.shutdown() }
        #expect(FileManager.default.createFile(atPath: kiosk.ledgerPath, contents: Data()))
        let refused = try LiveDaemonTests.run(LiveDaemonTests.daemonPath, ["--config", kiosk.configurationPath])
        #expect(refused.status == 3, "\(refused.output)")
        #expect(
            refused.output.contains("the file is empty (0 bytes)") && refused.output.contains("--initialize-ledger"),
            "\(refused.output)")
        #expect((try FileManager.default.attributesOfItem(atPath: kiosk.ledgerPath)[.size] as? Int) == 0)
        // Asked to, the daemon starts a new ledger there.
        let ledger = try Ledger.open(path: kiosk.ledgerPath, kioskID: "sim-live", initializeEmptyFile: true)
        #expect(try ledger.verify().ok)
    }

    /// What `make hostile` runs: the hostile inputs of items 2, 4, 6, 8
    /// and 11 in one go against one daemon.
    @Test func theHostileReplayEndsInServiceWithEverythingBack() throws {
        var lines: [String] = []
        let figures = try HostileReplay.run(daemonPath: LiveDaemonTests.daemonPath) { lines.append($0) }
        #expect(figures.passed, "\(lines.joined(separator: "\n"))")
        #expect(figures.daemon.descriptorsAfter <= figures.daemon.descriptorsBefore + 4)
        #expect(figures.web.descriptorsAfter <= figures.web.descriptorsBefore + 4)
    }

    /// How long before midnight the lid closes so that the deposit is
    /// decided in the first few hundred milliseconds of the new day (its
    /// stable final reading takes the stability window and then some).
    static let closeBeforeDecision: Int64 = -350

    @discardableResult
    static func chattr(_ flag: String, _ files: [String]) -> Bool {
        let existing = files.filter { FileManager.default.fileExists(atPath: $0) }
        guard let result = try? LiveDaemonTests.run("/usr/bin/chattr", [flag] + existing) else { return false }
        return result.status == 0
    }
}

extension LiveKiosk {
    var ledgerFiles: [String] { [ledgerPath, ledgerPath + "-wal", ledgerPath + "-shm"] }
}
