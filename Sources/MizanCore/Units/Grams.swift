/// A mass in whole grams: the unit of every indication, deposit and total.
public struct Grams: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var value: Int64

    @inlinable
    public init(_ value: Int64) {
        self.value = value
    }

    public static let zero = Grams(0)

    @inlinable
    public static func < (lhs: Grams, rhs: Grams) -> Bool { lhs.value < rhs.value }

    public func adding(_ other: Grams) throws(ArithmeticOverflow) -> Grams {
        Grams(try value.checkedAdding(other.value, "\(self) + \(other)"))
    }

    public func subtracting(_ other: Grams) throws(ArithmeticOverflow) -> Grams {
        Grams(try value.checkedSubtracting(other.value, "\(self) - \(other)"))
    }

    /// The same mass in milligrams, the engine's internal resolution.
    public var milligrams: Milligrams { Milligrams(value &* 1000) }

    public var description: String { "\(value) g" }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A mass in milligrams. Calibrated load-cell readings and serial indications
/// are converted to this exact integer resolution before they are rounded to
/// the scale division, so no floating point ever touches a weight.
public struct Milligrams: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: Int64

    @inlinable
    public init(_ value: Int64) {
        self.value = value
    }

    @inlinable
    public static func < (lhs: Milligrams, rhs: Milligrams) -> Bool { lhs.value < rhs.value }

    public var description: String { "\(value) mg" }
}
