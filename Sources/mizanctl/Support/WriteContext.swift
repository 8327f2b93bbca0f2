import Foundation
import Glibc
import MizanConfiguration
import MizanDaemon
import MizanLedger

/// Who is changing the ledger from the command line, for the audit log:
/// "uid 1000 (amira)", and through sudo "uid 0 (root) via sudo by amira".
enum Operator {
    static var actor: String {
        var text = SystemUser.actor(getuid())
        if let sudo = ProcessInfo.processInfo.environment["SUDO_USER"], !sudo.isEmpty {
            text += " via sudo by \(sudo)"
        }
        return text
    }

    static var clock: LedgerClockReading { SystemClock.reading() }
}
