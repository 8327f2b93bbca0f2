/// Turns raw ADC counts from a load cell into milligrams.
///
/// Kept as an exact ratio (`referenceMilligrams` per `spanCounts`), not as a
/// floating-point "counts per gram", so that the same counts always give the
/// same grams on every build and every board.
public struct Calibration: Hashable, Sendable, Codable {
    /// Counts read with the platform empty.
    public let zeroCounts: Int64
    /// Counts added by the reference mass (negative when the load cell is
    /// wired with its signal pair reversed, which then still reads right).
    public let spanCounts: Int64
    /// The reference mass used, in milligrams.
    public let referenceMilligrams: Int64

    /// Fewer counts than this between empty and loaded means the load cell is
    /// disconnected, the reference mass was not on the platform, or the gain
    /// is wrong: no usable calibration.
    public static let minimumSpanCounts: Int64 = 100

    /// Two-point calibration: the reading with the platform empty, then with
    /// a known mass on it.
    public static let countRange: ClosedRange<Int64> = -(1 << 23)...((1 << 23) - 1)

    public init(emptyCounts: Int64, loadedCounts: Int64, referenceMass: Grams) throws(CalibrationError) {
        guard referenceMass.value > 0, referenceMass.value <= 10_000_000 else {
            throw .referenceMassOutOfRange(referenceMass)
        }
        // An ADC of at most 24 bits (the HX711's): anything wider is a
        // typing error, and would overflow the arithmetic below.
        for counts in [emptyCounts, loadedCounts] where !Self.countRange.contains(counts) {
            throw .countsOutOfRange(counts)
        }
        let span = loadedCounts - emptyCounts
        guard span.magnitude >= Self.minimumSpanCounts else {
            throw .spanTooSmall(counts: span, minimum: Self.minimumSpanCounts)
        }
        zeroCounts = emptyCounts
        spanCounts = span
        referenceMilligrams = referenceMass.value * 1000
    }

    /// The mass for a raw reading, rounded to the nearest milligram.
    @inlinable
    public func milligrams(fromCounts counts: Int64) -> Milligrams {
        let numerator = (counts - zeroCounts) * referenceMilligrams
        let denominator = spanCounts
        // Round half away from zero, with the sign of the quotient.
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        let roundsAway = 2 * remainder.magnitude >= denominator.magnitude
        let sign: Int64 = (numerator < 0) != (denominator < 0) ? -1 : 1
        return Milligrams(roundsAway ? quotient + sign : quotient)
    }

    /// Counts per gram, for a technician's display only.
    public var countsPerGram: Double {
        Double(spanCounts) * 1000 / Double(referenceMilligrams)
    }

    /// The largest reading the calibration can express without overflowing
    /// `milligrams(fromCounts:)`: a 24-bit ADC needs far less.
    public var isWithinArithmeticRange: Bool {
        let maxCounts: Int64 = 1 << 25
        return referenceMilligrams.multipliedReportingOverflow(by: maxCounts).overflow == false
    }
}

public enum CalibrationError: Error, Hashable, Sendable, CustomStringConvertible {
    case referenceMassOutOfRange(Grams)
    case spanTooSmall(counts: Int64, minimum: Int64)
    case countsOutOfRange(Int64)

    public var description: String {
        switch self {
        case let .referenceMassOutOfRange(mass):
            "reference mass must be between 1 g and 10000 kg, got \(mass)"
        case let .countsOutOfRange(counts):
            "raw counts must be within a 24-bit reading (\(Calibration.countRange.lowerBound) to \(Calibration.countRange.upperBound)), got \(counts)"
        case let .spanTooSmall(counts, minimum):
            "the reference mass changed the reading by only \(counts) counts (at least \(minimum) needed): "
                + "check that the mass is on the platform and the load cell is connected"
        }
    }
}
