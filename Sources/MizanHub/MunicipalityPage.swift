import Foundation
import MizanCore
import MizanLedger

/// The municipality's page at the hub, Arabic first: the village's day per
/// kiosk and material, the last 30 days, each kiosk's last contact and the
/// open anomalies. One self-contained document: no script, no request of
/// its own (its policy allows inline style and nothing else).
public enum MunicipalityPage {
    public enum Language: String, Sendable {
        case arabic = "ar"
        case english = "en"
    }

    public struct Facts: Sendable {
        public var day: String
        public var totals: FleetTotals
        public var days: [HubStore.DayTotal]
        public var kiosks: [HubStore.KioskHealth]
        public var anomalies: [HubStore.Anomaly]
    }

    public static let policy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

    public static func render(_ facts: Facts, language: Language, switchQuery: String) -> String {
        func say(_ arabic: String, _ english: String) -> String { language == .arabic ? arabic : english }
        func cell(_ text: String, number: Bool = false) -> String {
            "<td>\(number ? "<bdi>\(escape(text))</bdi>" : escape(text))</td>"
        }
        // The village's one currency (the hub keeps amounts in its minor units).
        func money(_ minor: Int64) -> String { Currency.beniZeidCredit.formatAmount(minorUnits: minor) }
        // Each kiosk's materials that saw deposits, then the kiosk's own total.
        func dayRow(_ kiosk: DailyTotals, _ totals: MaterialTotals) -> String {
            let isTotal = totals.material == kiosk.total.material
            let cells: [String] = [
                cell(kiosk.kioskID, number: true), cell(say(totals.nameArabic, totals.nameEnglish)),
                cell(String(totals.deposits), number: true), cell(String(totals.creditedGrams), number: true),
                cell(money(totals.creditIssued), number: true),
                cell(isTotal ? String(kiosk.householdsServed) : "", number: true),
            ]
            return "<tr\(isTotal ? " class=\"kiosk-total\"" : "")>" + cells.joined() + "</tr>"
        }
        // Each kiosk's materials that saw deposits, then the kiosk's own total.
        let dayRows = facts.totals.kiosks.flatMap { kiosk in
            (kiosk.materials.filter { $0.deposits > 0 } + [kiosk.total]).map { dayRow(kiosk, $0) }
        }.joined(separator: "\n")
        let village = facts.totals.villageTotal
        let historyRows = facts.days.map { day in
            "<tr>" + cell(day.day, number: true) + cell(String(day.deposits), number: true)
                + cell(String(day.creditedGrams), number: true) + cell(money(day.creditIssued), number: true) + "</tr>"
        }.joined(separator: "\n")
        let kioskRows = facts.kiosks.map { kiosk in
            "<tr id=\"kiosk-\(escape(kiosk.kiosk))\">" + cell(kiosk.kiosk, number: true)
                + cell(kiosk.lastContact ?? say("لم يتصل بعد", "never"), number: true)
                + cell(String(kiosk.headSeq), number: true)
                + cell(kiosk.silent ? say("⚠ صامت", "⚠ silent") : say("✓ يتصل", "✓ in contact")) + "</tr>"
        }.joined(separator: "\n")
        let anomalyRows = facts.anomalies.map { anomaly in
            "<tr class=\"anomaly\">" + cell(anomaly.kind, number: true) + cell(anomaly.kiosk ?? "", number: true)
                + cell(anomaly.card ?? "", number: true) + cell(anomaly.day ?? "", number: true)
                + cell(anomaly.detail) + "</tr>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)" dir="\(language == .arabic ? "rtl" : "ltr")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(say("ميزان — القرية", "Mizan — the village"))</title>
            <style>
            body { font-family: "Noto Sans Arabic", "DejaVu Sans", sans-serif; color: #111; background: #fff; margin: 1rem; }
            table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
            th, td { border: 1px solid #555; padding: 0.3rem 0.5rem; text-align: start; }
            th { background: #1f3a5f; color: #fff; }
            .total { font-weight: bold; font-size: 1.3rem; }
            .kiosk-total td { font-weight: bold; background: #eef2f7; }
            bdi { unicode-bidi: isolate; }
            </style>
            </head>
            <body>
            <p><a href="?\(escape(switchQuery))">\(say("English", "عربي"))</a></p>
            <h1>\(say("القرية في", "The village on")) <bdi id="day">\(escape(facts.day))</bdi></h1>
            <p class="total">\(say("إيداعات", "Deposits")): <bdi id="village-deposits">\(village.deposits)</bdi> · \(say("غرامات", "grams")): <bdi id="village-grams">\(village.creditedGrams)</bdi> · \(say("رصيد صادر", "credit issued")): <bdi id="village-credit">\(money(village.creditIssued))</bdi> · \(say("أسر", "households")): <bdi id="village-households">\(facts.totals.villageHouseholdsServed)</bdi></p>
            <h2>\(say("حسب الجهاز والمادة", "By kiosk and material"))</h2>
            <table id="today"><tr><th>\(say("الجهاز", "Kiosk"))</th><th>\(say("المادة", "Material"))</th><th>\(say("إيداعات", "Deposits"))</th><th>\(say("غرام", "Grams"))</th><th>\(say("رصيد", "Credit"))</th><th>\(say("أسر", "Households"))</th></tr>
            \(dayRows)
            </table>
            <h2>\(say("آخر ٣٠ يوماً", "The last 30 days"))</h2>
            <table id="history"><tr><th>\(say("اليوم", "Day"))</th><th>\(say("إيداعات", "Deposits"))</th><th>\(say("غرام", "Grams"))</th><th>\(say("رصيد", "Credit"))</th></tr>
            \(historyRows)
            </table>
            <h2>\(say("الأجهزة", "Kiosks"))</h2>
            <table id="kiosks"><tr><th>\(say("الجهاز", "Kiosk"))</th><th>\(say("آخر اتصال", "Last contact"))</th><th>\(say("آخر رابط", "Last link"))</th><th>\(say("الحالة", "State"))</th></tr>
            \(kioskRows)
            </table>
            <h2>\(say("تنبيهات مفتوحة", "Open anomalies")) (<bdi id="anomaly-count">\(facts.anomalies.count)</bdi>)</h2>
            <table id="anomalies"><tr><th>\(say("النوع", "Kind"))</th><th>\(say("الجهاز", "Kiosk"))</th><th>\(say("البطاقة", "Card"))</th><th>\(say("اليوم", "Day"))</th><th>\(say("التفاصيل", "Detail"))</th></tr>
            \(anomalyRows)
            </table>
            </body>
            </html>

            """
    }

    static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
