import CMizanSystem
import Glibc
public import MizanLedger
import MizanCore

/// The wall clock as the ledger records it, with whether the kernel says
/// it is synchronised (NTP): shared by the daemon and `mizanctl`'s writes.
public enum SystemClock {
    public static func reading() -> LedgerClockReading {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let wall = Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
        if let offset = testOffset {
            return LedgerClockReading(wall: WallClockTime(millisecondsSinceEpoch: wall + offset), synchronized: false)
        }
        return LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: wall), synchronized: mizan_clock_synchronized() == 1)
    }

    /// The environment variable that starts this process's wall clock at a
    /// chosen instant (milliseconds since the epoch), running at the real
    /// rate: how the tests put a live daemon just before a local midnight.
    /// Everything recorded meanwhile is flagged unsynchronised, and the
    /// daemon says at start that it runs on it.
    public static let testClockVariable = "MIZAN_TEST_WALL_CLOCK_START_MS"

    private static let testOffset: Int64? = {
        guard let text = getenv(testClockVariable), let start = Int64(String(cString: text)) else { return nil }
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return start - (Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }()

    /// Whether the test clock is in use.
    public static var isTestClock: Bool { testOffset != nil }

    /// 1 synchronised, 0 not, nil unknown.
    public static var isSynchronized: Bool? {
        switch mizan_clock_synchronized() {
        case 1: true
        case 0: false
        default: nil
        }
    }
}
