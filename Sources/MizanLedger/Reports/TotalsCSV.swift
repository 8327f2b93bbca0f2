import MizanCore

/// Daily totals as CSV: one row per day and material plus a total row per
/// day carrying the day's chain head. UTF-8 with a byte-order mark, so that
/// spreadsheet programs open the Arabic names correctly.
public enum TotalsCSV {
    public static let byteOrderMark = "\u{FEFF}"

    public static let header =
        [
            "day", "time_zone", "material", "name_ar", "name_en", "deposits", "credited_deposits", "credited_grams",
            "anonymous_deposits", "anonymous_grams", "rejected_grams",
        ] + MaterialTotals.rejectionReasons.map { "rejected_\($0)" } + [
            "credit_issued", "currency", "households_served", "credit_reversed", "net_credit", "chain_head_seq",
            "chain_head_hash",
        ]

    public static func render(_ report: TotalsReport) -> String {
        render(report.days, kioskColumn: false)
    }

    /// `kioskColumn`: each row starts with its day's `kiosk_id` (the hub's
    /// fleet totals: several kiosks' days in one sheet).
    public static func render(_ days: [DailyTotals], kioskColumn: Bool) -> String {
        var lines = [CSVField.record((kioskColumn ? ["kiosk_id"] : []) + header)]
        for day in days {
            for totals in day.materials + [day.total] {
                let isTotal = totals.material == day.total.material
                var fields = kioskColumn ? [day.kioskID] : []
                fields += [
                    day.day, day.timeZone, totals.material, totals.nameArabic, totals.nameEnglish,
                    String(totals.deposits), String(totals.creditedDeposits), String(totals.creditedGrams),
                    String(totals.anonymousDeposits), String(totals.anonymousGrams), String(totals.rejectedGrams),
                ]
                fields += MaterialTotals.rejectionReasons.map { String(totals.rejected[$0] ?? 0) }
                fields += [String(totals.creditIssued), day.currency]
                fields +=
                    isTotal
                    ? [
                        String(day.householdsServed), String(day.creditReversed), String(day.netCredit),
                        day.chainHead.map { String($0.seq) } ?? "", day.chainHead?.hash ?? "",
                    ]
                    : ["", "", "", "", ""]
                lines.append(CSVField.record(fields))
            }
        }
        return byteOrderMark + lines.joined(separator: "\r\n") + "\r\n"
    }
}
