import Foundation
import Testing
import MizanControl
import MizanLedger
@testable import mizanctl

/// What a technician reads, pinned by golden files: `status` and `doctor`
/// rendered from recorded daemon statuses and fixed facts.
@Suite("mizanctl: status and doctor as a technician reads them")
struct RenderingGoldenTests {
    /// 2026-03-28 09:00:00 UTC.
    static let now: Int64 = 1_774_688_400_000

    static let healthy: KioskStatusReport = {
        var status = KioskStatusReport(kiosk: "bz-01", startedAtMs: 1_774_684_800_000, divisionG: 10)
        status.inService = true
        status.session = "bz-01-S12"
        status.household = 7
        status.depositPhase = "lid_open"
        status.priceVersion = 3
        status.scale.samples = 48_080
        status.scale.weightG = 1_250
        status.scale.stable = true
        status.scale.zeroSet = true
        status.scale.zeroOffsetMg = -180_000
        status.scale.zeroBudgetMg = 2_400_000
        status.scale.spreadMg = 4_000
        status.lids = [
            Self.lid("plastic", open: true, sinceMs: 1_774_688_395_000, bounces: 2),
            Self.lid("metal", open: false, sinceMs: 1_774_684_800_000, bounces: 0),
            Self.lid("paper", open: false, sinceMs: 1_774_684_800_000, bounces: 0),
            Self.lid("glass", open: false, sinceMs: 1_774_684_800_000, bounces: 1),
            Self.lid("organic", open: false, sinceMs: 1_774_684_800_000, bounces: 0),
        ]
        status.cardReader.framesAccepted = 310
        status.cardReader.framesRejected = 4
        status.cardReader.lastCard = .init(card: "0A1B2C3D4E", holder: "household 7", atMs: 1_774_688_390_000)
        return status
    }()

    static func lid(_ bin: String, open: Bool, sinceMs: Int64, bounces: Int) -> LidReport {
        var lid = LidReport(bin: bin)
        lid.open = open
        lid.sinceMs = sinceMs
        lid.bounces = bounces
        return lid
    }

    static var outOfService: KioskStatusReport {
        var status = healthy
        status.inService = false
        status.faults = ["card_reader", "scale: sensor_silent"]
        status.scale.faults = ["sensor_silent"]
        status.session = nil
        status.household = nil
        status.depositPhase = "none"
        status.lids[0].open = false
        status.scale.weightG = nil
        return status
    }

    @Test func statusMatchesTheGoldenFile() throws {
        let lines = KioskView.lines(
            Self.healthy, samplesPerSecond: 80, now: Date(timeIntervalSince1970: Double(Self.now) / 1000))
        try Golden.check(lines.joined(separator: "\n") + "\n", against: "status.txt")
    }

    @Test func doctorOnAHealthyKioskMatchesTheGoldenFile() throws {
        var second = Self.healthy
        second.scale.samples = 48_160
        var checks = LiveChecks.all(first: Self.healthy, second: second, seconds: 1, now: Self.now)
        checks.append(SystemChecks.disk(free: 5_000_000_000))
        checks.append(SystemChecks.clock(synchronized: true, now: Self.now, lastRecorded: Self.now - 5_000))
        checks.append(SystemChecks.lastDeposit(Self.now - 600_000, now: Self.now))
        try Golden.check(DoctorReport.render(checks, colour: false) + "\n", against: "doctor-healthy.txt")
        #expect(checks.allSatisfy { $0.outcome == .ok })
    }

    @Test func doctorOnABrokenKioskNamesEachCauseAndItsFix() throws {
        let status = Self.outOfService
        var checks = LiveChecks.all(first: status, second: status, seconds: 1, now: Self.now)
        checks.append(SystemChecks.disk(free: 40_000_000))
        checks.append(SystemChecks.clock(synchronized: false, now: Self.now, lastRecorded: Self.now + 3_600_000))
        checks.append(SystemChecks.lastDeposit(Self.now - 10 * 86_400_000, now: Self.now))
        try Golden.check(DoctorReport.render(checks, colour: false) + "\n", against: "doctor-broken.txt")
        let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) })
        #expect(byName["daemon"]?.outcome == .failure)
        #expect(byName["daemon"]?.fix.contains("card reader") == true)
        #expect(byName["scale"]?.outcome == .failure)
        #expect(byName["card reader"]?.outcome == .failure)
        #expect(byName["disk"]?.outcome == .warning)
        #expect(byName["clock"]?.outcome == .failure)
        #expect(byName["last deposit"]?.outcome == .warning)
    }

    @Test(arguments: [
        ("scale: overload", "too heavy"), ("scale: zero_out_of_range", "empty it"),
        ("lid_stuck_open: glass", "close it"),
        ("ledger", "disk space"), ("service_mode", "mizanctl service end"), ("lid_sensors", "gpiochip"),
        ("scale: zero_range_exceeded", "±4 %"), ("scale: underload", "lifted out"),
    ])
    func eachFaultHasItsOwnFix(fault: String, words: String) {
        #expect(LiveChecks.fix(for: fault).contains(words))
    }

    @Test func colourIsOnlyAddedWhenAsked() {
        let check = DoctorCheck.failure("disk", "5 MB free", fix: "Free space now.")
        #expect(!DoctorReport.render([check], colour: false).contains("\u{1B}["))
        #expect(DoctorReport.render([check], colour: true).contains("\u{1B}[31mFAILURE"))
    }

    @Test func serviceStateFromSystemctl() {
        let healthy = ServiceCheck.evaluate(
            "LoadState=loaded\nActiveState=active\nSubState=running\nNRestarts=0\nWatchdogUSec=10s\n")
        #expect(healthy == .ok("service", "active (running), watchdog 10s, restarted 0 times since boot"))
        let restarted = ServiceCheck.evaluate(
            "LoadState=loaded\nActiveState=active\nSubState=running\nNRestarts=2\nWatchdogUSec=10s\n")
        #expect(restarted.outcome == .warning && restarted.fix.contains("journalctl"))
        #expect(ServiceCheck.evaluate("LoadState=not-found\n").outcome == .warning)
        #expect(
            ServiceCheck.evaluate("LoadState=loaded\nActiveState=failed\nSubState=failed\nNRestarts=5\n").outcome
                == .failure)
    }

    @Test func arabicNamesAreIsolatedOrReorderedForTheTerminal() {
        #expect(Bidi.isolate("Umm Khalil", mode: .isolated) == "Umm Khalil")
        #expect(Bidi.isolate("أم خليل", mode: .isolated) == "\u{2068}أم خليل\u{2069}")
        #expect(Bidi.isolate("أم خليل", mode: .logical) == "أم خليل")
        #expect(Bidi.visual("أم خليل") == "ليلخ مأ")
        #expect(Bidi.visual("household 3: أم خليل 12") == "household 3: ليلخ مأ 12")
    }

    @Test func csvRecordsFollowRFC4180() {
        let records = HouseholdCSV.records("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x\n")
        #expect(records.map(\.fields) == [["a", "b, c", "say \"hi\""], ["multi\nline", "x"]])
        #expect(records.map(\.line) == [1, 2])
        #expect(HouseholdCSV.records("\"open,x\n").first?.error == "a quote is never closed")
    }
}

@Suite("mizanctl: the conventions of a Unix tool")
struct CLIConventionTests {
    static let leafCommands: [[String]] = [
        ["doctor"], ["status"], ["watch"], ["zero"], ["calibrate"], ["service", "begin"], ["service", "end"],
        ["test", "leds"], ["test", "buzzer"], ["reload"], ["prices", "show"], ["prices", "set"],
        ["deposit", "reverse"],
        ["events"], ["rfid", "listen"], ["lids"], ["scale", "raw"], ["totals"], ["ledger", "verify"],
        ["households", "list"], ["households", "show"], ["households", "add"], ["households", "import"],
        ["households", "block"], ["households", "unblock"], ["export"], ["tokens", "create"], ["tokens", "revoke"],
        ["tokens", "list"],
    ]

    @Test(arguments: leafCommands)
    func everyCommandsHelpHasAnExample(_ command: [String]) throws {
        let result = try Mizanctl.run(command + ["--help"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("Example"),
            "mizanctl \(command.joined(separator: " ")) --help has no example:\n\(result.stdout)")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsAreGenerated(_ shell: String) throws {
        let result = try Mizanctl.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(result.stdout.contains("households") && result.stdout.contains("doctor"))
    }
}
