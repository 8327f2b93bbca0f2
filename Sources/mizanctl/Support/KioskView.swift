import Foundation

/// The kiosk's status object as a technician reads it, for `status` and
/// for each refresh of `watch`.
enum KioskView {
    static func lines(_ status: [String: String], samplesPerSecond: Double? = nil, now: Date = Date()) -> [String] {
        func value(_ key: String) -> String? { status[key].flatMap { $0.isEmpty ? nil : $0 } }
        var lines: [String] = []
        let inService = status["in_service"] == "true"
        lines.append("Kiosk \(status["kiosk"] ?? "?"): \(inService ? "IN SERVICE" : "OUT OF SERVICE")\(value("faults").map { " (\($0))" } ?? "")")

        var scale = "  scale: "
        if let weight = value("weight_g") {
            scale += "\(weight) g, \(status["stable"] == "true" ? "stable" : "moving")"
        } else {
            scale += "no reading"
        }
        if status["zero_set"] == "false" { scale += ", zero not set yet" }
        if let offset = value("zero_offset_mg").flatMap(Int64.init), let budget = value("zero_budget_mg").flatMap(Int64.init), budget > 0 {
            scale += String(format: ", zero %+.1f g (%d%% of ±%.0f g)", Double(offset) / 1000, Int(offset.magnitude * 100 / UInt64(budget)), Double(budget) / 1000)
        }
        if let rate = samplesPerSecond { scale += String(format: ", %.0f readings/s", rate) }
        if let counts = value("raw_counts") { scale += ", raw \(counts) counts" }
        if let faults = value("scale_faults") { scale += " — \(faults)" }
        lines.append(scale)

        let open = Set((status["open_lids"] ?? "").split(separator: ",").map(String.init))
        let bins = (status["bins"] ?? "").split(separator: ",").map(String.init)
        if !bins.isEmpty {
            lines.append("  lids: " + bins.map { "\($0) \(open.contains($0) ? "OPEN" : "closed")" }.joined(separator: ", "))
        }
        if let card = value("last_card") {
            var text = "  last card: \(card) (\(status["last_card_holder"] ?? "?"))"
            if let milliseconds = value("last_card_at_ms").flatMap(Int64.init) {
                let seconds = Int(now.timeIntervalSince1970 - Double(milliseconds) / 1000)
                text += ", \(max(0, seconds)) s ago"
            }
            lines.append(text)
        } else {
            lines.append("  last card: none since start-up")
        }
        if let session = value("session") {
            lines.append("  session \(session) (household \(status["household"] ?? "?")), deposit: \(status["deposit_phase"] ?? "?")")
        } else {
            lines.append("  no session open")
        }
        lines.append("  prices: version \(value("price_version") ?? "none")")
        return lines
    }
}
