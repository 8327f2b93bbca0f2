/// Why the kiosk is out of service. Taps are refused and sessions closed
/// while any is present; each clears by itself when its cause goes away.
public enum KioskFault: Hashable, Sendable, Comparable, CustomStringConvertible {
    case scale(ScaleFault)
    /// A lid open far longer than any deposit: a propped lid or a stuck sensor.
    case lidStuckOpen(BinID)
    case cardReader
    /// The lid sensors cannot be read (GPIO chip gone, simulator away).
    case lidSensors
    /// The ledger refused a commit (disk full, read-only, corrupt).
    case ledger
    /// A technician is emptying the bins.
    case serviceMode

    public var description: String {
        switch self {
        case let .scale(fault): "scale: \(fault)"
        case let .lidStuckOpen(bin): "lid_stuck_open: \(bin)"
        case .cardReader: "card_reader"
        case .lidSensors: "lid_sensors"
        case .ledger: "ledger"
        case .serviceMode: "service_mode"
        }
    }

    public static func < (lhs: KioskFault, rhs: KioskFault) -> Bool {
        lhs.description < rhs.description
    }
}
