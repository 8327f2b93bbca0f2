import Foundation
import MizanKiosk
import MizanCore
import MizanLedger
import Synchronization
import MizanPOSIX

/// Every request the control socket refused goes to the journal; the
/// audit log gets one record per peer, request and minute, so that
/// someone hammering the socket cannot fill the disk through it.
final class RefusalRecorder: Sendable {
    private let ledger: Ledger
    private let lastAudited = Guarded<[String: Int64]>([:])
    static let auditInterval: Int64 = 60_000

    init(ledger: Ledger) {
        self.ledger = ledger
    }

    func record(_ peer: PeerCredentials?, _ what: String, _ why: String) {
        let actor = peer?.actor ?? "an unknown peer"
        daemonLog.log(
            .warning, "control socket: refused \(what) from \(actor): \(why)",
            [
                "MIZAN_EVENT": "control_refused", "MIZAN_ACTOR": actor, "MIZAN_REQUEST": what,
            ])
        let clock = SystemClock.reading()
        let key = "\(actor)|\(what)"
        let due = lastAudited.withLock { last -> Bool in
            let now = clock.wall.millisecondsSinceEpoch
            if let previous = last[key], now - previous < Self.auditInterval, now >= previous { return false }
            if last.count > 1_000 { last.removeAll() }
            last[key] = now
            return true
        }
        guard due else { return }
        do {
            try ledger.recordAudit(kind: .action, actor: actor, summary: "refused \(what): \(why)", at: clock)
        } catch {
            daemonLog.log(.warning, "audit log: \(error)")
        }
    }
}
