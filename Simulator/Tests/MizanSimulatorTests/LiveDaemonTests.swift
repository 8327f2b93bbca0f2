import Foundation
import Glibc
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// The real `mizand` binary as a child process, driven by the simulator's
/// devices over pseudo-terminals and the simulated GPIO socket.
@Suite("mizand end to end", .serialized)
struct LiveDaemonTests {
    static var daemonPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mizand").path
    }

    static let cardA = CardUID("0A1B2C3D4E")!

    func kiosk() throws -> LiveKiosk {
        let kiosk = try LiveKiosk(daemonPath: Self.daemonPath)
        try kiosk.prepareLedger { ledger in
            let setUp = LedgerClockReading(wall: WallClockTime(millisecondsSinceEpoch: 1_700_000_000_000), synchronized: true)
            try ledger.registerHousehold(card: Self.cardA, name: "Umm Khalil", actor: "test", at: setUp)
            try ledger.publishPrices(
                PriceTable(version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["plastic": 300, "metal": 800]),
                actor: "test", at: setUp
            )
        }
        return kiosk
    }

    @Test func aHouseholdSessionIsCreditedAndGreenFollowsTheCommit() throws {
        let kiosk = try kiosk()
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        kiosk.wait(seconds: 2) // the scale settles, zero is set
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 opened"), "\(kiosk.log)")
        kiosk.deposit(1_250, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.75 XBZ"), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 closed (card_tapped_again)"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)

        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let deposits = try #require(try ledger.export().tables["deposits"])
        #expect(deposits.map { $0["reason"]?.text } == ["credited"])
        #expect(deposits.first?["net_g"]?.integer == 1_250)
        #expect(try ledger.balance(of: HouseholdID(1)) == 375)
        #expect(try ledger.verify().ok)
        // Green lit for the credit, after the deposit was committed.
        let greens = kiosk.gpio.outputChanges.filter { $0.line == "LED_GREEN" && $0.level }
        #expect(!greens.isEmpty, "no green light: \(kiosk.gpio.outputChanges)")
    }

    @Test func aBadConfigurationIsRefusedWithTheKeysName() throws {
        let kiosk = try LiveKiosk(daemonPath: Self.daemonPath, extraConfiguration: "deposit: {minimum_e: 2}")
        try kiosk.startDaemon()
        let status = kiosk.stopDaemon(signal: 0)
        #expect(status == 2)
        #expect(kiosk.waitForLog("deposit.minimum_e"), "\(kiosk.log)")
        #expect(kiosk.log.contains(kiosk.configurationPath))
    }
}
