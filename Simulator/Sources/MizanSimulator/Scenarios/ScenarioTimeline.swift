import MizanCore
import MizanYAML
import Yams

/// Timeline entries: each is a one-key mapping (`- tap: 0A1B2C3D4E`,
/// `- deposit: {bin: plastic, grams: 1250}`) or a bare word
/// (`- pull_scale_cable`).
enum ScenarioTimeline {
    static func action(_ node: Node, file: String, path: String) throws(YAMLError) -> Scenario.Action {
        if case let .scalar(scalar) = node {
            switch scalar.string {
            case "pull_scale_cable": return .pullScaleCable
            case "reconnect_scale": return .reconnectScale
            case "empty_bins": return .emptyBins
            case "kill_daemon": return .killDaemon
            default:
                throw YAMLError(
                    file: file, line: node.mark?.line, key: path,
                    message:
                        "unknown action \"\(scalar.string)\"; bare actions: pull_scale_cable, reconnect_scale, empty_bins, kill_daemon"
                )
            }
        }
        let entry = try StrictMapping(node, file: file, path: path)
        guard entry.keys.count == 1, let kind = entry.keys.first else {
            throw YAMLError(file: file, line: entry.line, key: path, message: "each timeline entry is one action")
        }
        let action: Scenario.Action
        switch kind {
        case "wait":
            guard let duration = try entry.duration("wait") else { throw entry.error(kind, "needs a duration") }
            action = .wait(duration)
        case "tap":
            let text = try entry.requiredString("tap")
            guard let card = CardUID(text) else { throw entry.error(kind, "must be a card UID, got \"\(text)\"") }
            action = .tap(card)
        case "open": action = .open(BinID(rawValue: try entry.requiredString("open")))
        case "close": action = .close(BinID(rawValue: try entry.requiredString("close")))
        case "slam": action = .slam(BinID(rawValue: try entry.requiredString("slam")))
        case "drop":
            guard let grams = try entry.integer("drop") else { throw entry.error(kind, "needs grams") }
            action = .drop(grams: grams)
        case "take":
            guard let grams = try entry.integer("take") else { throw entry.error(kind, "needs grams") }
            action = .take(grams: grams)
        case "jump_clock":
            guard let duration = try entry.duration("jump_clock") else { throw entry.error(kind, "needs a duration") }
            action = .jumpClock(duration)
        case "deposit":
            guard let details = try entry.mapping("deposit") else { throw entry.error(kind, "needs bin and grams") }
            guard let grams = try details.integer("grams") else { throw details.error("grams", "is required") }
            action = .deposit(
                bin: BinID(rawValue: try details.requiredString("bin")), grams: grams,
                slam: try details.bool("slam") ?? false)
            try details.finish()
        case "vibrate":
            guard let details = try entry.mapping("vibrate") else {
                throw entry.error(kind, "needs peak_g and duration")
            }
            guard let peak = try details.integer("peak_g") else { throw details.error("peak_g", "is required") }
            action = .vibrate(peakGrams: peak, duration: try details.duration("duration") ?? .milliseconds(800))
            try details.finish()
        default:
            throw entry.error(
                kind,
                "unknown action; known: wait, tap, open, close, slam, drop, take, deposit, vibrate, jump_clock, pull_scale_cable, reconnect_scale, empty_bins, kill_daemon"
            )
        }
        try entry.finish()
        return action
    }
}

enum ScenarioExpectations {
    static func parse(_ mapping: StrictMapping?, file: String) throws(YAMLError) -> Scenario.Expectations {
        var expectations = Scenario.Expectations()
        guard let mapping else { return expectations }
        if let credits = try mapping.mapping("credits") {
            for key in credits.keys {
                guard let card = CardUID(key) else { throw credits.error(key, "must be a card UID") }
                expectations.credits[card] = try credits.integer(key)
            }
            try credits.finish()
        }
        if let deposits = try mapping.sequence("deposits") {
            expectations.deposits = try deposits.enumerated().map { (index, node) throws(YAMLError) -> DepositReason in
                guard let text = node.string, let reason = DepositReason(rawValue: text) else {
                    throw YAMLError(
                        file: file, line: node.mark?.line, key: "expect.deposits[\(index)]",
                        message: "must be one of \(DepositReason.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return reason
            }
        }
        if let refused = try mapping.sequence("refused") {
            expectations.refused = try refused.enumerated().map { (index, node) throws(YAMLError) -> TapRefusal in
                guard let text = node.string, let refusal = TapRefusal(rawValue: text) else {
                    throw YAMLError(
                        file: file, line: node.mark?.line, key: "expect.refused[\(index)]",
                        message: "must be unknown_card, blocked_card, out_of_service or another_session_open")
                }
                return refusal
            }
        }
        expectations.faults = (try mapping.sequence("faults") ?? []).compactMap(\.string)
        expectations.sessionsClosed = try mapping.sequence("sessions_closed")?.compactMap(\.string)
        expectations.creditedGrams = try mapping.integer("credited_grams")
        expectations.anonymousGrams = try mapping.integer("anonymous_grams")
        expectations.inServiceAtEnd = try mapping.bool("in_service_at_end")
        expectations.clockAnomalies = (try mapping.integer("clock_anomalies")).map(Int.init)
        try mapping.finish()
        return expectations
    }
}
