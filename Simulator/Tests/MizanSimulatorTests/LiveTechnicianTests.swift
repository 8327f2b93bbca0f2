import Foundation
import MizanControl
import Glibc
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// The technician's live commands and the faults not covered by the
/// scenario library, against the real `mizand` (part of the serialized
/// end-to-end suite, so no two daemons compete for the CPU).
extension LiveDaemonTests {
    func mizanctl(_ kiosk: LiveKiosk, _ arguments: String...) throws -> (status: Int32, output: String) {
        try Self.run(Self.mizanctlPath, arguments + ["--socket", kiosk.stateDirectory + "/control.sock"])
    }

    /// The status reports in `watch --json` output, one per line.
    static func objects(_ output: String) -> [KioskStatusReport] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return output.split(separator: "\n").compactMap {
            try? decoder.decode(KioskStatusReport.self, from: Data($0.utf8))
        }
    }

    @Test func aTechnicianWatchesZeroesTestsTheOutputsAndReloads() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)

        // watch: status objects with the scale's live reading.
        let watch = try mizanctl(kiosk, "watch", "--count", "2", "--json")
        #expect(watch.status == 0, "\(watch.output)")
        let objects = Self.objects(watch.output)
        #expect(objects.count == 2, "\(watch.output)")
        #expect(objects.last?.scale.weightG == 0, "\(watch.output)")
        #expect(objects.last?.scale.stable == true, "\(watch.output)")
        let view = try mizanctl(kiosk, "watch", "--count", "1")
        #expect(view.output.contains("scale: 0 g, stable"), "\(view.output)")
        #expect(view.output.contains("lids: plastic closed, metal closed"), "\(view.output)")

        // zero: 30 g of dirt on the empty platform is zeroed away.
        kiosk.drop(grams: 30)
        kiosk.wait(seconds: 1.5)
        let zero = try mizanctl(kiosk, "zero")
        #expect(zero.status == 0, "\(zero.output)")
        #expect(zero.output.contains("zero set"), "\(zero.output)")
        kiosk.wait(seconds: 0.6)
        let afterZero = try #require(Self.objects(try mizanctl(kiosk, "watch", "--count", "1", "--json").output).first)
        #expect(afterZero.scale.weightG == 0, "\(afterZero)")
        let offset = afterZero.scale.zeroOffsetMg ?? 0
        #expect((25_000...35_000).contains(offset), "\(afterZero)")

        // Not while a household is depositing; the last card is shown.
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")
        let refused = try mizanctl(kiosk, "zero")
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("session is open"), "\(refused.output)")
        #expect(try mizanctl(kiosk, "status").output.contains("last card: 0A1B2C3D4E (household 1)"))
        kiosk.wait(seconds: 0.7)  // the card was away longer than the presence gap
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 closed"), "\(kiosk.log)")

        // Calibration needs service mode, and a serial indicator is
        // calibrated on the indicator, not by mizand.
        let outsideService = try mizanctl(kiosk, "calibrate", "--step", "empty")
        #expect(
            outsideService.status == 2 && outsideService.output.contains("service mode"), "\(outsideService.output)")
        #expect(try mizanctl(kiosk, "service", "begin").status == 0)
        let serial = try mizanctl(kiosk, "calibrate", "--step", "empty")
        #expect(serial.status == 2 && serial.output.contains("serial indicator"), "\(serial.output)")
        #expect(try mizanctl(kiosk, "service", "end").status == 0)

        // The outputs, seen on the simulated lines.
        let before = kiosk.gpio.outputChanges.count
        #expect(try mizanctl(kiosk, "test", "leds").status == 0)
        #expect(try mizanctl(kiosk, "test", "buzzer").status == 0)
        kiosk.wait(seconds: 1.2)  // green may have been lit already: it blinks off and on again
        let changes = kiosk.gpio.outputChanges.dropFirst(before)
        for line in ["LED_GREEN", "LED_RED", "BUZZER"] {
            #expect(changes.contains { $0.line == line && $0.level }, "\(line) never lit: \(changes)")
        }

        // Reload, by command and by SIGHUP.
        let reload = try mizanctl(kiosk, "reload")
        #expect(reload.status == 0 && reload.output.contains("prices: version 1 in force"), "\(reload.output)")
        kiosk.signalDaemon(SIGHUP)
        #expect(kiosk.waitForLog("prices: version 1 in force", occurrences: 2), "\(kiosk.log)")

        // The events stream replays what just happened.
        let events = try mizanctl(kiosk, "watch", "--events", "--count", "20")
        #expect(events.status == 0, "\(events.output)")
        #expect(events.output.contains("uid 0 (root): test_buzzer"), "\(events.output)")

        #expect(kiosk.stopDaemon() == 0)
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let audit = try #require(try ledger.export().tables["audit_log"])
        let actions = audit.filter { $0["kind"]?.text == "action" }.compactMap { $0["summary"]?.text }
        for action in ["zero", "service_begin", "calibrate_empty", "service_end", "test_leds", "test_buzzer", "reload"]
        {
            #expect(actions.contains(action), "\(action) not audited: \(actions)")
        }
        #expect(audit.allSatisfy { $0["kind"]?.text != "action" || $0["actor"]?.text == "uid 0 (root)" })
    }

    @Test func aLoadOnThePlatformAtStartUpIsAFaultUntilItIsTakenOff() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        // 15 kg is 25 % of Max: beyond the ±20 % in which start-up sets zero.
        kiosk.drop(grams: 15_000)
        kiosk.wait(seconds: 0.5)
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("OUT OF SERVICE: scale: zero_out_of_range"), "\(kiosk.log)")
        kiosk.wait(seconds: 0.5)  // the status is published four times a second
        let status = try mizanctl(kiosk, "status")
        #expect(status.output.contains("OUT OF SERVICE (scale: zero_out_of_range)"), "\(status.output)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("refused (out_of_service)"), "\(kiosk.log)")
        kiosk.emptyPlatform()
        #expect(kiosk.waitForLog("back in service"), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.00 XBZ"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
    }

    @Test func aPulledCardReaderTakesTheKioskOutOfServiceUntilItIsBack() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)
        kiosk.cardDevice.unplug()
        #expect(kiosk.waitForLog("OUT OF SERVICE: card_reader"), "\(kiosk.log)")
        kiosk.wait(seconds: 0.5)
        #expect(try mizanctl(kiosk, "status").output.contains("OUT OF SERVICE (card_reader)"))
        try kiosk.cardDevice.plugIn()
        #expect(kiosk.waitForLog("back in service"), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
    }

    @Test(.enabled(if: SmallFileSystem.canMount, "needs root to mount a small tmpfs"))
    func aFullDiskTakesTheKioskOutOfServiceUntilThereIsRoomAgain() throws {
        let disk = try SmallFileSystem(megabytes: 4)
        defer { disk.unmount() }
        let kiosk = try kiosk(stateDirectory: disk.path + "/state")
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)

        let filler = disk.path + "/filler"
        Self.fill(filler)
        kiosk.tap(Self.cardA)
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.waitForLog("OUT OF SERVICE: ledger"), "\(kiosk.log)")
        #expect(!kiosk.log.contains("credited"), "\(kiosk.log)")

        unlink(filler)
        #expect(kiosk.waitForLog("ledger: writable again"), "\(kiosk.log)")
        #expect(kiosk.waitForLog("back in service"), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S2 opened"), "\(kiosk.log)")
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.00 XBZ"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)

        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        #expect(try ledger.verify().ok)
        let deposits = try #require(try ledger.export().tables["deposits"])
        #expect(deposits.filter { $0["reason"]?.text == "credited" }.count == 1, "\(deposits)")
        #expect(try ledger.balance(of: HouseholdID(1)) == 300)
    }

    /// Writes until the file system says it is full.
    static func fill(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0xA5, count: 16_384)
        while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        // The last partial page too.
        let byte: [UInt8] = [0]
        while byte.withUnsafeBytes({ write(descriptor, $0.baseAddress, 1) }) > 0 {}
    }
}

extension LiveDaemonTests {
    @Test func underSystemdEntriesGoToTheJournalWithStructuredFields() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        let journal = try NotifySocket(path: kiosk.stateDirectory + "/journal.sock")
        defer { journal.stop() }
        try kiosk.startDaemon(journalSocket: journal.path)
        #expect(journal.wait(for: "MIZAN_EVENT=ready", timeout: .seconds(10)), "\(journal.messages) \(kiosk.log)")
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        kiosk.deposit(1_250, into: "plastic")
        #expect(journal.wait(for: "MIZAN_DEPOSIT_ID=sim-live-D1", timeout: .seconds(10)), "\(journal.messages)")
        #expect(kiosk.stopDaemon() == 0)

        let deposit = try #require(journal.messages.first { $0.contains("MIZAN_EVENT=deposit\n") })
        for field in [
            "PRIORITY=6", "SYSLOG_IDENTIFIER=mizand", "MIZAN_KIOSK_ID=sim-live", "MIZAN_REASON=credited",
            "MIZAN_MATERIAL=plastic", "MIZAN_NET_G=1250", "MIZAN_CREDIT_MINOR=375", "MIZAN_HOUSEHOLD_ID=1",
        ] {
            #expect(deposit.contains(field + "\n"), "\(field) missing: \(deposit)")
        }
        #expect(deposit.hasPrefix("MESSAGE=deposit sim-live-D1 Plastic"), "\(deposit)")
        #expect(
            journal.messages.contains {
                $0.contains("MIZAN_EVENT=session_opened\n") && $0.contains("MIZAN_CARD=0A1B2C3D4E\n")
            })
        // Each entry once: not also on stderr.
        #expect(!kiosk.log.contains("sim-live-D1"), "\(kiosk.log)")
    }
}
