import MizanCore
import MizanHTTP

/// What a hostile HTTP client puts in a query string or a form field.
enum QueryTargets {
    static let today = LocalDay("2026-12-01")!

    static let dayRange = FuzzTarget(
        name: "day-range-query",
        property: "no trap; an accepted range runs forwards and spans at most the longest range allowed"
    ) { bytes in
        let query = String(decoding: bytes, as: UTF8.self)
        guard let range = try? DayRange.parse(query: query, today: today) else { return nil }
        if range.last < range.first { return "\(query) gives \(range.first)…\(range.last), backwards" }
        let days = range.first.days(to: range.last) + 1
        return days <= DayRange.maximumDays ? nil : "\(query) spans \(days) days"
    }

    static let typedAmount = FuzzTarget(
        name: "typed-amount",
        property: "no trap; an accepted amount is positive and formats back to the same amount"
    ) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let currency = Currency.beniZeidCredit
        guard let minor = currency.minorUnits(typed: text) else { return nil }
        let formatted = currency.formatAmount(minorUnits: minor)
        let again = currency.minorUnits(typed: formatted)
        return again == minor
            ? nil : "\(text) is \(minor), formatted \(formatted), read back as \(String(describing: again))"
    }
}
