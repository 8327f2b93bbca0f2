/// Turns a stream of timestamped scale samples into weighing events:
/// glitch rejection, stability, zero (start-up, tracking, manual), overload,
/// underload and sensor silence, by the rules of OIML R 76 class III.
///
/// It runs on the sampling thread: `ingest` does not allocate, and it
/// reports through a non-escaping closure so that a quiet stream costs
/// nothing but arithmetic.
public struct WeighingEngine: Sendable {
    public let configuration: ValidatedWeighingConfiguration
    /// Present for load cells read in ADC counts; serial indicators already
    /// report a mass.
    public private(set) var calibration: Calibration?

    private var median = MedianOfThree()
    private var window = StabilityWindow()
    private var startedAt: Instant
    private var lastSampleAt: Instant?
    private var lastFiltered: Int64?

    /// Zero, in milligrams from the calibrated zero. Nil until start-up
    /// zero-setting succeeded.
    private var zero: Int64?
    private var startupZero: Int64 = 0
    private var isStable = false
    private var lastStableEmissionAt: Instant?
    private var lastTrackingSampleAt: Instant?
    private var idle = true
    public private(set) var faults: ScaleFaults = []
    public private(set) var samplesAccepted: Int64 = 0
    /// Samples stamped earlier than the one before: dropped, never used.
    public private(set) var samplesOutOfOrder: Int64 = 0

    public init(configuration: ValidatedWeighingConfiguration, calibration: Calibration?, startedAt: Instant) {
        self.configuration = configuration
        self.calibration = calibration
        self.startedAt = startedAt
    }

    // MARK: Inputs

    /// A raw reading from a load-cell ADC. Ignored (and reported as silence
    /// in time) when there is no calibration.
    public mutating func ingest(counts: Int64, at time: Instant, emit: (WeighingEvent) -> Void) {
        guard let calibration else { return }
        ingest(calibration.milligrams(fromCounts: counts), at: time, emit: emit)
    }

    /// A calibrated reading (from a load cell through `Calibration`, or from
    /// a serial indicator's own weight).
    public mutating func ingest(_ mass: Milligrams, at time: Instant, emit: (WeighingEvent) -> Void) {
        if let lastSampleAt, time < lastSampleAt {
            samplesOutOfOrder += 1
            return
        }
        lastSampleAt = time
        samplesAccepted += 1
        clear(.sensorSilent, at: time, emit: emit)

        guard let filtered = median.push(mass.value) else { return }
        lastFiltered = filtered
        let fromZero = filtered - (zero ?? 0)
        set(.overload, fromZero > configuration.overloadAboveMilligrams, at: time, emit: emit)
        set(.underload, fromZero < configuration.underloadBelowMilligrams, at: time, emit: emit)

        window.push(time: time.nanoseconds, value: filtered, duration: configuration.stabilityWindowNanoseconds)
        guard
            let mean = window.stableMean(
                now: time.nanoseconds,
                duration: configuration.stabilityWindowNanoseconds,
                band: configuration.motionBandMilligrams
            )
        else {
            if isStable { emit(.motion(at: time)) }
            isStable = false
            lastStableEmissionAt = nil
            lastTrackingSampleAt = nil
            return
        }
        isStable = true
        guard let currentZero = zero else {
            attemptStartupZero(mean: mean, at: time, emit: emit)
            return
        }
        trackZero(mean: mean, zero: currentZero, at: time, emit: emit)
        emitStableReadingIfDue(mean: mean, at: time, emit: emit)
    }

    /// Advances time without a sample, so that a silent sensor is noticed.
    public mutating func tick(at time: Instant, emit: (WeighingEvent) -> Void) {
        let reference = lastSampleAt ?? startedAt
        guard time - reference > .nanoseconds(configuration.sensorSilenceNanoseconds),
            !faults.contains(ScaleFaults(.sensorSilent))
        else { return }
        // Old samples say nothing about the platform once the sensor has
        // been away: stability and filtering start again from scratch.
        median.reset()
        window.reset()
        lastFiltered = nil
        if isStable { emit(.motion(at: time)) }
        isStable = false
        lastStableEmissionAt = nil
        lastTrackingSampleAt = nil
        set(.sensorSilent, true, at: time, emit: emit)
    }

    /// Zero-tracking only runs while the kiosk is idle: no lid open and no
    /// deposit being weighed, so that it never eats into a deposit.
    public mutating func setIdle(_ idle: Bool) {
        self.idle = idle
        if !idle { lastTrackingSampleAt = nil }
    }

    /// A technician's zero: allowed when stable, without overload or
    /// underload, and within the zero-setting range around start-up zero.
    public mutating func setZero(at time: Instant, emit: (WeighingEvent) -> Void) throws(ZeroRefusal) {
        guard let currentZero = zero else { throw .noStartupZero }
        guard faults.isDisjoint(with: [ScaleFaults(.overload), ScaleFaults(.underload), ScaleFaults(.sensorSilent)])
        else {
            throw .faulted(faults.faults)
        }
        guard isStable else { throw .notStable }
        let mean = window.mean
        let offset = mean - startupZero
        guard offset.magnitude <= configuration.zeroRangeMilligrams.magnitude else {
            throw .outOfRange(requested: Milligrams(offset), allowed: Milligrams(configuration.zeroRangeMilligrams))
        }
        zero = mean
        lastStableEmissionAt = nil
        emit(
            .zeroAdjusted(
                ZeroAdjustment(
                    cause: .manual, change: Milligrams(mean - currentZero), offsetFromStartup: Milligrams(offset),
                    at: time
                )))
        clear(.zeroRangeExceeded, at: time, emit: emit)
        emitStableReadingIfDue(mean: mean, at: time, emit: emit)
    }

    /// Forgets zero so that it is set again, by the start-up rule (±20 % of
    /// Max around the calibrated zero), at the next rest: after the bins on
    /// the platform have been emptied in service mode, the old zero is gone
    /// far beyond what zero-setting (±4 %) could reach.
    public mutating func reestablishZero(at time: Instant, emit: (WeighingEvent) -> Void) {
        zero = nil
        window.reset()
        isStable = false
        lastStableEmissionAt = nil
        lastTrackingSampleAt = nil
        clear(.zeroRangeExceeded, at: time, emit: emit)
        // Overload and underload were measured against the old zero.
        clear(.underload, at: time, emit: emit)
        clear(.overload, at: time, emit: emit)
    }

    /// Installs a new calibration; zero is set again at the next rest.
    public mutating func recalibrate(_ calibration: Calibration, at time: Instant, emit: (WeighingEvent) -> Void) {
        self.calibration = calibration
        median.reset()
        window.reset()
        zero = nil
        isStable = false
        lastStableEmissionAt = nil
        lastTrackingSampleAt = nil
        lastFiltered = nil
        clear(.zeroRangeExceeded, at: time, emit: emit)
        clear(.zeroOutOfRange, at: time, emit: emit)
    }

    // MARK: State for diagnostics

    public var status: WeighingStatus {
        WeighingStatus(
            indication: lastFiltered.map { configuration.division.indication(of: Milligrams($0 - (zero ?? 0))) },
            isStable: isStable,
            zeroEstablished: zero != nil,
            zeroOffsetFromStartup: Milligrams((zero ?? startupZero) - startupZero),
            zeroRangeBudget: Milligrams(configuration.zeroRangeMilligrams),
            faults: faults,
            lastSampleAt: lastSampleAt,
            windowSpread: window.count > 0 ? Milligrams(window.spread) : nil
        )
    }

    // MARK: Rules

    private mutating func attemptStartupZero(mean: Int64, at time: Instant, emit: (WeighingEvent) -> Void) {
        guard mean.magnitude <= configuration.startupZeroRangeMilligrams.magnitude else {
            set(.zeroOutOfRange, true, at: time, emit: emit)
            return
        }
        zero = mean
        startupZero = mean
        emit(
            .zeroAdjusted(
                ZeroAdjustment(
                    cause: .startup, change: Milligrams(mean), offsetFromStartup: Milligrams(mean), at: time
                )))
        clear(.zeroOutOfRange, at: time, emit: emit)
        emitStableReadingIfDue(mean: mean, at: time, emit: emit)
    }

    /// Moves zero toward a slowly drifting empty platform: only while idle,
    /// stable, fault-free and within ±0.5 e of zero, never faster than
    /// 0.5 e/s between consecutive samples, never beyond the zero range.
    private mutating func trackZero(
        mean: Int64, zero currentZero: Int64, at time: Instant, emit: (WeighingEvent) -> Void
    ) {
        let blocking = faults.subtracting(ScaleFaults(.zeroRangeExceeded))
        let error = mean - currentZero
        guard idle, blocking.isEmpty, configuration.zeroTrackingMilligramsPerSecond > 0,
            error.magnitude <= configuration.zeroTrackingBandMilligrams.magnitude
        else {
            lastTrackingSampleAt = nil
            return
        }
        defer { lastTrackingSampleAt = time }
        guard let previous = lastTrackingSampleAt, error != 0 else { return }
        let elapsed = min((time - previous).nanoseconds, 1_000_000_000)
        let allowance = configuration.zeroTrackingMilligramsPerSecond * elapsed / 1_000_000_000
        var step = max(-allowance, min(allowance, error))
        let range = configuration.zeroRangeMilligrams
        let target = min(startupZero + range, max(startupZero - range, currentZero + step))
        let clampedByRange = target != currentZero + step
        step = target - currentZero
        if step != 0 {
            zero = target
            emit(
                .zeroAdjusted(
                    ZeroAdjustment(
                        cause: .tracking, change: Milligrams(step), offsetFromStartup: Milligrams(target - startupZero),
                        at: time
                    )))
        }
        if clampedByRange {
            set(.zeroRangeExceeded, true, at: time, emit: emit)
        } else {
            clear(.zeroRangeExceeded, at: time, emit: emit)
        }
    }

    private mutating func emitStableReadingIfDue(mean: Int64, at time: Instant, emit: (WeighingEvent) -> Void) {
        guard let currentZero = zero, faults.isEmpty, let start = window.oldestTime else { return }
        if let last = lastStableEmissionAt,
            (time - last).nanoseconds < configuration.stabilityWindowNanoseconds
        {
            return
        }
        lastStableEmissionAt = time
        emit(
            .stable(
                StableReading(
                    indication: configuration.division.indication(of: Milligrams(mean - currentZero)),
                    windowStart: Instant(nanoseconds: start),
                    windowEnd: time
                )))
    }

    private mutating func set(_ fault: ScaleFault, _ active: Bool, at time: Instant, emit: (WeighingEvent) -> Void) {
        if active {
            let (inserted, _) = faults.insert(ScaleFaults(fault))
            if inserted {
                lastStableEmissionAt = nil
                emit(.faultRaised(fault, at: time))
            }
        } else {
            clear(fault, at: time, emit: emit)
        }
    }

    private mutating func clear(_ fault: ScaleFault, at time: Instant, emit: (WeighingEvent) -> Void) {
        if faults.remove(ScaleFaults(fault)) != nil {
            emit(.faultCleared(fault, at: time))
        }
    }
}

extension WeighingEngine {
    /// Convenience for tests and tools: the events of one sample as an array.
    public mutating func ingest(_ mass: Milligrams, at time: Instant) -> [WeighingEvent] {
        var events: [WeighingEvent] = []
        ingest(mass, at: time) { events.append($0) }
        return events
    }

    public mutating func tick(at time: Instant) -> [WeighingEvent] {
        var events: [WeighingEvent] = []
        tick(at: time) { events.append($0) }
        return events
    }
}

public struct WeighingStatus: Hashable, Sendable {
    public let indication: Grams?
    public let isStable: Bool
    public let zeroEstablished: Bool
    public let zeroOffsetFromStartup: Milligrams
    public let zeroRangeBudget: Milligrams
    public let faults: ScaleFaults
    public let lastSampleAt: Instant?
    /// Highest minus lowest reading in the stability window.
    public let windowSpread: Milligrams?
}

public enum ZeroRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case noStartupZero
    case notStable
    case faulted([ScaleFault])
    case outOfRange(requested: Milligrams, allowed: Milligrams)

    public var description: String {
        switch self {
        case .noStartupZero: "the scale has no start-up zero yet: empty the platform and wait for it to settle"
        case .notStable: "the scale is not stable: wait until nothing moves"
        case let .faulted(faults): "the scale is faulted (\(faults.map(\.rawValue).joined(separator: ", ")))"
        case let .outOfRange(requested, allowed):
            "zeroing here would move zero \(requested.value / 1000) g from the start-up zero; at most ±\(allowed.value / 1000) g is allowed"
        }
    }
}
