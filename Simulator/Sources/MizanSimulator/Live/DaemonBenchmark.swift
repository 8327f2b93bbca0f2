import Foundation
import Glibc
import MizanCore
import MizanLedger

/// Measures the real daemon on the simulator: start-up time to ready, CPU
/// share and resident memory while idle with the scale streaming, and the
/// time from the sample that completes a stable window to the committed
/// deposit. Prints figures; asserts nothing.
public enum DaemonBenchmark {
    public static func run(daemonPath: String, deposits: Int, say: (String) -> Void) throws {
        let kiosk = try LiveKiosk(daemonPath: daemonPath, scaleLinesPerSecond: 80)
        defer { kiosk.shutdown() }
        let card = CardUID("0A1B2C3D4E")!
        try kiosk.prepareLedger(household: card, name: "Bench", rates: ["plastic": 300], actor: "bench")
        say("mizand benchmark (scale streaming 80 lines/s over a pty)")
        let launched = ContinuousClock.now
        try kiosk.startDaemon()
        guard kiosk.waitForLog("mizand ready", timeout: .seconds(20)) else {
            say("  mizand did not become ready:\n\(kiosk.log)")
            return
        }
        let startup = ContinuousClock.now - launched
        say("  start-up to ready (process launch → READY=1): \(startup.milliseconds) ms (log polled every 20 ms)")

        let floor = try FloorReader(
            executable: URL(fileURLWithPath: daemonPath).deletingLastPathComponent().path + "/mizan-floor-reader",
            linesPerSecond: 80)
        defer { floor.stop() }
        kiosk.wait(seconds: 3)
        guard let pid = kiosk.daemonPID else { return }
        measureIdle(
            "idle, the scale streaming 80 lines/s, nothing connected", daemon: pid, floor: floor, seconds: 20, say: say)
        say("  mizand's memory: \(ResidentMemory(pid: pid).describe())")

        // The household screen follows the deposits, as the kiosk's browser would.
        try kiosk.startWeb()
        let screen =
            kiosk.waitForWebLog("household screen on http://127.0.0.1:\(kiosk.screenPort)/")
            ? try? ScreenLatencyProbe(port: kiosk.screenPort) : nil
        kiosk.wait(seconds: 3)
        measureIdle(
            "idle as on the board: mizan-web following the status and the events, the screen's stream open",
            daemon: pid, floor: floor, seconds: 10, say: say)
        if let web = kiosk.webPID {
            say("  mizan-web's memory (a process of its own): \(ResidentMemory(pid: web).describe())")
        }
        kiosk.tap(card)
        kiosk.wait(seconds: 0.5)
        for index in 0..<deposits {
            kiosk.deposit(Int64(300 + index * 10), into: "plastic")
        }
        kiosk.tap(card)
        kiosk.wait(seconds: 1)
        kiosk.stopDaemon()
        let latencies = commitLatencies(in: kiosk.log[...])
        guard !latencies.isEmpty else {
            say("  no deposit was committed:\n\(kiosk.log)")
            return
        }
        func percentile(_ p: Double) -> Int64 {
            latencies[min(latencies.count - 1, Int(Double(latencies.count - 1) * p))]
        }
        say("  deciding sample → deposit committed (durable, synchronous=FULL), \(latencies.count) deposits:")
        say("    p50 \(percentile(0.5)) µs, p99 \(percentile(0.99)) µs, max \(latencies.last ?? 0) µs")
        screen?.stop()
        let shown = screen?.microseconds ?? []
        guard !shown.isEmpty else {
            say("  the household screen's stream carried no credited event:\n\(kiosk.webLog)")
            return
        }
        func screenPercentile(_ p: Double) -> Int64 { shown[min(shown.count - 1, Int(Double(shown.count - 1) * p))] }
        say(
            "  deciding sample → credited screen event at the page (mizand → events → mizan-web → SSE), \(shown.count) deposits:"
        )
        say(
            "    p50 \(screenPercentile(0.5)) µs, p99 \(screenPercentile(0.99)) µs, max \(shown.last ?? 0) µs (\(String(format: "%.1f", Double(screenPercentile(0.5)) / Double(max(1, percentile(0.5)))))× the commit's p50)"
        )
    }

    /// The daemon's "committed N µs after the sample that decided it"
    /// figures in `log`, sorted.
    static func commitLatencies(in log: Substring) -> [Int64] {
        log.split(separator: "\n").compactMap { line -> Int64? in
            guard let range = line.range(of: " committed "), let end = line.range(of: " µs after") else { return nil }
            return Int64(line[range.upperBound..<end.lowerBound])
        }.sorted()
    }

    /// The HX711 path: mizand sampling the simulator's line model of the
    /// chip (80 conversions a second, DOUT falling at each), idle; the
    /// sampler and the scale thread should wake about once a conversion.
    public static func runHX711(daemonPath: String, say: (String) -> Void) throws {
        let kiosk = try LiveKiosk(daemonPath: daemonPath, scale: .hx711)
        defer { kiosk.shutdown() }
        let floor = try FloorReader(
            executable: URL(fileURLWithPath: daemonPath).deletingLastPathComponent().path + "/mizan-floor-reader",
            linesPerSecond: 80)
        defer { floor.stop() }
        try kiosk.startDaemon()
        guard kiosk.waitForLog("mizand ready", timeout: .seconds(20)), let pid = kiosk.daemonPID else {
            say("  mizand (HX711) did not become ready:\n\(kiosk.log)")
            return
        }
        kiosk.wait(seconds: 3)
        measureIdle(
            "HX711 on the simulator's line model (80 SPS, DOUT awaited), idle", daemon: pid, floor: floor,
            seconds: 10, say: say)
    }

    /// The daemon's CPU and wake-ups over `seconds`, by thread, each as a
    /// ratio to the floor reader's over the same seconds.
    static func measureIdle(
        _ what: String, daemon pid: Int32, floor: FloorReader, seconds: Double, say: (String) -> Void
    ) {
        let daemonBefore = ProcessSample(pid: pid)
        let floorBefore = ProcessSample(pid: floor.pid)
        Thread.sleep(forTimeInterval: seconds)
        let daemon = ProcessSample(pid: pid).since(daemonBefore)
        let floorFigures = ProcessSample(pid: floor.pid).since(floorBefore)
        let floorCPU = max(floorFigures.total, 0.0001)
        say("  \(what), over \(Int(seconds)) s:")
        say(
            "    floor (mizan-floor-reader: poll + read per line, the same stream): \(percent(floorFigures.total)) of one core, \(rate(floorFigures.wakeups)) wake-ups/s"
        )
        say(
            "    mizand: \(percent(daemon.total)) of one core = \(String(format: "%.2f", daemon.total / floorCPU))× the floor, \(rate(daemon.wakeups)) wake-ups/s"
        )
        for thread in daemon.threads {
            say(
                "      \(thread.name): \(percent(thread.cpuPercent)) (\(String(format: "%.2f", thread.cpuPercent / floorCPU))× the floor), \(rate(thread.wakeupsPerSecond)) wake-ups/s"
            )
        }
    }

    private static func percent(_ value: Double) -> String { String(format: "%.3f %%", value) }
    private static func rate(_ value: Double) -> String { String(format: "%.1f", value) }
}
