import ArgumentParser
import Foundation
import MizanCore

struct RFIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfid",
        abstract: "The card reader, live.",
        subcommands: [Listen.self]
    )

    struct Listen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print each card as it is tapped, marking unknown ones (Ctrl-C to stop).",
            discussion: """
                To register an unknown card: mizanctl households add UID --name NAME (or households add --tap).
                Example:
                  mizanctl rfid listen
                """
        )

        @OptionGroup var socket: SocketOptions
        @Option(help: "Stop after this many cards.") var count: Int?
        @Flag(help: "One JSON object per card.") var json = false

        func run() throws {
            if !json { print("Listening for cards on the kiosk's reader; tap one (Ctrl-C to stop).") }
            var seen = 0
            try CardListener(socket: socket).listen { tap in
                let time = Date().ISO8601Format(.iso8601.time(includingFractionalSeconds: false))
                if json {
                    let data = try JSONSerialization.data(withJSONObject: ["card": tap.card.hex, "holder": tap.holder, "known": tap.holder != "unknown"], options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else if tap.holder == "unknown" {
                    print("\(time)  \(tap.card)  \(Colour.paint("UNKNOWN", .yellow)) — register it: mizanctl households add \(tap.card) --name NAME")
                } else {
                    print("\(time)  \(tap.card)  \(tap.holder)")
                }
                fflush(nil)
                seen += 1
                return count.map { seen < $0 } ?? true
            }
        }
    }
}

struct LidsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lids",
        abstract: "Each bin's lid, live: open or closed, for how long, and how often its switch bounced.",
        discussion: "Prints a line whenever a lid changes (Ctrl-C to stop).\nExample:\n  mizanctl lids"
    )

    @OptionGroup var socket: SocketOptions
    @Option(help: "Stop after this many updates.") var count: Int?
    @Flag(help: "One JSON object per update.") var json = false

    func run() throws {
        var previous: String?
        var shown = 0
        try socket.stream(.watch) { status in
            let key = "\(status["open_lids"] ?? "")|\(status["lid_bounces"] ?? "")"
            guard key != previous else { return true }
            previous = key
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let open = Set((status["open_lids"] ?? "").split(separator: ",").map(String.init))
            let since = LiveChecks.pairs(status["lids_since_ms"])
            let bounces = LiveChecks.pairs(status["lid_bounces"])
            let bins = (status["bins"] ?? "").split(separator: ",").map(String.init)
            if json {
                let lids = bins.map { bin -> [String: Any] in
                    ["bin": bin, "open": open.contains(bin), "since_ms": since[bin] ?? 0, "bounces": bounces[bin] ?? 0]
                }
                let data = try JSONSerialization.data(withJSONObject: ["lids": lids], options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(bins.map { bin -> String in
                    let state = open.contains(bin) ? Colour.paint("OPEN", .yellow) : "closed"
                    let how = since[bin].map { " " + LiveChecks.duration(max(0, (now - $0) / 1000)) } ?? ""
                    return "\(bin) \(state)\(how) (\(bounces[bin] ?? 0) bounces)"
                }.joined(separator: " | "))
            }
            fflush(nil)
            shown += 1
            return count.map { shown < $0 } ?? true
        }
    }
}

struct ScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "The scale, live.",
        subcommands: [Raw.self]
    )

    struct Raw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Raw load-cell counts (HX711) and grams side by side, with the noise, four times a second.",
            discussion: "A serial indicator has no raw counts: its grams are shown.\nExample:\n  mizanctl scale raw --count 20"
        )

        @OptionGroup var socket: SocketOptions
        @Option(help: "Stop after this many readings.") var count: Int?
        @Flag(help: "One JSON object per reading.") var json = false

        func run() throws {
            var shown = 0
            try socket.stream(.watch) { status in
                let raw = status["raw_counts"] ?? "-"
                let grams = status["weight_g"].flatMap { $0.isEmpty ? nil : $0 } ?? "-"
                let spread = Int64(status["scale_spread_mg"] ?? "").map { String(format: "%.1f g", Double($0) / 1000) } ?? "-"
                if json {
                    let data = try JSONSerialization.data(withJSONObject: [
                        "raw_counts": raw, "grams": grams, "stable": status["stable"] == "true", "spread_mg": status["scale_spread_mg"] ?? "",
                    ], options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    let stable = status["stable"] == "true" ? "stable" : "moving"
                    print("raw \(raw.padding(toLength: 10, withPad: " ", startingAt: 0))  \(grams.padding(toLength: 8, withPad: " ", startingAt: 0)) g  \(stable)  noise \(spread)")
                }
                fflush(nil)
                shown += 1
                return count.map { shown < $0 } ?? true
            }
        }
    }
}
