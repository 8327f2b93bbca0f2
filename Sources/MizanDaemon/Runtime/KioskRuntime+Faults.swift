import MizanCore
import MizanLedger

/// Faults across restarts: each one raised or cleared goes to the ledger's
/// fault log, and a ledger fault is cleared once the ledger takes writes.
extension KioskRuntime {
    /// Records the faults raised and cleared since the last call.
    func recordFaultChanges() {
        let current = kiosk.activeFaults
        guard current != recordedFaults else { return }
        let clock = Self.wallClock()
        for fault in current.subtracting(recordedFaults).sorted() {
            record(fault.description, raised: true, at: clock)
        }
        for fault in recordedFaults.subtracting(current).sorted() {
            record(fault.description, raised: false, at: clock)
        }
        recordedFaults = current
    }

    private func record(_ fault: String, raised: Bool, at clock: LedgerClockReading) {
        do {
            try ledger.recordFault(fault, raised: raised, at: clock)
        } catch {
            // Most often the ledger fault itself: the journal still has it.
            DaemonLog.write(.warning, "fault log: \(error)")
        }
    }

    /// While out of service for a ledger error, try every two seconds
    /// whether a commit could go through again.
    func probeLedgerIfFaulted(at now: Instant) {
        guard now - lastLedgerProbe >= .seconds(2), kiosk.activeFaults.contains(.ledger) else { return }
        lastLedgerProbe = now
        do {
            try ledger.probeWritable()
            ledgerProblem = nil
            DaemonLog.write(.notice, "ledger: writable again")
            executor.handle(.faultCleared(.ledger, at: now), on: &kiosk, now: now)
        } catch {
            ledgerProblem = error.message
            DaemonLog.write(.warning, "ledger: still not writable: \(error)")
        }
    }

    /// Once a second: the ledger's path must still name the file being
    /// written. Deleted or moved under the daemon, every "credited" would
    /// go into an unlinked file; out of service instead, until restored.
    func checkLedgerFileInPlace(at now: Instant) {
        guard now - lastLedgerFileCheck >= .seconds(1), !kiosk.activeFaults.contains(.ledger) else { return }
        lastLedgerFileCheck = now
        do {
            try ledger.checkFileInPlace()
        } catch {
            ledgerProblem = error.message
            DaemonLog.write(.error, "ledger: \(error.message)", ["MIZAN_EVENT": "ledger_gone"])
            executor.handle(.faultRaised(.ledger, at: now), on: &kiosk, now: now)
        }
    }

}
