import Synchronization
import MizanPOSIX

/// Runs an `HX711Reader` on its own thread and hands samples to the engine
/// through a bounded, allocation-free queue.
public final class HX711Sampler: Sendable {
    /// The reader and its lines belong to the sampling thread alone once
    /// `start` is called; nothing else touches them.
    private final class Owned: @unchecked Sendable {
        let reader: HX711Reader
        init(_ reader: HX711Reader) { self.reader = reader }
    }

    public struct Statistics: Hashable, Sendable {
        public let samples: Int
        public let overruns: Int
        public let notHighAfterRead: Int
        public let notReady: Int
        public let dropped: Int
    }

    public let queue: SampleQueue
    private let owned: Owned
    private let running = Atomic<Bool>(false)
    private let counters: Guarded<(samples: Int, overruns: Int, notHigh: Int, notReady: Int)>
    private let thread = RealtimeThread()

    public init(reader: HX711Reader, queueCapacity: Int = 256) {
        owned = Owned(reader)
        queue = SampleQueue(capacity: queueCapacity)
        counters = Guarded((0, 0, 0, 0))
    }

    /// Starts sampling; with a priority, asks for SCHED_FIFO and mlockall.
    /// Returns what the real-time request got, for the log.
    @discardableResult
    public func start(realtimePriority: Int32? = nil) -> RealtimeStatus? {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return thread.status }
        let owned = owned
        let queue = queue
        _ = thread.start(priority: realtimePriority) { [self] in
            while running.load(ordering: .acquiring) {
                let outcome = owned.reader.read(timeout: .milliseconds(200))
                counters.withLock { counters in
                    switch outcome {
                    case let .sample(counts, at):
                        counters.samples += 1
                        queue.push(HX711Sample(counts: counts, at: at))
                    case .discardedOverrun: counters.overruns += 1
                    case .discardedNotHighAfterRead: counters.notHigh += 1
                    case .notReady: counters.notReady += 1
                    }
                }
            }
        }
        return thread.status
    }

    public func stop() {
        running.store(false, ordering: .releasing)
        thread.join()
    }

    public var statistics: Statistics {
        let values = counters.withLock { $0 }
        return Statistics(
            samples: values.samples, overruns: values.overruns, notHighAfterRead: values.notHigh,
            notReady: values.notReady, dropped: queue.dropped)
    }
}
