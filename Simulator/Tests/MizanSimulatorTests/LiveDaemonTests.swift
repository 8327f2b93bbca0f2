import Foundation
import MizanControl
import Glibc
import MizanPOSIX
import MizanHardware
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
    static let unknownCard = CardUID("DEADBEEF00")!

    static var mizanctlPath: String {
        URL(fileURLWithPath: daemonPath).deletingLastPathComponent().appendingPathComponent("mizanctl").path
    }

    func kiosk(stateDirectory: String? = nil) throws -> LiveKiosk {
        let kiosk = try LiveKiosk(daemonPath: Self.daemonPath, stateDirectory: stateDirectory)
        try kiosk.prepareLedger(
            household: Self.cardA, name: "Umm Khalil", rates: ["plastic": 300, "metal": 800], actor: "test")
        return kiosk
    }

    /// A kiosk whose daemon is up, its scale settled and zero set.
    func runningKiosk() throws -> LiveKiosk {
        let kiosk = try kiosk()
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        kiosk.wait(seconds: 2)
        return kiosk
    }

    @Test func aHouseholdSessionIsCreditedAndGreenFollowsTheCommit() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        kiosk.wait(seconds: 2)  // the scale settles, zero is set
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

    @Test func theControlSocketServesStatusAndAuditsActionsByUid() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)
        let mizanctl = URL(fileURLWithPath: Self.daemonPath).deletingLastPathComponent().appendingPathComponent(
            "mizanctl"
        ).path
        let socket = kiosk.stateDirectory + "/control.sock"
        let status = try Self.run(mizanctl, ["status", "--socket", socket, "--json"])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("\"in_service\" : true"), "\(status.output)")
        let begin = try Self.run(mizanctl, ["service", "begin", "--socket", socket])
        #expect(begin.status == 0, "\(begin.output)")
        #expect(kiosk.waitForLog("OUT OF SERVICE: service_mode"), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("refused (out_of_service)"), "\(kiosk.log)")
        #expect(try Self.run(mizanctl, ["service", "end", "--socket", socket]).status == 0)
        #expect(kiosk.waitForLog("back in service", timeout: .seconds(8)), "\(kiosk.log)")

        // Someone outside the technicians' group: refused, even with the
        // socket opened to everyone.
        chmod(socket, 0o666)
        let outsider = try Self.run(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", mizanctl, "service", "begin", "--socket", socket])
        #expect(outsider.status == 2, "\(outsider.output)")
        #expect(outsider.output.contains("may not use the control socket"), "\(outsider.output)")
        #expect(kiosk.stopDaemon() == 0)

        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let actions = try ledger.auditLog(kind: .action)
        let done = actions.filter { !$0.summary.hasPrefix("refused") }
        #expect(done.map(\.summary) == ["service_begin", "service_end"])
        #expect(done.allSatisfy { $0.actor.hasPrefix("uid 0") })
        // The outsider's attempt is on record too, with who it was.
        let refused = actions.filter { $0.summary.hasPrefix("refused connect") }
        #expect(refused.count == 1 && refused.first?.actor.hasPrefix("uid 65534") == true, "\(actions)")
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try ChildProcess.run(executable, arguments)
    }

    /// What `make demo` runs.
    @Test func theDemoRunsAgainstTheRealDaemon() throws {
        var output: [String] = []
        let passed = try Demo.run(daemonPath: Self.daemonPath) { output.append($0) }
        #expect(passed, "\(output.joined(separator: "\n"))")
        #expect(output.contains { $0.contains("Umm Khalil (0A1B2C3D4E): 19.75 XBZ") })
        #expect(output.contains { $0.contains("Abu Sami (1122334455): 6.00 XBZ") })
    }

    @Test func aBadConfigurationIsRefusedWithTheKeysName() throws {
        let kiosk = try LiveKiosk(daemonPath: Self.daemonPath, extraConfiguration: "deposit: {minimum_e: 2}")
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        let status = kiosk.stopDaemon(signal: 0)
        #expect(status == 2)
        #expect(kiosk.waitForLog("deposit.minimum_e"), "\(kiosk.log)")
        #expect(kiosk.log.contains(kiosk.configurationPath))
    }

    @Test func sigkillMidSessionThenRestartLosesNothingAndDuplicatesNothing() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.00 XBZ"), "\(kiosk.log)")
        kiosk.open("metal")
        kiosk.wait(seconds: 0.5)
        kiosk.drop(grams: 2_000)
        kiosk.wait(seconds: 0.3)
        kiosk.stopDaemon(signal: SIGKILL)
        kiosk.close("metal")

        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("closed sessions interrupted by a crash or power cut: sim-live-S1"), "\(kiosk.log)")
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S2 opened"), "\(kiosk.log)")
        kiosk.deposit(500, into: "plastic")
        #expect(kiosk.waitForLog("credited 1.50 XBZ"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)

        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let export = try ledger.export()
        let deposits = try #require(export.tables["deposits"])
        #expect(deposits.map { $0["id"]?.text } == ["sim-live-D1", "sim-live-D2"])
        #expect(deposits.map { $0["reason"]?.text } == ["credited", "credited"])
        #expect(try ledger.balance(of: HouseholdID(1)) == 450)
        let closures = try #require(export.tables["session_closures"]).map { $0["reason"]?.text }
        #expect(closures == ["interrupted", "shutdown"])
        #expect(export.verification.ok)
    }

    @Test func sigtermMidSessionClosesItCleanly() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        kiosk.deposit(2_000, into: "metal")
        #expect(kiosk.waitForLog("credited 16.00 XBZ"), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
        #expect(kiosk.log.contains("closed (shutdown)"))
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        #expect(try ledger.export().tables["session_closures"]?.map { $0["reason"]?.text } == ["shutdown"])
        #expect(try ledger.balance(of: HouseholdID(1)) == 1_600)
    }

    @Test func aPulledScaleCableTakesTheKioskOutOfServiceUntilItIsBack() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        let notify = try NotifySocket(path: kiosk.stateDirectory + "/notify.sock")
        defer { notify.stop() }
        try kiosk.startDaemon(environment: ["NOTIFY_SOCKET": notify.path])
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)
        kiosk.scaleDevice.unplug()
        #expect(kiosk.waitForLog("OUT OF SERVICE: scale: sensor_silent", timeout: .seconds(6)), "\(kiosk.log)")
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("refused (out_of_service)"), "\(kiosk.log)")
        try kiosk.scaleDevice.plugIn()
        #expect(kiosk.waitForLog("back in service", timeout: .seconds(8)), "\(kiosk.log)")
        #expect(kiosk.stopDaemon() == 0)
        // systemctl status said so in plain words, and then that it was back.
        let statuses = notify.messages.filter { $0.hasPrefix("STATUS=") }
        #expect(statuses.contains("STATUS=out of service: scale: sensor_silent"), "\(statuses)")
        #expect(statuses.contains("STATUS=in service, weighing"), "\(statuses)")
        // Red was shown while out of service.
        #expect(kiosk.gpio.outputChanges.contains { $0.line == "LED_RED" && $0.level })
    }

    @Test func theWatchdogIsFedOnlyWhileTheScaleLoopRuns() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        let notify = try NotifySocket(path: kiosk.stateDirectory + "/notify.sock")
        defer { notify.stop() }
        try kiosk.startDaemon(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        #expect(notify.wait(for: "READY=1", timeout: .seconds(10)), "\(notify.messages) \(kiosk.log)")
        #expect(notify.wait(for: "WATCHDOG=1", timeout: .seconds(3)))
        kiosk.signalDaemon(SIGUSR1)  // wedge the scale loop
        kiosk.wait(seconds: 1)
        notify.clear()
        kiosk.wait(seconds: 2)
        #expect(!notify.messages.contains { $0.contains("WATCHDOG=1") }, "still fed: \(notify.messages)")
        #expect(kiosk.log.contains("not feeding the watchdog"))
        #expect(kiosk.stopDaemon() == 0)
        #expect(notify.messages.contains { $0.contains("STOPPING=1") })
    }
}

/// Plays systemd's side of sd_notify: a datagram socket collecting messages.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var open = true

    init(path: String) throws {
        self.path = path
        descriptor = try UnixSocket.bind(.datagram, at: path)
        // The thread owns the descriptor and closes it when told to stop,
        // so it is never read after another test reused its number.
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while lock.withLock({ open }) {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    let message = String(decoding: buffer[0..<count], as: UTF8.self)
                    lock.withLock { received.append(message) }
                }
            }
            close(descriptor)
            unlink(path)
        }
        thread.start()
    }

    func stop() {
        lock.withLock { open = false }
    }

    var messages: [String] { lock.withLock { received } }

    func clear() {
        lock.withLock { received.removeAll() }
    }

    func wait(for text: String, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if messages.contains(where: { $0.contains(text) }) { return true }
            usleep(20_000)
        }
        return false
    }
}
