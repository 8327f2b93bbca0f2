/// The part of a minor unit a household has earned but not yet been paid,
/// in thousandths of a minor unit. Carried to its next deposit so that
/// rounding never takes from the household.
public struct CreditCarry: Hashable, Sendable, Codable, CustomStringConvertible {
    public let thousandths: Int64

    /// Returns nil outside 0..<1000.
    public init?(thousandths: Int64) {
        guard (0..<1000).contains(thousandths) else { return nil }
        self.thousandths = thousandths
    }

    private init(unchecked: Int64) {
        thousandths = unchecked
    }

    public static let zero = CreditCarry(unchecked: 0)

    static func remainder(of value: Int64) -> CreditCarry {
        CreditCarry(unchecked: value % 1000)
    }

    public var description: String { "\(thousandths)/1000" }
}

/// The credit for one deposit: net grams × rate (minor units per kg) / 1000,
/// plus what was carried in; the fraction below one minor unit is carried
/// out. Over any sequence of uncapped deposits a household is credited
/// exactly floor(Σ grams × rate / 1000).
public struct CreditSettlement: Hashable, Sendable {
    /// Grams that earned credit (less than the net when a kilogram cap bit).
    public let creditedGrams: Grams
    public let credit: Int64
    public let carryIn: CreditCarry
    public let carryOut: CreditCarry
    /// True when a daily cap reduced the credit.
    public let capped: Bool

    public static func settle(
        net: Grams,
        ratePerKilogram: Int64,
        carryIn: CreditCarry,
        usageToday: DailyUsage,
        caps: DailyCaps
    ) throws(ArithmeticOverflow) -> CreditSettlement {
        var eligible = max(0, net.value)
        var capped = false
        if let gramCap = caps.grams {
            let remaining = max(0, try gramCap.checkedSubtracting(usageToday.grams, "grams left under the daily cap"))
            if eligible > remaining {
                eligible = remaining
                capped = true
            }
        }
        let value =
            try eligible
            .checkedMultiplying(ratePerKilogram, "credit for \(eligible) g at \(ratePerKilogram) per kg")
            .checkedAdding(carryIn.thousandths, "credit plus carried remainder")
        var credit = value / 1000
        if let creditCap = caps.creditMinorUnits {
            let remaining = max(
                0, try creditCap.checkedSubtracting(usageToday.creditMinorUnits, "credit left under the daily cap"))
            if credit > remaining {
                credit = remaining
                capped = true
            }
        }
        return CreditSettlement(
            creditedGrams: Grams(eligible),
            credit: credit,
            carryIn: carryIn,
            carryOut: .remainder(of: value),
            capped: capped
        )
    }
}
