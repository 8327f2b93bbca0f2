import Synchronization
public import MizanCore

/// One HX711 conversion, as the sampling thread hands it over.
public struct HX711Sample: Hashable, Sendable {
    public let counts: Int64
    public let at: Instant
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
    private let ring: Mutex<Ring>

    public init(capacity: Int = 256) {
        self.capacity = capacity
        ring = Mutex(Ring(counts: Array(repeating: 0, count: capacity), times: Array(repeating: 0, count: capacity)))
    }

    /// Returns false (and counts a drop) when full.
    @discardableResult
    public func push(_ sample: HX711Sample) -> Bool {
        ring.withLock { ring in
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
    }

    /// Hands every queued sample to `body`, oldest first.
    public func drain(_ body: (HX711Sample) -> Void) {
        // Copy out under the lock in small batches so `body` runs unlocked.
        var batch = (counts: [Int64](), times: [Int64]())
        batch.counts.reserveCapacity(capacity)
        batch.times.reserveCapacity(capacity)
        ring.withLock { ring in
            for index in 0..<ring.count {
                let slot = (ring.head + index) % capacity
                batch.counts.append(ring.counts[slot])
                batch.times.append(ring.times[slot])
            }
            ring.head = (ring.head + ring.count) % capacity
            ring.count = 0
        }
        for index in batch.counts.indices {
            body(HX711Sample(counts: batch.counts[index], at: Instant(nanoseconds: batch.times[index])))
        }
    }

    public var dropped: Int { ring.withLock { $0.dropped } }
}
