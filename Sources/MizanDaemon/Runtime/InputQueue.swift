import Dispatch
import Synchronization
public import MizanControl
public import MizanCore
import MizanPOSIX

/// What the device threads hand to the kiosk loop: a few events a second.
public enum DeviceInput: Sendable {
    case weighing(WeighingEvent)
    case cardTapped(CardUID, at: Instant)
    case lid(BinID, open: Bool, at: Instant)
    case fault(KioskFault, raised: Bool, at: Instant)
    case shutdown
    case reload
    /// A technician's action through the control socket, with who did it
    /// and where the answer goes.
    case control(ControlCommand, ControlRequest, actor: String, ControlReply)
    /// The scale thread finished a calibration: to be saved and audited.
    case calibrated(
        before: Calibration?, after: Calibration, loadedCounts: Int64, reference: Grams, actor: String, ControlReply)
}

/// A many-producers, one-consumer queue: device threads push, the kiosk
/// loop waits for the next input with a timeout (so it can tick).
public final class InputQueue: Sendable {
    private let items = Guarded<[DeviceInput]>([])
    private let signal = DispatchSemaphore(value: 0)

    public init() {}

    public func push(_ input: DeviceInput) {
        items.withLock { $0.append(input) }
        signal.signal()
    }

    /// Everything queued, waiting up to `timeout` for the first item.
    public func take(timeout: Duration) -> [DeviceInput] {
        _ = signal.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds)))
        return items.withLock { items in
            defer { items.removeAll(keepingCapacity: true) }
            return items
        }
    }
}
