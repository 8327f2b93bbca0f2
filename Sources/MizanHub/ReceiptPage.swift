import Foundation
import MizanCore

/// A redemption's receipt, printable (Arabic first, the English below it):
/// its number, when, where, who, how much, and its hash in the chain.
enum ReceiptPage {
    static func render(_ receipt: Receipt, household: String?, currency: Currency) -> String {
        let escape = HTMLText.escape
        let when = Date(timeIntervalSince1970: Double(receipt.recordedAtMs) / 1000).formatted(.iso8601)
        let isVoid = receipt.kind == "void"
        let title = isVoid ? "إيصال إلغاء — Void receipt" : "إيصال صرف — Redemption receipt"
        var rows: [(String, String)] = [
            ("رقم العملية — Number", String(receipt.seq)),
            ("التاريخ — Date", "\(receipt.localDay) (\(when))"),
            ("الجمعية — Cooperative", receipt.cooperative),
            ("أمين الصندوق — Cashier", receipt.cashier),
            ("الأسرة — Household", household ?? ""),
            ("البطاقة — Card", "…" + String(receipt.card.suffix(4))),
            ("المبلغ — Amount", currency.format(minorUnits: receipt.amount)),
        ]
        if let voided = receipt.voids { rows.append(("يلغي العملية — Voids", String(voided))) }
        rows.append(("السلسلة — Chain", receipt.hash))
        let table = rows.map { "<tr><th>\(escape($0.0))</th><td><bdi>\(escape($0.1))</bdi></td></tr>" }
            .joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="ar" dir="rtl">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) \(receipt.seq)</title>
            <link rel="stylesheet" href="/desk/desk.css">
            </head>
            <body>
            <h1 id="receipt-title">\(escape(title))</h1>
            <table id="receipt" data-seq="\(receipt.seq)" data-amount="\(receipt.amount)">
            \(table)
            </table>
            </body>
            </html>

            """
    }
}
