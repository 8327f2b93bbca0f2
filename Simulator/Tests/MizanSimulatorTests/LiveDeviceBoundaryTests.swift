import Foundation
import MizanControl
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// The daemon's device boundary, end to end: the HX711 path on the
/// simulator (the daemon's own bit-banging driver, sampler and calibration
/// against a line-level chip model fed by the simulator's load cell), and
/// the simulator's GPIO lines lost and found the way kernel lines are.
extension LiveDaemonTests {
    @Test func anHX711ScaleOnTheSimulatorCreditsADeposit() throws {
        let kiosk = try LiveKiosk(daemonPath: Self.daemonPath, scale: .hx711)
        defer { kiosk.shutdown() }
        try kiosk.prepareLedger(household: Self.cardA, name: "Umm Khalil", rates: ["plastic": 300], actor: "test")
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        #expect(kiosk.waitForLog("scale: HX711 DOUT"), "\(kiosk.log)")
        kiosk.wait(seconds: 2.5)  // settling, then zero at rest
        let resting = try kiosk.status().scale
        #expect(resting.zeroSet && resting.weightG == 0, "\(resting)")
        // The raw counts are the chip's: about the empty platform's.
        let counts = try #require(resting.rawCounts, "\(resting)")
        #expect(abs(counts - LiveKiosk.hx711EmptyCounts) < 1_000, "\(counts)")
        #expect(resting.samples > 100, "\(resting)")

        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")
        kiosk.deposit(1_250, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.75 XBZ", timeout: .seconds(12)), "\(kiosk.log)")
        let loaded = try kiosk.status().scale
        #expect(loaded.weightG == 1_250, "\(loaded)")
        #expect(kiosk.stopDaemon() == 0)
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        #expect(try ledger.balance(of: HouseholdID(1)) == 375)
        #expect(try ledger.verify().ok)
    }

    /// The simulator goes away under the running daemon: its lines answer
    /// ENODEV like a kernel chip's, so the same recovery runs — out of
    /// service for lid_sensors, back by itself when the simulator returns.
    @Test func theSimulatorsGPIOSocketLostAndFoundIsALostChip() throws {
        let kiosk = try runningKiosk()
        defer { kiosk.shutdown() }
        kiosk.stopGPIO()
        #expect(kiosk.waitForLog("OUT OF SERVICE: lid_sensors", timeout: .seconds(5)), "\(kiosk.log)")
        try kiosk.restartGPIO()
        #expect(kiosk.waitForLog("lid sensors: the GPIO lines are back", timeout: .seconds(5)), "\(kiosk.log)")
        #expect(kiosk.waitForLog("back in service", timeout: .seconds(5)), "\(kiosk.log)")
        kiosk.wait(seconds: 2.5)  // the lights are requested again every 2 s
        kiosk.tap(Self.cardA)
        kiosk.deposit(1_250, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.75 XBZ"), "\(kiosk.log)")
        #expect(
            kiosk.gpio.outputChanges.contains { $0.line == "LED_GREEN" && $0.level },
            "green was not lit on the new socket")
        #expect(kiosk.stopDaemon() == 0)
    }
}
