public import MizanCore
public import MizanLedger

/// What the kiosk needs of its ledger. The daemon and the replay tier hand
/// the coordinator a real `Ledger`; the core tests an in-memory book with
/// the same rules, so that all three run the same kiosk.
public protocol KioskBook: AnyObject {
    var calendar: LocalCalendar { get }
    func nextSequences() throws(LedgerError) -> (deposit: Int64, session: Int64)
    /// The price table in force at `time`, nil when none is.
    func prices(at time: WallClockTime) throws(LedgerError) -> PriceTable?
    func lookup(card: CardUID, at clock: LedgerClockReading) throws(LedgerError) -> CardLookup
    func recordSessionOpened(_ opening: SessionOpening, at clock: LedgerClockReading) throws(LedgerError)
    func recordSessionClosed(_ closing: SessionClosing, at clock: LedgerClockReading) throws(LedgerError)
    /// Sessions a crash left open, closed now; their ids.
    func closeInterruptedSessions(at clock: LedgerClockReading) throws(LedgerError) -> [String]
    func commit(_ record: DepositRecord, at clock: LedgerClockReading) throws(LedgerError)
    func recordFault(_ fault: String, raised: Bool, at clock: LedgerClockReading) throws(LedgerError)
    /// Proves a write would go through now (space, permissions).
    func probeWritable() throws(LedgerError)
    /// The book's path still names the file being written.
    func checkFileInPlace() throws(LedgerError)
}

extension Ledger: KioskBook {
    public func prices(at time: WallClockTime) throws(LedgerError) -> PriceTable? {
        try priceSchedule().active(at: time)
    }

    public func commit(_ record: DepositRecord, at clock: LedgerClockReading) throws(LedgerError) {
        _ = try commitDeposit(record, at: clock)
    }

    public func probeWritable() throws(LedgerError) {
        try probeWritable(minimumFreeBytes: 1 << 20)
    }
}
