import Foundation
import MizanControl

/// The kiosk's status as a technician reads it, for `status` and for each
/// refresh of `watch`.
enum KioskView {
    static func lines(_ status: KioskStatusReport, samplesPerSecond: Double? = nil, now: Date = Date()) -> [String] {
        var lines: [String] = []
        let faults = status.faults.isEmpty ? "" : " (\(status.faults.joined(separator: ", ")))"
        lines.append("Kiosk \(status.kiosk): \(status.inService ? "IN SERVICE" : "OUT OF SERVICE")\(faults)")

        let reading = status.scale
        var scale = "  scale: "
        if let weight = reading.weightG {
            scale += "\(weight) g, \(reading.stable ? "stable" : "moving")"
        } else {
            scale += "no reading"
        }
        if !reading.zeroSet { scale += ", zero not set yet" }
        if let offset = reading.zeroOffsetMg, let budget = reading.zeroBudgetMg, budget > 0 {
            scale += String(
                format: ", zero %+.1f g (%d%% of ±%.0f g)", Double(offset) / 1000,
                Int(offset.magnitude * 100 / UInt64(budget)), Double(budget) / 1000)
        }
        if let rate = samplesPerSecond { scale += String(format: ", %.0f readings/s", rate) }
        if let counts = reading.rawCounts { scale += ", raw \(counts) counts" }
        if !reading.faults.isEmpty { scale += " — \(reading.faults.joined(separator: ", "))" }
        lines.append(scale)

        if !status.lids.isEmpty {
            lines.append(
                "  lids: " + status.lids.map { "\($0.bin) \($0.open ? "OPEN" : "closed")" }.joined(separator: ", "))
        }
        if let last = status.cardReader.lastCard {
            let seconds = Int(now.timeIntervalSince1970 - Double(last.atMs) / 1000)
            lines.append("  last card: \(last.card) (\(last.holder)), \(max(0, seconds)) s ago")
        } else {
            lines.append("  last card: none since start-up")
        }
        if let session = status.session {
            lines.append(
                "  session \(session) (household \(status.household.map(String.init) ?? "?")), deposit: \(status.depositPhase)"
            )
        } else {
            lines.append("  no session open")
        }
        lines.append("  prices: version \(status.priceVersion.map(String.init) ?? "none")")
        return lines
    }
}
