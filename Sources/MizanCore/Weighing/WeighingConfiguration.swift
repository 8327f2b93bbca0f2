/// The metrological limits of the scale, with the defaults of OIML R 76
/// class III as adapted in the design brief. Construct freely, then call
/// `validated()`: nothing uses an unvalidated configuration.
public struct WeighingConfiguration: Hashable, Sendable {
    /// The scale interval `e` in grams (1, 2 or 5 × 10^k).
    public var divisionGrams: Int64 = 10
    /// Max, the capacity, in grams.
    public var capacityGrams: Int64 = 60_000
    /// How long the readings must stay within the motion band to be stable.
    public var stabilityWindow: Duration = .milliseconds(500)
    /// The largest spread of readings, in grams, still counted as stable.
    public var motionBandGrams: Int64 = 10
    /// Start-up zero is accepted within this share of Max around the
    /// calibrated zero.
    public var startupZeroRangePercent: Int64 = 20
    /// Zero-setting plus zero-tracking may move zero at most this share of
    /// Max away from the start-up zero.
    public var zeroRangePercent: Int64 = 4
    public var zeroTrackingEnabled = true
    /// Above Max + this many divisions the scale is overloaded.
    public var overloadMarginDivisions: Int64 = 9
    /// Below −(this many divisions) the scale is underloaded.
    public var underloadLimitDivisions: Int64 = 20
    /// No sample for this long means the sensor is silent (cable, power).
    public var sensorSilenceTimeout: Duration = .seconds(2)

    public init() {}

    public static let minimumStabilityWindow: Duration = .milliseconds(400)
    public static let maximumStabilityWindow: Duration = .seconds(5)

    public func issues(keyPrefix: String = "scale") -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        func problem(_ key: String, _ message: String) {
            issues.append(ConfigurationIssue(key: "\(keyPrefix).\(key)", message: message))
        }
        if !ScaleDivision.isAllowed(divisionGrams) {
            problem("division_g", "must be 1, 2 or 5 × 10^k grams (1, 2, 5, 10, 20, 50, …), got \(divisionGrams)")
        }
        if capacityGrams <= 0 || capacityGrams > 10_000_000 {
            problem("max_g", "must be between 1 g and 10000 kg, got \(capacityGrams)")
        } else if divisionGrams > 0, capacityGrams % divisionGrams != 0 {
            problem("max_g", "must be a whole number of divisions (\(divisionGrams) g), got \(capacityGrams)")
        } else if divisionGrams > 0, capacityGrams / divisionGrams < 100 {
            problem("max_g", "must be at least 100 divisions (100 × \(divisionGrams) g), got \(capacityGrams)")
        } else if divisionGrams > 0, capacityGrams / divisionGrams > 10_000 {
            problem(
                "max_g", "class III allows at most 10000 divisions (10000 × \(divisionGrams) g), got \(capacityGrams)")
        }
        if stabilityWindow < Self.minimumStabilityWindow || stabilityWindow > Self.maximumStabilityWindow {
            problem(
                "stability_window_ms",
                "must be between \(Self.minimumStabilityWindow.milliseconds) and \(Self.maximumStabilityWindow.milliseconds) ms, got \(stabilityWindow.milliseconds)"
            )
        }
        let (fiveDivisions, overflow) = divisionGrams.multipliedReportingOverflow(by: 5)
        if motionBandGrams <= 0 || (divisionGrams > 0 && !overflow && motionBandGrams > fiveDivisions) {
            problem(
                "motion_band_g",
                "must be more than 0 and at most 5 divisions (\(overflow ? "5 × \(divisionGrams)" : String(fiveDivisions)) g), got \(motionBandGrams)"
            )
        }
        if !(0...20).contains(startupZeroRangePercent) {
            problem("startup_zero_range_percent", "must be between 0 and 20, got \(startupZeroRangePercent)")
        }
        if !(0...4).contains(zeroRangePercent) {
            problem("zero_range_percent", "must be between 0 and 4, got \(zeroRangePercent)")
        }
        if !(0...9).contains(overloadMarginDivisions) {
            problem("overload_margin_e", "must be between 0 and 9 divisions, got \(overloadMarginDivisions)")
        }
        if !(1...20).contains(underloadLimitDivisions) {
            problem("underload_limit_e", "must be between 1 and 20 divisions, got \(underloadLimitDivisions)")
        }
        if sensorSilenceTimeout < .milliseconds(200) || sensorSilenceTimeout > .seconds(60) {
            problem(
                "sensor_silence_timeout_ms",
                "must be between 200 and 60000 ms, got \(sensorSilenceTimeout.milliseconds)")
        }
        return issues
    }

    /// The checked form the engine runs on.
    public func validated() throws(ConfigurationError) -> ValidatedWeighingConfiguration {
        try ConfigurationError.check(issues())
        return ValidatedWeighingConfiguration(unchecked: self)
    }
}

/// A `WeighingConfiguration` known to be valid, with its limits precomputed
/// in milligrams for the sampling path.
public struct ValidatedWeighingConfiguration: Hashable, Sendable {
    public let source: WeighingConfiguration
    public let division: ScaleDivision
    public let capacity: Grams
    public let stabilityWindowNanoseconds: Int64
    public let motionBandMilligrams: Int64
    public let startupZeroRangeMilligrams: Int64
    public let zeroRangeMilligrams: Int64
    /// Zero-tracking acts only within ±0.5 e of zero.
    public let zeroTrackingBandMilligrams: Int64
    /// Zero-tracking moves zero by at most 0.5 e per second.
    public let zeroTrackingMilligramsPerSecond: Int64
    public let overloadAboveMilligrams: Int64
    public let underloadBelowMilligrams: Int64
    public let sensorSilenceNanoseconds: Int64

    /// Only after `WeighingConfiguration.issues()` came back empty.
    init(unchecked configuration: WeighingConfiguration) {
        source = configuration
        division = ScaleDivision(uncheckedGrams: configuration.divisionGrams)
        capacity = Grams(configuration.capacityGrams)
        stabilityWindowNanoseconds = configuration.stabilityWindow.nanoseconds
        motionBandMilligrams = configuration.motionBandGrams * 1000
        let capacityMilligrams = configuration.capacityGrams * 1000
        startupZeroRangeMilligrams = capacityMilligrams * configuration.startupZeroRangePercent / 100
        zeroRangeMilligrams = capacityMilligrams * configuration.zeroRangePercent / 100
        zeroTrackingBandMilligrams = division.milligrams / 2
        zeroTrackingMilligramsPerSecond = configuration.zeroTrackingEnabled ? division.milligrams / 2 : 0
        overloadAboveMilligrams = capacityMilligrams + configuration.overloadMarginDivisions * division.milligrams
        underloadBelowMilligrams = -configuration.underloadLimitDivisions * division.milligrams
        sensorSilenceNanoseconds = configuration.sensorSilenceTimeout.nanoseconds
    }
}
