import MizanLedger

/// Kilograms per material per day as stacked columns, oldest on the left,
/// in plain SVG.
enum BarChart {
    static let colours = ["#2e7d32", "#1565c0", "#8d6e63", "#00838f", "#f9a825", "#6a1b9a", "#c62828"]

    static func colour(_ index: Int) -> String {
        colours[index % colours.count]
    }

    static func svg(days: [DailyTotals], label: String) -> String {
        let width = 600.0
        let height = 220.0
        let left = 40.0
        let bottom = 24.0
        let plotHeight = height - bottom - 10
        let slot = (width - left) / Double(max(days.count, 1))
        let largest =
            days.map { day in day.materials.reduce(Int64(0)) { $0 + $1.creditedGrams + $1.anonymousGrams } }.max() ?? 0
        let scale = largest > 0 ? plotHeight / Double(largest) : 0
        var svg =
            "<svg id=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(ReportPage.escape(label))\">\n"
        svg +=
            "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#333\"/>\n"
        svg +=
            "<text x=\"\(left - 4)\" y=\"14\" font-size=\"10\" text-anchor=\"end\">\(TotalsTable.kilograms(largest))</text>\n"
        svg += "<text x=\"\(left - 4)\" y=\"\(height - bottom)\" font-size=\"10\" text-anchor=\"end\">0</text>\n"
        for (index, day) in days.enumerated() {
            let x = left + Double(index) * slot + slot * 0.15
            var y = height - bottom
            for (materialIndex, material) in day.materials.enumerated() {
                let grams = material.creditedGrams + material.anonymousGrams
                guard grams > 0 else { continue }
                let barHeight = Double(grams) * scale
                y -= barHeight
                svg +=
                    "<rect x=\(quote(x)) y=\(quote(y)) width=\(quote(slot * 0.7)) height=\(quote(barHeight)) fill=\"\(colour(materialIndex))\"><title>\(day.day) \(material.nameEnglish): \(TotalsTable.kilograms(grams)) kg</title></rect>\n"
            }
            if index % 5 == 0 || index == days.count - 1 {
                let anchor = index == days.count - 1 ? "end" : "middle"
                svg +=
                    "<text x=\(quote(index == days.count - 1 ? width : x + slot * 0.35)) y=\"\(height - 8)\" font-size=\"9\" text-anchor=\"\(anchor)\">\(day.day.suffix(5))</text>\n"
            }
        }
        svg += "</svg>\n"
        return svg
    }

    private static func quote(_ value: Double) -> String {
        "\"" + String(Double(Int((value * 10).rounded())) / 10) + "\""
    }
}
