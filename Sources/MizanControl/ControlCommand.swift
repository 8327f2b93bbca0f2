/// What a client may ask of the daemon on the control socket.
public enum ControlCommand: String, Sendable, CaseIterable {
    // Reading: group `mizan`.
    case status
    /// A status object every quarter second until the client hangs up.
    case watch
    /// Each new log event as it happens, after the last few.
    case events
    // Actions: the technicians' group, audited with the peer's uid.
    case serviceBegin = "service_begin"
    case serviceEnd = "service_end"
    case testLeds = "test_leds"
    case testBuzzer = "test_buzzer"
    case zero
    /// Step one of a two-point calibration: the platform is empty.
    case calibrateEmpty = "calibrate_empty"
    /// Step two: the reference mass (`reference_g`) is on the platform.
    case calibrateLoaded = "calibrate_loaded"
    /// Prices and households are read again from the ledger.
    case reload

    public var isAction: Bool {
        switch self {
        case .status, .watch, .events: false
        default: true
        }
    }

    public var isStream: Bool { self == .watch || self == .events }
}

/// One request line: `{"command": "zero"}`,
/// `{"command": "calibrate_loaded", "reference_g": 5000}`.
public struct ControlRequest: Codable, Sendable, Hashable {
    public let command: String
    public let referenceGrams: Int64?

    enum CodingKeys: String, CodingKey {
        case command
        case referenceGrams = "reference_g"
    }

    public init(_ command: ControlCommand, referenceGrams: Int64? = nil) {
        self.command = command.rawValue
        self.referenceGrams = referenceGrams
    }
}
