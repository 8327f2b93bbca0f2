/// What the weighing engine tells the session logic. A few per second at
/// most; samples themselves never leave the engine.
public enum WeighingEvent: Hashable, Sendable {
    /// The readings have stayed within the motion band for a whole window.
    /// Repeated once per window while the scale stays stable.
    case stable(StableReading)
    /// The scale left the stable state.
    case motion(at: Instant)
    case zeroAdjusted(ZeroAdjustment)
    case faultRaised(ScaleFault, at: Instant)
    case faultCleared(ScaleFault, at: Instant)
}

public struct StableReading: Hashable, Sendable, CustomStringConvertible {
    /// The indication, relative to zero, rounded to the division.
    public let indication: Grams
    /// The first sample of the window the reading was taken over.
    public let windowStart: Instant
    /// The sample that completed the window.
    public let windowEnd: Instant

    public init(indication: Grams, windowStart: Instant, windowEnd: Instant) {
        self.indication = indication
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    public var description: String { "\(indication) stable over \(windowStart)…\(windowEnd)" }
}

public struct ZeroAdjustment: Hashable, Sendable {
    public enum Cause: String, Hashable, Sendable {
        /// Initial zero-setting when the scale first came to rest.
        case startup
        /// Automatic zero-tracking of slow drift while idle.
        case tracking
        /// A technician's zero command.
        case manual
    }

    public let cause: Cause
    /// How far zero moved, in milligrams.
    public let change: Milligrams
    /// Zero now, measured from the start-up zero (for `.startup`, from the
    /// calibrated zero).
    public let offsetFromStartup: Milligrams
    public let at: Instant
}

/// Conditions under which the scale's reading must not be used.
public enum ScaleFault: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case overload
    case underload
    case sensorSilent = "sensor_silent"
    /// At start-up the empty platform was not within the start-up zero range.
    case zeroOutOfRange = "zero_out_of_range"
    /// Zero-setting and tracking have used the whole ±4 % of Max budget.
    case zeroRangeExceeded = "zero_range_exceeded"

    public var description: String { rawValue }

    /// One sentence for a technician.
    public var explanation: String {
        switch self {
        case .overload: "the load is above Max + 9 e: remove the excess"
        case .underload: "the reading is below −20 e: check that the platform sits on the load cell"
        case .sensorSilent: "no sample from the scale: check its cable and power"
        case .zeroOutOfRange:
            "at start-up the platform was not empty or the calibration is wrong: empty it or recalibrate"
        case .zeroRangeExceeded: "zero has drifted beyond ±4 % of Max: recalibrate the scale"
        }
    }
}

/// A set of scale faults without heap storage, for the sampling path.
public struct ScaleFaults: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public init(_ fault: ScaleFault) {
        switch fault {
        case .overload: rawValue = 1
        case .underload: rawValue = 2
        case .sensorSilent: rawValue = 4
        case .zeroOutOfRange: rawValue = 8
        case .zeroRangeExceeded: rawValue = 16
        }
    }

    public var faults: [ScaleFault] {
        ScaleFault.allCases.filter { contains(ScaleFaults($0)) }
    }
}
