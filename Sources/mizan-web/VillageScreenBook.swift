import MizanCore
import MizanLedger
import MizanReplication
import MizanScreen

/// The screen's book with a hub: the ledger for everything this kiosk
/// knows, and the household's balance across the village — the hub's
/// balance (the other kiosks' credit as of their last contact, less what
/// was spent at the cooperatives) with this kiosk's part replaced by the
/// ledger's own, which is never behind.
struct VillageScreenBook: ScreenBook {
    let ledger: Ledger
    let village: VillageBalances

    func householdName(_ household: HouseholdID) -> String? { ledger.householdName(household) }
    func committedBalance(of household: HouseholdID) -> Int64? { ledger.committedBalance(of: household) }
    func committedSessionCredit(_ session: String, of household: HouseholdID) -> Int64? {
        ledger.committedSessionCredit(session, of: household)
    }
    func committedDeposit(_ id: String) -> DepositOutcome? { ledger.committedDeposit(id) }

    func villageBalance(of household: HouseholdID) -> Int64? {
        guard let card = (try? ledger.household(id: household)) ?? nil, let hub = village.lookup(card: card.card.hex),
            let own = ledger.committedBalance(of: household)
        else { return nil }
        return own + hub.balance - hub.earnedHere
    }
}
