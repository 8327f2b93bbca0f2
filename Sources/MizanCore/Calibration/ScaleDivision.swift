/// The scale interval `e`: every indication is a whole multiple of it.
/// OIML R 76 allows only 1, 2 or 5 × 10^k.
public struct ScaleDivision: Hashable, Sendable {
    public let grams: Int64

    /// Returns nil unless `grams` is 1, 2 or 5 × 10^k.
    public init?(grams: Int64) {
        guard ScaleDivision.isAllowed(grams) else { return nil }
        self.grams = grams
    }

    public static let tenGrams = ScaleDivision(uncheckedGrams: 10)

    init(uncheckedGrams: Int64) {
        self.grams = uncheckedGrams
    }

    public static func isAllowed(_ grams: Int64) -> Bool {
        guard grams > 0 else { return false }
        var mantissa = grams
        while mantissa % 10 == 0 { mantissa /= 10 }
        return mantissa == 1 || mantissa == 2 || mantissa == 5
    }

    public var milligrams: Int64 { grams * 1000 }

    /// Rounds an exact mass to the nearest multiple of `e`, halves away from
    /// zero, so that +5 g and −5 g with e = 10 g round symmetrically.
    @inlinable
    public func indication(of mass: Milligrams) -> Grams {
        let step = grams * 1000
        let magnitude = mass.value.magnitude
        let rounded = (magnitude + UInt64(step / 2)) / UInt64(step) * UInt64(grams)
        return Grams(mass.value < 0 ? -Int64(rounded) : Int64(rounded))
    }
}
