import Logging
import MizanCore

/// The kiosk's eye on its book: once a second the ledger's path must still
/// name the file being written (deleted or moved under the daemon, every
/// "credited" would go into an unlinked file); while out of service for
/// the ledger, every two seconds a probe whether writes go through again.
struct LedgerWatch {
    /// Why the ledger cannot be written, while it cannot.
    private(set) var problem: String?
    private var lastFileCheck = Instant.origin
    private var lastProbe = Instant.origin

    enum Finding {
        case lost
        case writableAgain
    }

    mutating func check(_ book: any KioskBook, faulted: Bool, at now: Instant, logger: Logger) -> Finding? {
        if faulted {
            guard now - lastProbe >= .seconds(2) else { return nil }
            lastProbe = now
            do {
                try book.probeWritable()
                problem = nil
                logger.notice("ledger: writable again")
                return .writableAgain
            } catch {
                problem = error.message
                logger.warning("ledger: still not writable: \(error)")
                return nil
            }
        }
        guard now - lastFileCheck >= .seconds(1) else { return nil }
        lastFileCheck = now
        do {
            try book.checkFileInPlace()
            return nil
        } catch {
            problem = error.message
            logger.log(.error, "ledger: \(error.message)", ["MIZAN_EVENT": "ledger_gone"])
            return .lost
        }
    }
}
