public import MizanCore

/// The platform and its load cell, time-accurate: the true mass, noise,
/// slow drift of zero, creep after a load change, items arriving over a
/// placement ramp, and vibration bursts (a slammed lid). Deterministic for a
/// given seed, so a scenario replays the same way every time.
public struct LoadCellModel: Sendable {
    public struct Parameters: Hashable, Sendable {
        /// Peak uniform noise per sample, mg.
        public var noise: Int64 = 2_000
        /// Zero drift, mg per hour (a 200 kg cell drifts ~20 g per day).
        public var driftPerHour: Int64 = 800
        /// Creep: after a load change the reading moves by this share of the
        /// change (in thousandths) over `creepTime`.
        public var creepThousandths: Int64 = 2
        public var creepTime: Duration = .seconds(600)
        /// Items arrive over this long.
        public var placementRamp: Duration = .milliseconds(250)

        public init() {}
    }

    public var parameters: Parameters
    private var random: SeededRandom
    private var origin: Instant
    /// Mass on the platform after every placement completes, mg.
    public private(set) var trueMass: Int64 = 0
    private var rampFrom: Int64 = 0
    private var rampStart: Instant
    private var creepBase: Int64 = 0
    private var creepStart: Instant
    private var vibrationPeak: Int64 = 0
    private var vibrationStart: Instant = .origin
    private var vibrationLength: Duration = .zero

    public init(parameters: Parameters = Parameters(), seed: UInt64, at start: Instant) {
        self.parameters = parameters
        random = SeededRandom(seed: seed)
        origin = start
        rampStart = start
        creepStart = start
    }

    /// Items (positive) dropped or taken (negative) at `time`.
    public mutating func place(milligrams: Int64, at time: Instant) {
        rampFrom = platformMass(at: time)
        creepBase = creep(at: time)
        trueMass += milligrams
        rampStart = time
        creepStart = time
    }

    /// Empties the platform (service mode).
    public mutating func empty(at time: Instant) {
        place(milligrams: -trueMass, at: time)
    }

    /// A burst of vibration decaying linearly over `length`.
    public mutating func vibrate(peak milligrams: Int64, for length: Duration, at time: Instant) {
        vibrationPeak = milligrams
        vibrationStart = time
        vibrationLength = length
    }

    /// The mass on the platform, ramping while items arrive.
    public func platformMass(at time: Instant) -> Int64 {
        let elapsed = time - rampStart
        let ramp = parameters.placementRamp
        guard ramp > .zero, elapsed < ramp else { return trueMass }
        return rampFrom + (trueMass - rampFrom) * elapsed.nanoseconds / parameters.placementRamp.nanoseconds
    }

    private func creep(at time: Instant) -> Int64 {
        let elapsed = min((time - creepStart).nanoseconds, parameters.creepTime.nanoseconds)
        let full = trueMass * parameters.creepThousandths / 1000
        guard parameters.creepTime > .zero else { return full }
        return creepBase + (full - creepBase) * elapsed / parameters.creepTime.nanoseconds
    }

    /// What the load cell reports at `time` (after calibration), mg.
    public mutating func sample(at time: Instant) -> Milligrams {
        let drift = parameters.driftPerHour * (time - origin).nanoseconds / 3_600_000_000_000
        var value = platformMass(at: time) + creep(at: time) + drift
        if parameters.noise > 0 { value += random.int(in: -parameters.noise...parameters.noise) }
        let sinceVibration = time - vibrationStart
        if vibrationPeak > 0, sinceVibration >= .zero, sinceVibration < vibrationLength {
            let remaining = vibrationPeak * (vibrationLength - sinceVibration).nanoseconds / vibrationLength.nanoseconds
            if remaining > 0 { value += random.int(in: -remaining...remaining) }
        }
        return Milligrams(value)
    }
}
