import Foundation
import Glibc
import MizanCore
import MizanLedger
import MizanSimulator
import Testing

/// The real `mizand` with its lids and lights on gpio-sim lines (found by
/// name, as on a kiosk whose device tree names them), the scale and card
/// reader on the simulator's pseudo-terminals.
@Suite(
    .serialized, .timeLimit(.minutes(3)),
    .enabled(if: GPIOSimChip.inTestVM, "needs the kernel's gpio-sim: runs inside the VM of make test-gpio"))
struct DaemonOnKernelLinesTests {
    static let daemonPath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("mizand").path
    static let card = CardUID("0A1B2C3D4E")!
    static let lineNames = [
        "LID_PLASTIC", "LID_METAL", "LID_PAPER", "LID_GLASS", "LID_ORGANIC", "LED_GREEN", "LED_RED", "BUZZER",
    ]

    func kiosk() throws -> LiveKiosk {
        let kiosk = try LiveKiosk(
            daemonPath: Self.daemonPath, extraConfiguration: "lids: {stuck_timeout_ms: 10000}\n", lines: .libgpiod)
        try kiosk.prepareLedger(
            household: Self.card, name: "Umm Khalil", rates: ["plastic": 300, "metal": 800], actor: "test")
        return kiosk
    }

    /// A deposit with the lid on a kernel line: opened, the items dropped,
    /// closed with the reed switch bouncing as the lid lands.
    func deposit(_ grams: Int64, into line: String, kiosk: LiveKiosk, chip: GPIOSimChip) throws {
        try chip.pull(line, high: false)
        kiosk.wait(seconds: 0.6)
        kiosk.drop(grams: grams)
        kiosk.wait(seconds: 0.8)
        for level in [true, false, true, false, true] {
            try chip.pull(line, high: level)
        }
        kiosk.wait(seconds: 2.5)
    }

    /// Starts the daemon and waits until its status says it is in service
    /// (the lines requested, the scale settled and its zero set).
    func start(_ kiosk: LiveKiosk) throws {
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready", timeout: .seconds(30)), "\(kiosk.log)")
        let deadline = Date().addingTimeInterval(15)
        var inService = false
        while !inService, Date() < deadline {
            inService = (try? kiosk.status())?.inService == true
            if !inService { usleep(200_000) }
        }
        #expect(inService, "\(kiosk.log)")
    }

    /// Waits until the green LED's line is driven high (the credit's light).
    func greenLights(on chip: GPIOSimChip, within seconds: Double = 5) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try chip.value("LED_GREEN") { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func aHouseholdSessionIsCreditedWithLidsAndLightsOnKernelLines() throws {
        let chip = try GPIOSimChip("mizan-kiosk", lines: Self.lineNames)
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try start(kiosk)
        #expect(kiosk.waitForLog("lid sensor: bin plastic: line \"LID_PLASTIC\""), "\(kiosk.log)")
        // The daemon asked for pull-ups; gpio-sim applied them as the lines' pulls.
        #expect(try chip.currentPull(chip.offset(of: "LID_PLASTIC")) == "pull-up")

        kiosk.tap(Self.card)
        #expect(kiosk.waitForLog("session sim-live-S1 opened", timeout: .seconds(10)), "\(kiosk.log)")
        try deposit(1_250, into: "LID_PLASTIC", kiosk: kiosk, chip: chip)
        #expect(kiosk.waitForLog("credited 3.75 XBZ", timeout: .seconds(10)), "\(kiosk.log)")
        #expect(try greenLights(on: chip), "LED_GREEN never went high after the credit")
        kiosk.tap(Self.card)
        #expect(
            kiosk.waitForLog("session sim-live-S1 closed (card_tapped_again)", timeout: .seconds(10)), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)

        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let deposits = try #require(try ledger.export().tables["deposits"])
        #expect(deposits.map { $0["reason"]?.text } == ["credited"])
        #expect(deposits.first?["bin"]?.text == "plastic")
        #expect(deposits.first?["net_g"]?.integer == 1_250)
        #expect(try ledger.balance(of: HouseholdID(1)) == 375)
        #expect(try ledger.verify().ok)
    }

    @Test func aLidHeldOpenOnItsLineIsReportedStuckAndClearsWhenClosed() throws {
        let chip = try GPIOSimChip("mizan-kiosk", lines: Self.lineNames)
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try start(kiosk)
        let backInService = kiosk.logCount("<6>back in service")
        try chip.pull("LID_METAL", high: false)
        #expect(kiosk.waitForLog("lid metal opened"), "\(kiosk.log)")
        #expect(kiosk.waitForLog("OUT OF SERVICE: lid_stuck_open: metal", timeout: .seconds(20)), "\(kiosk.log)")
        kiosk.wait(seconds: 0.6)  // the status is published every 250 ms
        let status = try kiosk.status()
        #expect(!status.inService, "\(status)")
        try chip.pull("LID_METAL", high: true)
        #expect(kiosk.waitForLog("lid metal closed"), "\(kiosk.log)")
        #expect(
            kiosk.waitForLog("<6>back in service", occurrences: backInService + 1, timeout: .seconds(10)),
            "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
    }

    /// The chip vanishes under the running daemon (a HAT's ribbon cable
    /// pulled, its driver unbound) and comes back: out of service for
    /// lid_sensors, then back by itself, and the next deposit is credited.
    @Test func theDaemonRecoversWhenItsGPIOChipComesBack() throws {
        let chip = try GPIOSimChip("mizan-kiosk", lines: Self.lineNames)
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try start(kiosk)

        let backInService = kiosk.logCount("<6>back in service")
        try chip.setLive(false)
        #expect(kiosk.waitForLog("OUT OF SERVICE: lid_sensors", timeout: .seconds(10)), "\(kiosk.log)")
        kiosk.wait(seconds: 2)
        try chip.setLive(true)
        #expect(kiosk.waitForLog("lid sensors: the GPIO lines are back", timeout: .seconds(15)), "\(kiosk.log)")
        #expect(
            kiosk.waitForLog("<6>back in service", occurrences: backInService + 1, timeout: .seconds(10)),
            "\(kiosk.log)")

        kiosk.tap(Self.card)
        #expect(kiosk.waitForLog("session sim-live-S1 opened", timeout: .seconds(10)), "\(kiosk.log)")
        try deposit(2_000, into: "LID_METAL", kiosk: kiosk, chip: chip)
        #expect(kiosk.waitForLog("credited 16.00 XBZ", timeout: .seconds(10)), "\(kiosk.log)")
        // The lights were requested again too: green follows the credit.
        #expect(try greenLights(on: chip), "LED_GREEN never went high after the credit")
        #expect(kiosk.stopDaemon() == 0)
    }

    /// A Wiegand reader on two kernel lines instead of the RDM6300: a
    /// card's frame opens the session; the chip vanishes (card_reader out of
    /// service) and returns, and the next frame is read again.
    @Test func aWiegandReaderOnKernelLinesOpensASessionAndRecovers() throws {
        let chip = try GPIOSimChip("mizan-kiosk", lines: Self.lineNames + ["WIEGAND_D0", "WIEGAND_D1"])
        let card = try #require(CardUID("1234ABCD"))
        let kiosk = try LiveKiosk(
            daemonPath: Self.daemonPath, lines: .libgpiod,
            cardReader: "{driver: wiegand, d0: \"name:WIEGAND_D0\", d1: \"name:WIEGAND_D1\"}"
        )
        defer { kiosk.shutdown() }
        try kiosk.prepareLedger(household: card, name: "Abu Samir", rates: ["plastic": 300], actor: "test")
        try start(kiosk)
        #expect(
            kiosk.waitForLog("card reader: Wiegand reader, D0 line \"WIEGAND_D0\", D1 line \"WIEGAND_D1\""),
            "\(kiosk.log)")
        let pulser = WiegandPulser(chip: chip, d0: chip.offset(of: "WIEGAND_D0"), d1: chip.offset(of: "WIEGAND_D1"))
        let frame = WiegandDecoder.frame(data: 0x1234ABCD, dataBits: 32)

        /// Sends the frame until the daemon logged `text`, at most three
        /// times, as a reader repeats a card held in its field: on one
        /// emulated CPU a frame can be split by the sender's preemption, or
        /// land while the daemon is still reopening its lines.
        func present(expecting text: String) throws -> Bool {
            for _ in 1...3 {
                _ = try pulser.send(frame)
                if kiosk.waitForLog(text, timeout: .seconds(5)) { return true }
            }
            return false
        }
        #expect(try present(expecting: "session sim-live-S1 opened"), "\(kiosk.log)")

        let backInService = kiosk.logCount("<6>back in service")
        try chip.setLive(false)
        #expect(kiosk.waitForLog("OUT OF SERVICE: card_reader", timeout: .seconds(10)), "\(kiosk.log)")
        try chip.setLive(true)
        #expect(
            kiosk.waitForLog(
                "card reader: Wiegand reader, D0 line \"WIEGAND_D0\", D1 line \"WIEGAND_D1\" is back",
                timeout: .seconds(15)), "\(kiosk.log)")
        #expect(
            kiosk.waitForLog("<6>back in service", occurrences: backInService + 1, timeout: .seconds(10)),
            "\(kiosk.log)")
        // Out of service closed the session; the card's next frame opens another.
        #expect(try present(expecting: "session sim-live-S2 opened"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
    }
}
