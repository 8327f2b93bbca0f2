/// A point on the monotonic clock, in nanoseconds since an arbitrary origin.
///
/// MizanCore never reads a clock: every sample and event arrives stamped with
/// an `Instant`, so tests can play hours of kiosk life in microseconds.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let origin = Instant(nanoseconds: 0)

    public static func seconds(_ seconds: Double) -> Instant {
        Instant(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    public static func milliseconds(_ milliseconds: Int64) -> Instant {
        Instant(nanoseconds: milliseconds * 1_000_000)
    }

    @inlinable
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    @inlinable
    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds)
    }

    @inlinable
    public static func - (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds)
    }

    @inlinable
    public static func - (lhs: Instant, rhs: Instant) -> Duration {
        .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds)
    }

    public var description: String {
        let milliseconds = nanoseconds / 1_000_000
        return "t+\(milliseconds / 1000).\(String(milliseconds % 1000).leftPadded(to: 3))s"
    }
}

extension Duration {
    /// The duration in whole nanoseconds (durations in this domain are far
    /// below the ±292 years that fit in `Int64` nanoseconds).
    @inlinable
    public var nanoseconds: Int64 {
        let parts = components
        return parts.seconds &* 1_000_000_000 &+ parts.attoseconds / 1_000_000_000
    }

    /// Whole milliseconds, for configuration messages and logs.
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
