import HummingbirdCore
public import MizanCore

/// The days a request asks for: `day=YYYY-MM-DD`, or `from=…&to=…`
/// (inclusive, at most `maximumDays`), or today when neither is given.
public struct DayRange: Equatable, Sendable {
    public let first: LocalDay
    public let last: LocalDay

    public static let maximumDays = 366

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badDay(parameter: String, value: String)
        case both
        case incomplete
        case backwards
        case tooLong(days: Int)

        public var description: String {
            switch self {
            case let .badDay(parameter, value): "\(parameter)=\(value) is not a date: use YYYY-MM-DD"
            case .both: "give day=, or from= and to=, not both"
            case .incomplete: "a range needs both from= and to="
            case .backwards: "from= is after to="
            case let .tooLong(days): "a range is at most \(DayRange.maximumDays) days, this one is \(days)"
            }
        }
    }

    /// The range a raw query string (`day=…&…`, without the `?`) asks for, read
    /// as Hummingbird reads a request's (percent-decoding included).
    public static func parse(query: String, today: LocalDay) throws(Problem) -> DayRange {
        let parameters = URI("/?" + query).queryParameters
        let value = { (name: String) in parameters[Substring(name)].map(String.init) }
        return try parse(day: value("day"), from: value("from"), to: value("to"), today: today)
    }

    static func parse(day: String?, from: String?, to: String?, today: LocalDay) throws(Problem) -> DayRange {
        func parsed(_ name: String, _ value: String) throws(Problem) -> LocalDay {
            guard value.count == 10, let day = LocalDay(value) else {
                throw .badDay(parameter: name, value: String(value.prefix(20)))
            }
            return day
        }
        if let day {
            guard from == nil, to == nil else { throw .both }
            let single = try parsed("day", day)
            return DayRange(first: single, last: single)
        }
        switch (from, to) {
        case (nil, nil):
            return DayRange(first: today, last: today)
        case let (from?, to?):
            let first = try parsed("from", from)
            let last = try parsed("to", to)
            guard first <= last else { throw .backwards }
            let days = first.days(to: last) + 1
            guard days <= maximumDays else { throw .tooLong(days: days) }
            return DayRange(first: first, last: last)
        default:
            throw .incomplete
        }
    }
}
