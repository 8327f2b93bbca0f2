import Glibc
import MizanCore
import MizanHardware

/// Plays a Wiegand reader on two gpio-sim lines (active low, pulled up):
/// each bit a pulse on D0 or D1, two pull writes about a millisecond apart,
/// the bits about two milliseconds apart. A real reader's spacing, but
/// pulses of a millisecond or more where a reader's last 50 µs.
struct WiegandPulser {
    let chip: GPIOSimChip
    let d0: Int
    let d1: Int

    /// How a frame went out, as user space saw it.
    struct Timing: CustomStringConvertible {
        let bits: Int
        let sent: Duration
        let widestPulse: Duration
        let longestGap: Duration

        /// A frame gap (25 ms) of silence inside the frame splits it: the
        /// sender was preempted, which is the harness's failure, not the reader's.
        var splitByPreemption: Bool { longestGap > .milliseconds(20) }

        var description: String {
            "\(bits) bits sent in \(sent.milliseconds) ms, widest pulse \(widestPulse.nanoseconds / 1000) µs, longest gap between pulses \(longestGap.nanoseconds / 1000) µs"
        }
    }

    func send(_ frame: [WiegandDecoder.Line]) throws -> Timing {
        let started = MonotonicClock.now()
        var widest = Duration.zero
        var longestGap = Duration.zero
        var previous: Instant?
        for line in frame {
            let offset = line == .d0 ? d0 : d1
            let down = MonotonicClock.now()
            if let previous { longestGap = max(longestGap, down - previous) }
            previous = down
            try chip.pull(offset, high: false)
            usleep(800)
            try chip.pull(offset, high: true)
            widest = max(widest, MonotonicClock.now() - down)
            usleep(800)
        }
        return Timing(
            bits: frame.count, sent: MonotonicClock.now() - started, widestPulse: widest, longestGap: longestGap)
    }
}
