import Foundation
import MizanCore

/// The municipality's pages for spending, Arabic first like the village's
/// page: a cooperative's settlement for a period (every receipt, the sums,
/// the chain head to keep) and a household's statement (earnings by kiosk
/// as of each kiosk's last contact, spending by cooperative). No script.
enum SpendingPages {
    static func settlement(_ settlement: Settlement, currency: Currency) -> String {
        let escape = HTMLText.escape
        let rows = settlement.receipts.map { receipt in
            let cells = [
                String(receipt.seq), receipt.kind == "void" ? "إلغاء — void" : "صرف — redemption", receipt.localDay,
                receipt.cashier, "…" + String(receipt.card.suffix(4)),
                currency.formatAmount(minorUnits: receipt.amount),
                receipt.voids.map(String.init) ?? "",
            ]
            return "<tr>" + cells.map { "<td><bdi>\(escape($0))</bdi></td>" }.joined() + "</tr>"
        }.joined(separator: "\n")
        let head = settlement.chainHead.map { "\($0.seq) · \($0.hash)" } ?? "—"
        return document(
            title: "تسوية \(settlement.cooperative) — Settlement",
            body: """
                <h1>تسوية الجمعية <bdi id="cooperative">\(escape(settlement.cooperative))</bdi></h1>
                <p>Settlement <bdi>\(escape(settlement.from))</bdi> … <bdi>\(escape(settlement.to))</bdi></p>
                <p class="total">المستحق — Net: <bdi id="net">\(currency.formatAmount(minorUnits: settlement.net))</bdi>
                 (صرف — redeemed <bdi id="redeemed">\(currency.formatAmount(minorUnits: settlement.redeemed))</bdi>,
                 إلغاء — voided <bdi id="voided">\(currency.formatAmount(minorUnits: settlement.voided))</bdi>)</p>
                <table id="receipts"><tr><th>رقم — No.</th><th>النوع — Kind</th><th>اليوم — Day</th><th>أمين الصندوق — Cashier</th><th>البطاقة — Card</th><th>المبلغ — Amount</th><th>يلغي — Voids</th></tr>
                \(rows)
                </table>
                <p>رأس السلسلة (احفظوه للتحقق لاحقاً) — Chain head (keep it to check later): <bdi id="chain-head">\(escape(head))</bdi></p>
                """)
    }

    static func statement(_ statement: HouseholdStatement, currency: Currency) -> String {
        let escape = HTMLText.escape
        let earned = statement.earned.map {
            "<tr><td><bdi>\(escape($0.kiosk))</bdi></td><td><bdi>\(currency.formatAmount(minorUnits: $0.amount))</bdi></td><td><bdi>\(escape($0.asOf ?? "—"))</bdi></td></tr>"
        }.joined(separator: "\n")
        let spent = statement.spent.map {
            "<tr><td><bdi>\(escape($0.cooperative))</bdi></td><td><bdi>\(currency.formatAmount(minorUnits: $0.redeemed - $0.voided))</bdi></td></tr>"
        }.joined(separator: "\n")
        return document(
            title: "كشف حساب — Statement",
            body: """
                <h1>كشف حساب الأسرة — Household statement</h1>
                <p class="name"><bdi id="name">\(escape(statement.name ?? "—"))</bdi> · <bdi>…\(escape(String(statement.card.suffix(4))))</bdi></p>
                <p class="total">الرصيد — Balance: <bdi id="balance">\(currency.formatAmount(minorUnits: statement.balance))</bdi></p>
                <h2>المكتسب حسب الجهاز — Earned by kiosk (حتى آخر اتصال — as of last contact)</h2>
                <table id="earned"><tr><th>الجهاز — Kiosk</th><th>المبلغ — Amount</th><th>آخر اتصال — Last contact</th></tr>
                \(earned)
                </table>
                <h2>المصروف حسب الجمعية — Spent by cooperative</h2>
                <table id="spent"><tr><th>الجمعية — Cooperative</th><th>المبلغ — Amount</th></tr>
                \(spent)
                </table>
                """)
    }

    private static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="ar" dir="rtl">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title>
        <style>
        body { font-family: "Noto Sans Arabic", "DejaVu Sans", sans-serif; color: #111; background: #fff; margin: 1rem; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
        th, td { border: 1px solid #555; padding: 0.3rem 0.5rem; text-align: start; }
        th { background: #1f3a5f; color: #fff; }
        .total, .name { font-weight: bold; font-size: 1.3rem; }
        bdi { unicode-bidi: isolate; }
        @media print { th { color: #000; background: #ddd; } }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
