import Logging
import MizanCore
import MizanLedger

/// Faults across restarts: each one raised or cleared since the last turn
/// goes to the book's fault log.
struct FaultLog {
    private var recorded: Set<KioskFault> = []

    mutating func record(
        _ current: Set<KioskFault>, in book: any KioskBook, at clock: LedgerClockReading, logger: Logger
    ) {
        guard current != recorded else { return }
        for fault in current.subtracting(recorded).sorted() {
            write(fault, raised: true, book, clock, logger)
        }
        for fault in recorded.subtracting(current).sorted() {
            write(fault, raised: false, book, clock, logger)
        }
        recorded = current
    }

    private func write(
        _ fault: KioskFault, raised: Bool, _ book: any KioskBook, _ clock: LedgerClockReading, _ logger: Logger
    ) {
        do {
            try book.recordFault(fault.description, raised: raised, at: clock)
        } catch {
            // Most often the ledger fault itself: the journal still has it.
            logger.warning("fault log: \(error)")
        }
    }
}
