import Foundation
public import MizanCore

/// The kiosk's local calendar (default Asia/Hebron): which local day a
/// moment belongs to, and which UTC interval a local day covers. A day on
/// which daylight saving time starts or ends is 23 or 25 hours long and is
/// still one day.
public struct LocalCalendar: Sendable {
    public let identifier: String
    private let calendar: Calendar

    public static let defaultIdentifier = "Asia/Hebron"

    /// Returns nil for a time zone the system's database does not know.
    public init?(identifier: String) {
        guard let timeZone = TimeZone(identifier: identifier) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.identifier = identifier
    }

    public func day(of time: WallClockTime) -> LocalDay {
        let date = Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1000)
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return LocalDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The UTC interval [start, end) of a local day, in milliseconds.
    public func interval(of day: LocalDay) -> (start: Int64, end: Int64) {
        let startDate =
            calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
            ?? Date(timeIntervalSince1970: 0)
        let endDate = calendar.date(byAdding: .day, value: 1, to: startDate) ?? startDate.addingTimeInterval(86_400)
        return (
            Int64((startDate.timeIntervalSince1970 * 1000).rounded()),
            Int64((endDate.timeIntervalSince1970 * 1000).rounded())
        )
    }

    /// The moment a local clock shows `hour:minute` on `day` (in a gap made
    /// by daylight saving time, the first moment after it).
    public func time(of day: LocalDay, hour: Int, minute: Int) -> WallClockTime? {
        guard (0..<24).contains(hour), (0..<60).contains(minute),
            let date = calendar.date(
                from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))
        else { return nil }
        return WallClockTime(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// The local days from `first` to `last`, inclusive.
    public func days(from first: LocalDay, through last: LocalDay) -> [LocalDay] {
        var days: [LocalDay] = []
        var current = first
        while current <= last, days.count < 3_700 {
            days.append(current)
            current = day(of: WallClockTime(millisecondsSinceEpoch: interval(of: current).end))
        }
        return days
    }
}

extension WallClockTime {
    /// ISO 8601 in UTC with milliseconds, for reports.
    public var iso8601: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000))
    }
}
