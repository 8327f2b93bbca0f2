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

        kiosk.wait(seconds: 3)
        if let pid = kiosk.daemonPID {
            let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
            let before = cpuTicks(pid)
            let threadsBefore = threadTicks(pid)
            let wallBefore = ContinuousClock.now
            kiosk.wait(seconds: 10)
            let after = cpuTicks(pid)
            let threadsAfter = threadTicks(pid)
            let seconds = Double((ContinuousClock.now - wallBefore).nanoseconds) / 1e9
            let share = Double(after - before) / ticksPerSecond / seconds * 100
            say(
                "  idle with the scale streaming: CPU \(String(format: "%.2f", share)) % of one core over \(Int(seconds)) s; resident memory \(residentKilobytes(pid) / 1024) MB"
            )
            let memory = residentBreakdown(pid)
            say(
                "    resident: \(memory.anonymous / 1024) MB private (heap, stacks), \(memory.file / 1024) MB mapped from files (shared libraries, shared with every Swift process)"
            )
            let busiest = threadsAfter.map { thread, ticks in (thread, ticks - (threadsBefore[thread] ?? 0)) }
                .filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
            say(
                "    CPU by thread: "
                    + busiest.map {
                        "\($0.0) \(String(format: "%.2f", Double($0.1) / ticksPerSecond / seconds * 100)) %"
                    }.joined(separator: ", "))
        }

        // The household screen follows the deposits, as the kiosk's browser would.
        try kiosk.startWeb()
        let screen =
            kiosk.waitForWebLog("household screen on http://127.0.0.1:\(kiosk.screenPort)/")
            ? try? ScreenLatencyProbe(port: kiosk.screenPort) : nil
        kiosk.wait(seconds: 1)
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

    static func cpuTicks(_ pid: Int32) -> Int64 {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state(0) … utime(11) stime(12).
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return 0 }
        return user + system
    }

    static func residentKilobytes(_ pid: Int32) -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int64(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// CPU ticks per thread ("name/tid"), from /proc/PID/task.
    static func threadTicks(_ pid: Int32) -> [String: Int64] {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return [:] }
        var ticks: [String: Int64] = [:]
        for task in tasks {
            let name =
                (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            ticks["\(name)/\(task)"] = cpuTicks(pid, task: task)
        }
        return ticks
    }

    static func cpuTicks(_ pid: Int32, task: String) -> Int64 {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return 0 }
        return user + system
    }

    /// Resident kilobytes: private anonymous memory, and pages mapped from files.
    static func residentBreakdown(_ pid: Int32) -> (anonymous: Int64, file: Int64) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int64 {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
            return Int64(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return (field("RssAnon:"), field("RssFile:") + field("RssShmem:"))
    }
}
