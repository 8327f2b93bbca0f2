import Foundation
import MizanCore
import MizanLedger

/// A moment given on the command line: `now`, a local day (`2026-12-01`,
/// its midnight), a local time (`2026-12-01T06:00`), or ISO 8601 with a
/// zone (`2026-12-01T04:00:00Z`, `…+02:00`). Local means the kiosk's time
/// zone, as the ledger records it.
enum TimeArgument {
    static func parse(_ text: String, calendar: LocalCalendar, now: WallClockTime) -> WallClockTime? {
        if text == "now" { return now }
        if let day = LocalDay(text) { return calendar.time(of: day, hour: 0, minute: 0) }
        let parts = text.split(separator: "T", maxSplits: 1)
        if parts.count == 2, let day = LocalDay(parts[0]) {
            let clock = parts[1].split(separator: ":")
            if clock.count == 2, clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]),
                let minute = Int(clock[1])
            {
                return calendar.time(of: day, hour: hour, minute: minute)
            }
        }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) {
                return WallClockTime(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
            }
        }
        return nil
    }

    static let help =
        "now, a local day (2026-12-01), a local time (2026-12-01T06:00) or ISO 8601 with a zone (2026-12-01T04:00:00Z)"
}
