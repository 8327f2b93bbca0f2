import Foundation
import Glibc
import MizanDaemon
import MizanLedger

/// Who is changing the ledger from the command line, for the audit log:
/// "uid 1000 (amira)", and through sudo "uid 0 (root) via sudo by amira".
enum Operator {
    static var actor: String {
        let uid = getuid()
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 1024)
        var text = "uid \(uid)"
        if getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name {
            text += " (\(String(cString: name)))"
        }
        if let sudo = ProcessInfo.processInfo.environment["SUDO_USER"], !sudo.isEmpty {
            text += " via sudo by \(sudo)"
        }
        return text
    }

    static var clock: LedgerClockReading { SystemClock.reading() }
}
