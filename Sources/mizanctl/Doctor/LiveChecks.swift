import Foundation
import MizanControl

/// Checks on the running daemon, from two status objects taken a known
/// time apart (so that rates can be measured). Pure: the golden tests feed
/// them recorded statuses.
enum LiveChecks {
    static func all(first: KioskStatusReport, second: KioskStatusReport, seconds: Double, now: Int64) -> [DoctorCheck] {
        [
            daemon(second), scale(first: first, second: second, seconds: seconds),
            cardReader(first: first, second: second), lids(second, now: now), outputs(second),
        ]
    }

    static func daemon(_ status: KioskStatusReport) -> DoctorCheck {
        if status.inService {
            return .ok("daemon", "running and in service (kiosk \(status.kiosk))")
        }
        return .failure(
            "daemon", "running but OUT OF SERVICE: \(status.faults.joined(separator: ", "))",
            fix: fix(for: status.faults.first ?? ""))
    }

    /// A fault's remedy: what a technician does about it.
    static func fix(for fault: String) -> String {
        switch fault {
        case let fault where fault.hasPrefix("scale: sensor_silent"):
            return "The scale sends nothing: check its cable and power, and the device path in the configuration."
        case let fault where fault.hasPrefix("scale: overload"):
            return "Something too heavy is on the platform: take it off."
        case let fault where fault.hasPrefix("scale: underload"):
            return
                "The platform reads far below zero: a bin was lifted out or the load cell is wired wrong; put the bins back, then mizanctl zero."
        case let fault where fault.hasPrefix("scale: zero_out_of_range"):
            return "The platform was loaded when the daemon started: empty it and zero is set by itself."
        case let fault where fault.hasPrefix("scale: zero_range_exceeded"):
            return
                "Zero has drifted beyond ±4 % of Max: empty the bins in service mode (mizanctl service begin / end), then recalibrate if it returns."
        case let fault where fault.hasPrefix("lid_stuck_open"):
            return "A lid has been open far too long: close it, or check that lid's sensor and magnet."
        case "card_reader":
            return "The card reader is unplugged or silent: check its USB cable and the device path."
        case "lid_sensors":
            return
                "The lid sensors cannot be read: check the GPIO chip (ls /dev/gpiochip*) and the line names in the configuration."
        case "ledger":
            return
                "The ledger refused a write: check disk space (df) and the file system; the kiosk resumes by itself once it can write."
        case "service_mode":
            return "Service mode is on: finish emptying the bins, then run mizanctl service end."
        default:
            return "See mizanctl status and the daemon's log (journalctl -u mizand)."
        }
    }

    static func scale(first: KioskStatusReport, second: KioskStatusReport, seconds: Double) -> DoctorCheck {
        let samples = second.scale.samples - first.scale.samples
        let rate = seconds > 0 ? Double(samples) / seconds : 0
        guard rate > 0.5 else {
            return .failure(
                "scale", "no readings in \(String(format: "%.1f", seconds)) s", fix: fix(for: "scale: sensor_silent"))
        }
        let reading = second.scale
        let division = Double(max(1, reading.divisionG))
        var detail = String(format: "%.0f readings/s", rate)
        if let weight = reading.weightG { detail += ", \(weight) g \(reading.stable ? "stable" : "moving")" }
        var noiseDivisions: Double?
        if let spread = reading.spreadMg {
            noiseDivisions = Double(spread) / 1000 / division
            detail += String(format: ", noise %.1f e", noiseDivisions ?? 0)
        }
        var used: Int64?
        if let offset = reading.zeroOffsetMg, let budget = reading.zeroBudgetMg, budget > 0 {
            used = Int64(offset.magnitude) * 100 / budget
            detail += ", zero uses \(used ?? 0) % of its ±\(budget / 1000) g budget"
        }
        if let fault = reading.faults.first {
            return .failure(
                "scale", detail + " — \(reading.faults.joined(separator: ", "))", fix: fix(for: "scale: \(fault)"))
        }
        if !reading.zeroSet {
            return .warning(
                "scale", detail + ", zero not set yet",
                fix:
                    "Keep the empty platform still for a second; if this stays, look for vibration or a bin touching the frame."
            )
        }
        if let used, used >= 75 {
            return .warning(
                "scale", detail,
                fix:
                    "Zero has drifted close to its limit: empty the bins in service mode, and recalibrate if it keeps drifting."
            )
        }
        if let noiseDivisions, noiseDivisions > 2 {
            return .warning(
                "scale", detail,
                fix: "The reading is noisy at rest: look for vibration, a loose load cell or a damaged cable.")
        }
        return .ok("scale", detail)
    }

    static func cardReader(first: KioskStatusReport, second: KioskStatusReport) -> DoctorCheck {
        let frames = second.cardReader.framesAccepted
        let rejected = second.cardReader.framesRejected
        if second.faults.contains("card_reader") {
            return .failure("card reader", "not answering", fix: fix(for: "card_reader"))
        }
        let total = frames + rejected
        var detail = "\(frames) good frames, \(rejected) bad since start-up"
        if let last = second.cardReader.lastCard { detail += "; last card \(last.card) (\(last.holder))" }
        if total >= 20, rejected * 10 > total {
            return .warning(
                "card reader", detail,
                fix:
                    "Over 10 % of frames are garbled: move the reader away from motors and mains cables, and check its ground."
            )
        }
        return .ok("card reader", detail + (frames == 0 ? " (tap a card to test it)" : ""))
    }

    static func lids(_ status: KioskStatusReport, now: Int64) -> DoctorCheck {
        var parts: [String] = []
        var longOpen: [String] = []
        for lid in status.lids {
            let seconds = max(0, (now - lid.sinceMs) / 1000)
            var text = "\(lid.bin) \(lid.open ? "OPEN" : "closed") \(duration(seconds))"
            if lid.bounces > 0 { text += ", \(lid.bounces) bounce\(lid.bounces == 1 ? "" : "s")" }
            parts.append(text)
            if lid.open, seconds > 120 { longOpen.append(lid.bin) }
        }
        let detail = parts.joined(separator: "; ")
        if status.faults.contains("lid_sensors") {
            return .failure("lids", detail, fix: fix(for: "lid_sensors"))
        }
        if !longOpen.isEmpty {
            return .warning(
                "lids", detail,
                fix:
                    "The \(longOpen.joined(separator: ", ")) lid has been open for minutes: close it or check its sensor."
            )
        }
        if status.lids.contains(where: { $0.bounces > 500 }) {
            return .warning("lids", detail, fix: "A lid switch bounces a lot: it is wearing out; plan to replace it.")
        }
        return .ok("lids", detail)
    }

    static func outputs(_ status: KioskStatusReport) -> DoctorCheck {
        guard let outputs = status.outputsProblem else {
            return .ok("lights and buzzer", "opened (see them: mizanctl test leds, mizanctl test buzzer)")
        }
        return .failure(
            "lights and buzzer", outputs,
            fix:
                "Check the output line names in the configuration and the wiring; households see no green or red until then."
        )
    }

    static func duration(_ seconds: Int64) -> String {
        switch seconds {
        case ..<120: "for \(seconds) s"
        case ..<7_200: "for \(seconds / 60) min"
        case ..<172_800: "for \(seconds / 3_600) h"
        default: "for \(seconds / 86_400) days"
        }
    }
}
