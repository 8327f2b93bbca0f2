public import MizanCore
public import MizanLedger

/// When something happens to the kiosk, read once per turn of its loop:
/// the monotonic instant for timeouts, the wall clock for the ledger and
/// the local day. A deposit's day and its recorded time are one reading.
public struct KioskMoment: Sendable, Hashable {
    public let monotonic: Instant
    public let clock: LedgerClockReading

    public init(monotonic: Instant, clock: LedgerClockReading) {
        (self.monotonic, self.clock) = (monotonic, clock)
    }
}
