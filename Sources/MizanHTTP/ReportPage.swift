import Foundation
import MizanCore
import MizanLedger

/// The cooperatives' report page: plain server-rendered HTML with an
/// inline SVG chart, no scripts and no external assets (the kiosk is often
/// offline), readable on a phone. Arabic first, right to left; English on
/// request.
enum ReportPage {
    enum Language: String {
        case arabic = "ar"
        case english = "en"
    }

    struct Health {
        let inService: Bool
        let faults: String
        let since: String?
    }

    static func render(
        kioskID: String, today: DailyTotals, history: [DailyTotals], health: Health,
        language: Language, currency: (Int64) -> String, currencyCode: String, switchQuery: String
    ) -> String {
        // Table cells carry the amount alone, the column header its currency,
        // so that the table fits a phone's width.
        let amount: (Int64) -> String = { minorUnits in
            let text = currency(minorUnits)
            return text.hasSuffix(" " + currencyCode) ? String(text.dropLast(currencyCode.count + 1)) : text
        }
        let text = Strings(language)
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)" dir="\(language == .arabic ? "rtl" : "ltr")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>\(escape(text.title)) — \(escape(kioskID)) — \(escape(today.day))</title>
            <style>
            body { font-family: "Noto Naskh Arabic", "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 46rem; padding: 1rem; color: #1d2a1d; background: #fbfaf5; }
            h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
            .meta { color: #555; margin: 0 0 1rem; }
            .health { padding: .5rem .75rem; border-radius: .4rem; margin: 0 0 1rem; }
            .ok { background: #e2f3e2; } .down { background: #fbe3e1; }
            table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; }
            th, td { padding: .35rem .4rem; border-bottom: 1px solid #ddd; text-align: start; }
            td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; }
            .scroll { overflow-x: auto; }
            tr.total td { font-weight: bold; border-top: 2px solid #333; }
            .figures { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0 0 1rem; }
            .figure { background: #fff; border: 1px solid #ddd; border-radius: .4rem; padding: .5rem .75rem; }
            .figure b { display: block; font-size: 1.3rem; }
            svg { width: 100%; height: auto; direction: ltr; }
            .legend span { display: inline-block; margin-inline-end: .8rem; }
            .swatch { display: inline-block; width: .8rem; height: .8rem; margin-inline-end: .25rem; vertical-align: middle; }
            a { color: #1a5a8a; }
            </style>
            </head>
            <body>
            <p><a href="?\(escape(switchQuery))">\(escape(text.otherLanguage))</a></p>
            <h1>\(escape(text.title))</h1>
            <p class="meta">\(escape(text.kiosk)) \(escape(kioskID)) · \(escape(text.day)) <bdi id="day">\(escape(today.day))</bdi> <bdi>(\(escape(today.timeZone)))</bdi></p>

            """
        let healthText = health.inService ? text.inService : "\(text.outOfService): \(health.faults)"
        html +=
            "<p class=\"health \(health.inService ? "ok" : "down")\" id=\"health\">\(escape(healthText))\(health.since.map { " — \(escape(text.since)) \(escape($0))" } ?? "")</p>\n"
        html += """
            <div class="figures">
            <div class="figure">\(escape(text.kilograms))<b id="total-kg">\(kilograms(today.total.creditedGrams + today.total.anonymousGrams))</b></div>
            <div class="figure">\(escape(text.creditIssued))<b id="credit"><bdi>\(escape(currency(today.total.creditIssued)))</bdi></b></div>
            <div class="figure">\(escape(text.households))<b id="households">\(today.householdsServed)</b></div>
            </div>
            <div class="scroll">
            <table id="totals">
            <thead><tr><th>\(escape(text.material))</th><th class="n">\(escape(text.deposits))</th><th class="n">\(escape(text.creditedKg))</th><th class="n">\(escape(text.donatedKg))</th><th class="n">\(escape(text.credit)) (\(escape(currencyCode)))</th></tr></thead>
            <tbody>

            """
        for material in today.materials {
            html += row(
                name: language == .arabic ? material.nameArabic : material.nameEnglish, material, currency: amount,
                id: material.material)
        }
        html += row(name: text.total, today.total, currency: amount, id: "total", total: true)
        html += "</tbody>\n</table>\n</div>\n"
        html += "<h2>\(escape(text.chartTitle))</h2>\n"
        html += BarChart.svg(days: history, label: text.chartTitle)
        html += "<p class=\"legend\">"
        for (index, material) in (history.last?.materials ?? today.materials).enumerated() {
            let name = language == .arabic ? material.nameArabic : material.nameEnglish
            html +=
                "<span><i class=\"swatch\" style=\"background:\(BarChart.colour(index))\"></i>\(escape(name))</span>"
        }
        html += "</p>\n"
        if let head = today.chainHead {
            html +=
                "<p class=\"meta\">\(escape(text.chainHead)): \(head.seq) <code>\(escape(String(head.hash.prefix(16))))…</code></p>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    private static func row(
        name: String, _ totals: MaterialTotals, currency: (Int64) -> String, id: String, total: Bool = false
    ) -> String {
        "<tr id=\"row-\(escape(id))\"\(total ? " class=\"total\"" : "")><td>\(escape(name))</td><td class=\"n\">\(totals.deposits)</td>"
            + "<td class=\"n\">\(kilograms(totals.creditedGrams))</td><td class=\"n\">\(kilograms(totals.anonymousGrams))</td>"
            + "<td class=\"n\"><bdi>\(escape(currency(totals.creditIssued)))</bdi></td></tr>\n"
    }

    static func kilograms(_ grams: Int64) -> String {
        TotalsTable.kilograms(grams)
    }

    static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }

    struct Strings {
        let title, kiosk, day, inService, outOfService, since, kilograms, creditIssued, households: String
        let material, deposits, creditedKg, donatedKg, credit, total, chartTitle, chainHead, otherLanguage: String

        init(_ language: Language) {
            switch language {
            case .arabic:
                title = "ميزان — مجاميع اليوم"
                kiosk = "الجهاز"
                day = "اليوم"
                inService = "الجهاز في الخدمة"
                outOfService = "الجهاز خارج الخدمة"
                since = "منذ"
                kilograms = "كغم اليوم"
                creditIssued = "الرصيد الممنوح"
                households = "الأسر المخدومة"
                material = "المادة"
                deposits = "الإيداعات"
                creditedKg = "كغم مقابل رصيد"
                donatedKg = "كغم تبرع"
                credit = "الرصيد"
                total = "المجموع"
                chartTitle = "الكيلوغرامات لكل مادة في آخر 30 يومًا"
                chainHead = "رأس السلسلة"
                otherLanguage = "English"
            case .english:
                title = "Mizan — today's totals"
                kiosk = "Kiosk"
                day = "day"
                inService = "The kiosk is in service"
                outOfService = "The kiosk is out of service"
                since = "since"
                kilograms = "kg today"
                creditIssued = "Credit issued"
                households = "Households served"
                material = "Material"
                deposits = "Deposits"
                creditedKg = "Credited kg"
                donatedKg = "Donated kg"
                credit = "Credit"
                total = "Total"
                chartTitle = "Kilograms per material, last 30 days"
                chainHead = "Chain head"
                otherLanguage = "العربية"
            }
        }
    }
}
