public import MizanCore
public import MizanLedger

/// What the screen reads from the ledger (read-only, committed rows only;
/// nil when the ledger cannot be read). `Ledger` is one; the tests give a
/// book in memory.
public protocol ScreenBook: Sendable {
    func householdName(_ household: HouseholdID) -> String?
    func committedBalance(of household: HouseholdID) -> Int64?
    func committedSessionCredit(_ session: String, of household: HouseholdID) -> Int64?
    func committedDeposit(_ id: String) -> DepositOutcome?
    /// The household's balance across the village, when known without
    /// waiting (nil otherwise); asking may start a look-up for next time.
    func villageBalance(of household: HouseholdID) -> Int64?
}

extension ScreenBook {
    /// A kiosk without a hub knows only its own ledger.
    public func villageBalance(of household: HouseholdID) -> Int64? { nil }
}

extension Ledger: ScreenBook {
    public func householdName(_ household: HouseholdID) -> String? {
        (try? self.household(id: household))??.name
    }

    public func committedBalance(of household: HouseholdID) -> Int64? {
        try? balance(of: household)
    }

    public func committedSessionCredit(_ session: String, of household: HouseholdID) -> Int64? {
        try? sessionCredit(session, of: household)
    }

    public func committedDeposit(_ id: String) -> DepositOutcome? {
        (try? depositOutcome(id: id)) ?? nil
    }
}
