import Glibc
public import MizanCore

/// Where an HX711 is wired, and how it is read.
public struct HX711Configuration: Hashable, Sendable, CustomStringConvertible {
    public var data: GPIOLineAddress
    public var clock: GPIOLineAddress
    public var gain: HX711Gain
    /// 10 or 80: how the RATE pin is wired.
    public var samplesPerSecond: Int
    /// SCHED_FIFO priority for the sampling thread (nil: do not ask).
    public var realtimePriority: Int32?

    public init(
        data: GPIOLineAddress, clock: GPIOLineAddress, gain: HX711Gain = .channelA128, samplesPerSecond: Int = 80,
        realtimePriority: Int32? = 50
    ) {
        self.data = data
        self.clock = clock
        self.gain = gain
        self.samplesPerSecond = samplesPerSecond
        self.realtimePriority = realtimePriority
    }

    public var description: String {
        "HX711 DOUT \(data), PD_SCK \(clock), gain \(gain), \(samplesPerSecond) SPS"
            + (realtimePriority.map { ", SCHED_FIFO \($0)" } ?? "")
    }

    public func issues(keyPrefix: String) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if samplesPerSecond != 10, samplesPerSecond != 80 {
            issues.append(
                .init(
                    key: "\(keyPrefix).samples_per_second",
                    message: "must be 10 or 80 (the RATE pin), got \(samplesPerSecond)"))
        }
        if data == clock {
            issues.append(.init(key: "\(keyPrefix).clock", message: "must be another line than data (\(data))"))
        }
        if let realtimePriority, !(1...99).contains(realtimePriority) {
            issues.append(
                .init(
                    key: "\(keyPrefix).realtime_priority", message: "must be between 1 and 99, got \(realtimePriority)")
            )
        }
        return issues
    }
}

/// The HX711's two lines on real GPIO through libgpiod, timed with
/// CLOCK_MONOTONIC.
public final class LibgpiodHX711Lines: HX711Lines {
    private let data: LibgpiodInput
    private let clock: LibgpiodOutput
    /// The last GPIO error: the reader sees a failing line as DOUT high
    /// (not ready), and the daemon reports this.
    public private(set) var lastError: GPIOError?

    public init(_ configuration: HX711Configuration, consumer: String = "mizand") throws(GPIOError) {
        // With edges: the reader sleeps until DOUT falls instead of polling it.
        data = try LibgpiodInput(
            configuration.data, consumer: consumer, bias: .disabled, activeLow: false, edges: true)
        clock = try LibgpiodOutput(configuration.clock, consumer: consumer, activeLow: false, initial: false)
    }

    public func setClock(_ high: Bool) {
        do {
            try clock.set(high)
        } catch {
            lastError = error
        }
    }

    /// Edges queued by the last read's data bits are dropped first, then the
    /// level is read (DOUT may already be low), then the falling edge awaited.
    public func waitForDataReady(timeoutNanoseconds: Int64) -> Bool {
        let deadline = now() + timeoutNanoseconds
        do {
            while true {
                _ = try data.edges(timeout: .zero)
                if !readData() { return true }
                let remaining = deadline - now()
                guard remaining > 0 else { return false }
                _ = try data.edges(timeout: .nanoseconds(remaining))
            }
        } catch {
            lastError = error
            // A failing line is not ready; the caller's timeout still holds,
            // so a dead line does not make the sampler spin.
            pause(nanoseconds: max(0, deadline - now()))
            return false
        }
    }

    public func readData() -> Bool {
        do {
            return try data.level()
        } catch {
            lastError = error
            return true
        }
    }

    public func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    public func pause(nanoseconds: Int64) {
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR {
            request = remaining
        }
    }
}
