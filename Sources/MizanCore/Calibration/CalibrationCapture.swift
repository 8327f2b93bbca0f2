/// One step of a two-point calibration: raw counts gathered for a while
/// with the platform empty (or the reference mass on it), accepted only if
/// the platform was at rest the whole time.
public struct CalibrationCapture: Sendable {
    public let startedAt: Instant
    public let duration: Duration
    /// The widest spread (max − min counts) that still counts as at rest.
    public let maximumSpreadCounts: Int64
    /// Fewer samples than this in `duration` means the load cell is not
    /// streaming; the capture is refused.
    public static let minimumSamples = 8

    private var sum: Int64 = 0
    private var count = 0
    private var lowest = Int64.max
    private var highest = Int64.min

    public init(startedAt: Instant, duration: Duration = .seconds(2), maximumSpreadCounts: Int64) {
        self.startedAt = startedAt
        self.duration = duration
        self.maximumSpreadCounts = maximumSpreadCounts
    }

    /// The spread that a calibration's `divisions` scale divisions make, in
    /// counts (never below 16): a platform at rest stays within it.
    public static func spreadLimit(
        for calibration: Calibration, divisionMilligrams: Int64, divisions: Int64 = 2
    ) -> Int64 {
        let counts = (calibration.spanCounts * divisionMilligrams * divisions / calibration.referenceMilligrams)
            .magnitude
        return max(16, Int64(clamping: counts))
    }

    public mutating func add(counts: Int64, at time: Instant) {
        guard time >= startedAt else { return }
        sum &+= counts
        count += 1
        lowest = min(lowest, counts)
        highest = max(highest, counts)
    }

    public func isComplete(at time: Instant) -> Bool {
        time - startedAt >= duration
    }

    public var samples: Int { count }
    public var spread: Int64 { count == 0 ? 0 : highest - lowest }

    /// The mean counts, rounded half away from zero, if the platform was at rest.
    public func result() throws(CalibrationCaptureError) -> Int64 {
        guard count >= Self.minimumSamples else { throw .tooFewSamples(count, minimum: Self.minimumSamples) }
        guard spread <= maximumSpreadCounts else { throw .notAtRest(spread: spread, maximum: maximumSpreadCounts) }
        let divisor = Int64(count)
        let quotient = sum / divisor
        let remainder = sum % divisor
        guard 2 * remainder.magnitude >= divisor.magnitude else { return quotient }
        return sum < 0 ? quotient - 1 : quotient + 1
    }
}

public enum CalibrationCaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooFewSamples(Int, minimum: Int)
    case notAtRest(spread: Int64, maximum: Int64)

    public var description: String {
        switch self {
        case let .tooFewSamples(count, minimum):
            "only \(count) readings from the load cell (at least \(minimum) needed): is the HX711 connected and powered?"
        case let .notAtRest(spread, maximum):
            "the platform was not at rest: readings spread over \(spread) counts (at most \(maximum)); keep it still and try again"
        }
    }
}
