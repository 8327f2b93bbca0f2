/// Everything the ledger records about one deposit, credited or not.
public struct DepositRecord: Hashable, Sendable {
    public let id: DepositID
    public let session: SessionID?
    public let household: HouseholdID?
    /// The bin whose lid opened first.
    public let bin: BinID
    public let material: MaterialID
    /// Every bin whose lid was open during the deposit (more than one means
    /// `ambiguousBin`).
    public let binsOpened: [BinID]
    public let baseline: Grams?
    public let final: Grams?
    /// final − baseline, when both were stable.
    public let net: Grams?
    /// Grams that earned credit.
    public let creditedGrams: Grams
    public let priceVersion: Int64?
    public let ratePerKilogram: Int64?
    public let credit: Int64
    public let currencyCode: String
    public let carryIn: CreditCarry
    public let carryOut: CreditCarry
    public let reason: DepositReason
    public let lidOpenedAt: Instant
    public let lidClosedAt: Instant?
    public let decidedAt: Instant

    public init(
        id: DepositID, session: SessionID?, household: HouseholdID?, bin: BinID, material: MaterialID,
        binsOpened: [BinID], baseline: Grams?, final: Grams?, net: Grams?, creditedGrams: Grams,
        priceVersion: Int64?, ratePerKilogram: Int64?, credit: Int64, currencyCode: String,
        carryIn: CreditCarry, carryOut: CreditCarry, reason: DepositReason,
        lidOpenedAt: Instant, lidClosedAt: Instant?, decidedAt: Instant
    ) {
        self.id = id
        self.session = session
        self.household = household
        self.bin = bin
        self.material = material
        self.binsOpened = binsOpened
        self.baseline = baseline
        self.final = final
        self.net = net
        self.creditedGrams = creditedGrams
        self.priceVersion = priceVersion
        self.ratePerKilogram = ratePerKilogram
        self.credit = credit
        self.currencyCode = currencyCode
        self.carryIn = carryIn
        self.carryOut = carryOut
        self.reason = reason
        self.lidOpenedAt = lidOpenedAt
        self.lidClosedAt = lidClosedAt
        self.decidedAt = decidedAt
    }
}
