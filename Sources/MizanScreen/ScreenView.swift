/// What the screen shows, in no language yet: the facts of one state. The
/// web process keeps one and sends it to every page; each page's language
/// and digits are applied when it is rendered (`ScreenMessage`).
public struct ScreenView: Codable, Sendable, Hashable {
    public var state: ScreenState
    public var householdName: String?
    public var bin: String?
    public var material: String?
    public var grams: Int64?
    public var creditMinor: Int64?
    /// The daily cap cut the credit.
    public var capped = false
    /// Why a deposit earned nothing (a `DepositReason`, or `not_recorded`),
    /// or why a card was refused (a `TapRefusal`).
    public var reason: String?
    /// Committed credit of the open (or just closed) session.
    public var sessionCreditMinor: Int64?
    /// The household's balance, read from the ledger after the commit.
    public var balanceMinor: Int64?
    /// The household's balance across the village when the hub answered:
    /// the other kiosks' credit as of their last contact, less what it
    /// spent at the cooperatives, plus this kiosk's own balance.
    public var villageBalanceMinor: Int64?
    /// The monotonic instant of the sample that decided the deposit, for
    /// the benchmark's latency figure.
    public var decidedMonotonicNs: Int64?

    public init(_ state: ScreenState) {
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case state, householdName = "household_name", bin, material, grams, creditMinor = "credit_minor", capped
        case reason, sessionCreditMinor = "session_credit_minor", balanceMinor = "balance_minor"
        case villageBalanceMinor = "village_balance_minor"
        case decidedMonotonicNs = "decided_monotonic_ns"
    }
}
