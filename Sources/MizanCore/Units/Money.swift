/// An amount of money in integer minor units of one currency.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currencyCode: String

    public init(minorUnits: Int64, currencyCode: String) {
        self.minorUnits = minorUnits
        self.currencyCode = currencyCode
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(minorUnits: 0, currencyCode: currency.code)
    }

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try combined(with: other, "+") { $0.addingReportingOverflow($1) }
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try combined(with: other, "-") { $0.subtractingReportingOverflow($1) }
    }

    /// `operation` on the two amounts, refused across currencies or on overflow.
    private func combined(
        with other: Money, _ symbol: String, _ operation: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)
    ) throws(MoneyError) -> Money {
        guard other.currencyCode == currencyCode else {
            throw .currencyMismatch(currencyCode, other.currencyCode)
        }
        let (result, overflow) = operation(minorUnits, other.minorUnits)
        if overflow { throw .overflow(ArithmeticOverflow("\(self) \(symbol) \(other)")) }
        return Money(minorUnits: result, currencyCode: currencyCode)
    }

    public var description: String { "\(minorUnits) \(currencyCode) minor units" }
}

public enum MoneyError: Error, Hashable, Sendable, CustomStringConvertible {
    case currencyMismatch(String, String)
    case overflow(ArithmeticOverflow)

    public var description: String {
        switch self {
        case let .currencyMismatch(left, right): "cannot combine amounts in \(left) and \(right)"
        case let .overflow(overflow): overflow.description
        }
    }
}
