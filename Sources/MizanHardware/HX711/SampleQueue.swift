import Dispatch
import Synchronization
public import MizanCore
import MizanPOSIX

/// One HX711 conversion, as the sampling thread hands it over.
public struct HX711Sample: Hashable, Sendable {
    public let counts: Int64
    public let at: Instant

    public init(counts: Int64, at: Instant) {
        self.counts = counts
        self.at = at
    }
}

/// A bounded queue from the sampling thread to the engine's consumer. Its
/// storage is allocated once; pushing and draining never touch the heap.
/// When the consumer falls behind, the newest samples are dropped and
/// counted rather than blocking the sampling thread.
public final class SampleQueue: Sendable {
    private struct Ring {
        var counts: [Int64]
        var times: [Int64]
        var head = 0
        var count = 0
        var dropped = 0
    }

    public let capacity: Int
    private let ring: Guarded<Ring>
    /// Signalled at each push, so the consumer sleeps until a sample comes.
    private let arrivals = DispatchSemaphore(value: 0)

    public init(capacity: Int = 256) {
        self.capacity = capacity
        ring = Guarded(Ring(counts: Array(repeating: 0, count: capacity), times: Array(repeating: 0, count: capacity)))
    }

    /// Returns false (and counts a drop) when full.
    @discardableResult
    public func push(_ sample: HX711Sample) -> Bool {
        let pushed = ring.withLock { ring in
            guard ring.count < capacity else {
                ring.dropped += 1
                return false
            }
            let tail = (ring.head + ring.count) % capacity
            ring.counts[tail] = sample.counts
            ring.times[tail] = sample.at.nanoseconds
            ring.count += 1
            return true
        }
        if pushed { arrivals.signal() }
        return pushed
    }

    /// Sleeps until a sample has been pushed or `timeout` passed; true when
    /// one was (it may already have been drained by an earlier call).
    @discardableResult
    public func waitForSamples(timeout: Duration) -> Bool {
        arrivals.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success
    }

    /// The oldest queued sample, if any.
    public func pop() -> HX711Sample? {
        ring.withLock { ring in
            guard ring.count > 0 else { return nil }
            let slot = ring.head
            ring.head = (ring.head + 1) % capacity
            ring.count -= 1
            return HX711Sample(counts: ring.counts[slot], at: Instant(nanoseconds: ring.times[slot]))
        }
    }

    /// Hands every queued sample to `body`, oldest first, one at a time so
    /// that `body` runs without the lock and nothing is allocated.
    public func drain(_ body: (HX711Sample) -> Void) {
        while let sample = pop() { body(sample) }
    }

    public var dropped: Int { ring.withLock { $0.dropped } }
}
