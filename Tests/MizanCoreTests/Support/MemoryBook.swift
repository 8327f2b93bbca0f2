import MizanCore
import MizanKiosk
import MizanLedger

/// A book in memory with the ledger's rules that matter to the kiosk: each
/// committed deposit updates its household's carry and that local day's
/// usage, so the next session is capped and carried as the real ledger
/// would; while `works` is false every write is refused as a full disk
/// would be.
final class MemoryBook: KioskBook {
    let calendar = LocalCalendar(identifier: LocalCalendar.defaultIdentifier)!
    var prices: PriceTable?
    var accounts: [CardUID: CardLookup] = [:]
    var works = true
    private(set) var deposits: [DepositRecord] = []
    /// Usage per household and local day.
    private var usage: [HouseholdID: [LocalDay: DailyUsage]] = [:]

    init(prices: PriceTable?) {
        self.prices = prices
    }

    func nextSequences() throws(LedgerError) -> (deposit: Int64, session: Int64) { (1, 1) }
    func prices(at time: WallClockTime) throws(LedgerError) -> PriceTable? { prices }
    func lookup(card: CardUID, at clock: LedgerClockReading) throws(LedgerError) -> CardLookup {
        guard case var .active(account) = accounts[card] else { return accounts[card] ?? .unknown }
        account.usageToday = usage[account.id]?[calendar.day(of: clock.wall)] ?? .zero
        return .active(account)
    }
    func recordSessionOpened(_ opening: SessionOpening, at clock: LedgerClockReading) throws(LedgerError) {
        try refuseUnlessWorking()
    }
    func recordSessionClosed(_ closing: SessionClosing, at clock: LedgerClockReading) throws(LedgerError) {}
    func closeInterruptedSessions(at clock: LedgerClockReading) throws(LedgerError) -> [String] { [] }
    func recordFault(_ fault: String, raised: Bool, at clock: LedgerClockReading) throws(LedgerError) {}
    func probeWritable() throws(LedgerError) { try refuseUnlessWorking() }
    func checkFileInPlace() throws(LedgerError) {}

    func commit(_ record: DepositRecord, at clock: LedgerClockReading) throws(LedgerError) {
        try refuseUnlessWorking()
        deposits.append(record)
        remember(record, on: calendar.day(of: clock.wall))
    }

    private func refuseUnlessWorking() throws(LedgerError) {
        guard works else {
            throw LedgerError(kind: .diskFull, operation: "writing", message: "the test's disk is full")
        }
    }

    /// What the ledger would hand the next session of the household.
    private func remember(_ record: DepositRecord, on day: LocalDay) {
        guard record.reason.isCredited, let household = record.household,
            let (card, lookup) = accounts.first(where: {
                if case let .active(account) = $0.value { account.id == household } else { false }
            }),
            case var .active(account) = lookup
        else { return }
        account.carry = record.carryOut
        accounts[card] = .active(account)
        usage[household, default: [:]][day, default: .zero].creditMinorUnits += record.credit
        usage[household, default: [:]][day, default: .zero].grams += record.creditedGrams.value
    }
}
