import ArgumentParser
import MizanControl
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
                    let data = try JSONSerialization.data(
                        withJSONObject: ["card": tap.card.hex, "holder": tap.holder, "known": tap.holder != "unknown"],
                        options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else if tap.holder == "unknown" {
                    print(
                        "\(time)  \(tap.card)  \(Colour.paint("UNKNOWN", .yellow)) — register it: mizanctl households add \(tap.card) --name NAME"
                    )
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
        try socket.watch { status in
            let key = status.lids.map { "\($0.bin):\($0.open):\($0.bounces)" }.joined(separator: ",")
            guard key != previous else { return true }
            previous = key
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            if json {
                print(try JSONOutput.line(["lids": status.lids]))
            } else {
                print(
                    status.lids.map { lid -> String in
                        let state = lid.open ? Colour.paint("OPEN", .yellow) : "closed"
                        return
                            "\(lid.bin) \(state) \(LiveChecks.duration(max(0, (now - lid.sinceMs) / 1000))) (\(lid.bounces) bounces)"
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
            discussion:
                "A serial indicator has no raw counts: its grams are shown.\nExample:\n  mizanctl scale raw --count 20"
        )

        @OptionGroup var socket: SocketOptions
        @Option(help: "Stop after this many readings.") var count: Int?
        @Flag(help: "One JSON object per reading.") var json = false

        func run() throws {
            var shown = 0
            try socket.watch { status in
                let reading = status.scale
                if json {
                    print(
                        try JSONOutput.line(
                            RawReading(
                                rawCounts: reading.rawCounts, grams: reading.weightG, stable: reading.stable,
                                spreadMg: reading.spreadMg)))
                } else {
                    let raw = reading.rawCounts.map(String.init) ?? "-"
                    let grams = reading.weightG.map(String.init) ?? "-"
                    let spread = reading.spreadMg.map { String(format: "%.1f g", Double($0) / 1000) } ?? "-"
                    let stable = reading.stable ? "stable" : "moving"
                    print(
                        "raw \(raw.padding(toLength: 10, withPad: " ", startingAt: 0))  \(grams.padding(toLength: 8, withPad: " ", startingAt: 0)) g  \(stable)  noise \(spread)"
                    )
                }
                fflush(nil)
                shown += 1
                return count.map { shown < $0 } ?? true
            }
        }
    }
}

/// One line of `mizanctl scale raw --json`.
struct RawReading: Encodable {
    let rawCounts: Int64?
    let grams: Int64?
    let stable: Bool
    let spreadMg: Int64?
}
