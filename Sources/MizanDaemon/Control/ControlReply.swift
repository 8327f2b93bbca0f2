import Dispatch
public import MizanControl
import MizanCore
import Synchronization
import MizanPOSIX

/// The answer to an action, filled in by whichever thread carries it out
/// (the kiosk loop, or the scale thread for zero and calibration) and
/// awaited by the control thread that holds the client.
public final class ControlReply: Sendable {
    private let value = Guarded<ControlResponse?>(nil)
    private let done = DispatchSemaphore(value: 0)

    public init() {}

    public func succeed(_ message: String, calibration: CalibrationReport? = nil) {
        fill(.success(message, calibration: calibration))
    }

    public func fail(_ error: String) {
        fill(.failure(error))
    }

    private func fill(_ reply: ControlResponse) {
        let first = value.withLock { stored in
            guard stored == nil else { return false }
            stored = reply
            return true
        }
        if first { done.signal() }
    }

    /// The answer, or a failure naming what did not answer in time.
    public func wait(timeout: Duration, what: String) -> ControlResponse {
        guard done.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success else {
            return .failure("\(what) did not answer within \(timeout.milliseconds) ms")
        }
        return value.withLock { $0 } ?? .failure("no answer")
    }
}
