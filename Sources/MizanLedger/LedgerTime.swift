import Foundation
public import MizanCore

/// The wall clock as the daemon read it, and whether it is synchronised
/// (NTP, or an RTC the kiosk trusts). A board without RTC boots with the last
/// saved time and jumps when NTP arrives, if it ever does.
public struct LedgerClockReading: Sendable, Hashable {
    public let wall: WallClockTime
    public let synchronized: Bool

    public init(wall: WallClockTime, synchronized: Bool) {
        self.wall = wall
        self.synchronized = synchronized
    }
}

/// When a ledger row is recorded. `recorded` never runs backwards: if the
/// wall clock is behind the ledger, the ledger's own time is kept, the row is
/// flagged, and the anomaly is written to the audit log.
struct LedgerTimestamp {
    let recorded: Int64
    let wall: Int64
    let synchronized: Bool
    let anomaly: Bool
    /// The journal's last link, read once per transaction and advanced in
    /// memory as links are appended.
    var journalTail: JournalTail
}

struct JournalTail {
    var seq: Int64
    var hash: Data
}
