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
        return LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000),
            synchronized: mizan_clock_synchronized() == 1
        )
    }

    /// 1 synchronised, 0 not, nil unknown.
    public static var isSynchronized: Bool? {
        switch mizan_clock_synchronized() {
        case 1: true
        case 0: false
        default: nil
        }
    }
}
