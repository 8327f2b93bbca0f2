import Foundation
import Glibc

/// What a running process costs, read from /proc: CPU time and wake-ups per
/// thread (schedstat's nanoseconds, not the 10 ms ticks of `stat`, which
/// cannot tell 0.1 % from 0.2 % over a few seconds), and resident memory
/// by mapping.
public struct ProcessSample: Sendable {
    public struct ThreadFigures: Sendable {
        public var name: String
        public var cpuNanoseconds: Int64
        /// Voluntary context switches: each is the thread going to sleep
        /// once and being woken once.
        public var wakeups: Int64
    }

    public let pid: Int32
    public let at: ContinuousClock.Instant
    /// By thread id.
    public let threads: [String: ThreadFigures]

    public init(pid: Int32) {
        self.pid = pid
        at = .now
        var threads: [String: ThreadFigures] = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            let directory = "/proc/\(pid)/task/\(task)"
            let name = Self.read(directory + "/comm")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            let cpu = Self.read(directory + "/schedstat")?.split(separator: " ").first.flatMap { Int64($0) } ?? 0
            let wakeups = Self.field("voluntary_ctxt_switches:", in: Self.read(directory + "/status") ?? "") ?? 0
            threads[task] = ThreadFigures(name: name, cpuNanoseconds: cpu, wakeups: wakeups)
        }
        self.threads = threads
    }

    /// Per thread ("name", CPU share of one core in %, wake-ups a second)
    /// from `earlier` to this sample, busiest first; threads with no CPU
    /// and no wake-up are left out.
    public func since(_ earlier: ProcessSample) -> (total: Double, wakeups: Double, threads: [ThreadShare]) {
        let elapsed = (at - earlier.at).components
        let seconds = max(0.001, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        var shares: [ThreadShare] = []
        for (task, now) in threads {
            let before = earlier.threads[task] ?? ThreadFigures(name: now.name, cpuNanoseconds: 0, wakeups: 0)
            let cpu = Double(now.cpuNanoseconds - before.cpuNanoseconds) / 1e9 / seconds * 100
            let wakeups = Double(now.wakeups - before.wakeups) / seconds
            guard cpu > 0 || wakeups > 0 else { continue }
            shares.append(ThreadShare(name: now.name, cpuPercent: cpu, wakeupsPerSecond: wakeups))
        }
        shares.sort { $0.cpuPercent > $1.cpuPercent }
        return (shares.reduce(0) { $0 + $1.cpuPercent }, shares.reduce(0) { $0 + $1.wakeupsPerSecond }, shares)
    }

    public struct ThreadShare: Sendable {
        public let name: String
        public let cpuPercent: Double
        public let wakeupsPerSecond: Double
    }

    /// The whole of a /proc file, read to its end (their size says 0).
    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The number after `name` on its line of a /proc status-like file.
    static func field(_ name: String, in text: String) -> Int64? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
        return line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int64($0) }
    }
}

/// Resident memory of a process, from /proc/PID/smaps_rollup and smaps.
public struct ResidentMemory: Sendable {
    /// Kilobytes.
    public let resident: Int64
    public let anonymous: Int64
    public let fileBacked: Int64
    public let privateDirty: Int64
    /// The largest contributors by resident kilobytes: a file's mappings
    /// summed, or "[heap]", "[stack]", "anonymous".
    public let largest: [(name: String, kilobytes: Int64)]

    public init(pid: Int32) {
        let rollup = ProcessSample.read("/proc/\(pid)/smaps_rollup") ?? ""
        resident = ProcessSample.field("Rss:", in: rollup) ?? 0
        anonymous = ProcessSample.field("Anonymous:", in: rollup) ?? 0
        fileBacked = resident - anonymous
        privateDirty = ProcessSample.field("Private_Dirty:", in: rollup) ?? 0
        var byName: [String: Int64] = [:]
        var current = "anonymous"
        for line in (ProcessSample.read("/proc/\(pid)/smaps") ?? "").split(separator: "\n") {
            if let first = line.first, first.isHexDigit, line.contains("-") {
                // "start-end perms offset dev inode [path]"
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                current =
                    fields.count == 6
                    ? String(fields[5]).trimmingCharacters(in: .whitespaces).split(separator: "/").last.map(String.init)
                        ?? "anonymous"
                    : "anonymous"
            } else if line.hasPrefix("Rss:") {
                byName[current, default: 0] += line.dropFirst(4).split(separator: " ").first.flatMap { Int64($0) } ?? 0
            }
        }
        largest = byName.sorted { $0.value > $1.value }.prefix(8).map { ($0.key, $0.value) }
    }

    public func describe() -> String {
        let megabytes = { (kilobytes: Int64) in String(format: "%.1f MB", Double(kilobytes) / 1024) }
        return
            "\(megabytes(resident)) resident: \(megabytes(anonymous)) anonymous (heap, stacks), \(megabytes(fileBacked)) mapped from files; \(megabytes(privateDirty)) private dirty\n"
            + "      largest: "
            + largest.map { "\($0.name) \(megabytes($0.kilobytes))" }.joined(separator: ", ")
    }
}
