public import MizanCore

/// Daily totals as a table for a technician's or cooperative's terminal.
/// Arabic names go in the last column, where right-to-left text cannot
/// disturb the alignment of the figures.
public enum TotalsTable {
    public static func render(_ report: TotalsReport, currency: Currency) -> String {
        var output = ""
        for day in report.days {
            output += "Kiosk \(report.kioskID) — \(day.day) (\(day.timeZone), \(day.hours) h)\n"
            var rows = [["Material", "Deposits", "Credited kg", "Donated kg", "Rejected kg", "Credit", "الاسم"]]
            for totals in day.materials + [day.total] {
                rows.append([
                    totals.nameEnglish, String(totals.deposits), kilograms(totals.creditedGrams),
                    kilograms(totals.anonymousGrams), kilograms(totals.rejectedGrams),
                    currency.formatAmount(minorUnits: totals.creditIssued), totals.nameArabic,
                ])
            }
            output += layout(rows)
            let rejected = day.total.rejected.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            output += "Households served: \(day.householdsServed)"
            output += "   Credit issued: \(currency.format(minorUnits: day.total.creditIssued))"
            if day.reversals > 0 {
                output += "   Reversed: \(currency.format(minorUnits: day.creditReversed)) (\(day.reversals))"
                output += "   Net: \(currency.format(minorUnits: day.netCredit))"
            }
            output += "\n"
            if !rejected.isEmpty { output += "Rejected: \(rejected)\n" }
            if let head = day.chainHead {
                output += "Chain head: \(head.seq) \(head.hash)\n"
            } else {
                output += "Chain head: none (nothing recorded yet)\n"
            }
            output += "\n"
        }
        return output
    }

    /// Grams as kilograms with three decimals, in integer arithmetic.
    public static func kilograms(_ grams: Int64) -> String {
        let sign = grams < 0 ? "-" : ""
        let magnitude = grams.magnitude
        return "\(sign)\(magnitude / 1000).\(String(magnitude % 1000).leftPadded(3))"
    }

    static func layout(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                if index == row.count - 1 { return cell }
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
