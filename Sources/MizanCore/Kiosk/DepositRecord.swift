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
}
