import MizanCore

/// The cooperatives' figures for one kiosk-local day. The JSON form
/// (`schema` "mizan.daily-totals.v1") is a stable contract.
public struct DailyTotals: Sendable, Codable, Equatable {
    public static let schema = "mizan.daily-totals.v1"

    public var schema = DailyTotals.schema
    public let kioskID: String
    public let day: String
    public let timeZone: String
    /// The UTC interval [from, to) the local day covers (23, 24 or 25 hours).
    public let fromUTC: String
    public let toUTC: String
    public let hours: Int
    public let currency: String
    public let currencyMinorUnitExponent: Int
    public let materials: [MaterialTotals]
    public let total: MaterialTotals
    /// Distinct households credited that day.
    public let householdsServed: Int
    public let reversals: Int
    public let creditReversed: Int64
    /// Credit issued minus credit reversed that day.
    public let netCredit: Int64
    /// The last journal link recorded before the day ended; nil before the
    /// first ever link.
    public let chainHead: ChainHead?

    public init(
        kioskID: String, day: String, timeZone: String, fromUTC: String, toUTC: String, hours: Int, currency: String,
        currencyMinorUnitExponent: Int, materials: [MaterialTotals], total: MaterialTotals, householdsServed: Int,
        reversals: Int, creditReversed: Int64, netCredit: Int64, chainHead: ChainHead?
    ) {
        (self.kioskID, self.day, self.timeZone, self.fromUTC, self.toUTC) = (kioskID, day, timeZone, fromUTC, toUTC)
        (self.hours, self.currency, self.currencyMinorUnitExponent) = (hours, currency, currencyMinorUnitExponent)
        (self.materials, self.total, self.householdsServed) = (materials, total, householdsServed)
        (self.reversals, self.creditReversed, self.netCredit, self.chainHead) =
            (reversals, creditReversed, netCredit, chainHead)
    }

    enum CodingKeys: String, CodingKey {
        case schema, kioskID = "kiosk_id", day, timeZone = "time_zone", fromUTC = "from_utc", toUTC = "to_utc", hours
        case currency, currencyMinorUnitExponent = "currency_minor_unit_exponent", materials, total
        case householdsServed = "households_served", reversals, creditReversed = "credit_reversed"
        case netCredit = "net_credit", chainHead = "chain_head"
    }
}

public struct MaterialTotals: Sendable, Codable, Equatable {
    public let material: String
    public let nameArabic: String
    public let nameEnglish: String
    /// Every deposit recorded, whatever its outcome.
    public var deposits: Int = 0
    public var creditedDeposits: Int = 0
    /// Net grams of the credited deposits.
    public var creditedGrams: Int64 = 0
    public var anonymousDeposits: Int = 0
    /// Net grams donated with no session open.
    public var anonymousGrams: Int64 = 0
    /// Positive net grams of rejected deposits (they are in the bin too).
    public var rejectedGrams: Int64 = 0
    public var creditIssued: Int64 = 0
    /// Rejected deposits by reason (every reason present, zero or not).
    public var rejected: [String: Int] = Dictionary(
        uniqueKeysWithValues: MaterialTotals.rejectionReasons.map { ($0, 0) })

    public static let rejectionReasons = DepositReason.allCases
        .filter { !$0.isCredited && $0 != .anonymous }
        .map(\.rawValue)

    public init(material: String, nameArabic: String, nameEnglish: String) {
        self.material = material
        self.nameArabic = nameArabic
        self.nameEnglish = nameEnglish
    }

    /// All grams that went into the bins and were weighed.
    public var totalGrams: Int64 { creditedGrams + anonymousGrams + rejectedGrams }

    enum CodingKeys: String, CodingKey {
        case material, nameArabic = "name_ar", nameEnglish = "name_en", deposits
        case creditedDeposits = "credited_deposits", creditedGrams = "credited_grams"
        case anonymousDeposits = "anonymous_deposits", anonymousGrams = "anonymous_grams"
        case rejectedGrams = "rejected_grams", creditIssued = "credit_issued", rejected
    }

    public mutating func add(_ other: MaterialTotals) {
        deposits += other.deposits
        creditedDeposits += other.creditedDeposits
        creditedGrams += other.creditedGrams
        anonymousDeposits += other.anonymousDeposits
        anonymousGrams += other.anonymousGrams
        rejectedGrams += other.rejectedGrams
        creditIssued += other.creditIssued
        for (reason, count) in other.rejected { rejected[reason, default: 0] += count }
    }
}
