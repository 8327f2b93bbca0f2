import Glibc
public import MizanCore

/// CLOCK_MONOTONIC, the clock every driver stamps its events with (the same
/// clock the kernel uses for GPIO edge timestamps).
public enum MonotonicClock {
    public static func now() -> Instant {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Instant(nanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }
}
