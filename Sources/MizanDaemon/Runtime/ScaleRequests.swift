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

    func push(_ request: ScaleRequest) {
        pending.withLock { $0.append(request) }
    }

    /// Everything asked since the last call; cheap when nothing was.
    func take() -> [ScaleRequest] {
        pending.withLock { pending in
            guard !pending.isEmpty else { return [] }
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
