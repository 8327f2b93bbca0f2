import MizanCore
import Synchronization
import MizanPOSIX

/// A technician's request that only the scale thread can carry out: it
/// alone owns the weighing engine.
enum ScaleRequest: Sendable {
    case zero(ControlReply)
    case calibrateEmpty(ControlReply)
    case calibrateLoaded(reference: Grams, actor: String, ControlReply)
}

/// Requests from the kiosk loop to the scale thread, taken once per step.
final class ScaleRequests: Sendable {
    private let pending = Guarded<[ScaleRequest]>([])
    /// Whether anything waits: read at every step without taking the lock.
    private let waiting = Atomic<Bool>(false)

    func push(_ request: ScaleRequest) {
        pending.withLock { $0.append(request) }
        waiting.store(true, ordering: .releasing)
    }

    /// Everything asked since the last call; an atomic load when nothing was.
    func take() -> [ScaleRequest] {
        guard waiting.load(ordering: .acquiring), waiting.exchange(false, ordering: .acquiringAndReleasing) else {
            return []
        }
        return pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}

/// What the scale thread last saw, for `status` and `watch`.
struct ScaleSnapshot: Sendable {
    var weighing: WeighingStatus?
    var samplesAccepted: Int64 = 0
    var rawCounts: Int64?
    var calibration: Calibration?
}
