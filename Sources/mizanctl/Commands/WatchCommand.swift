import ArgumentParser
import Foundation
import Glibc
import MizanControl

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "A live view of the scale, the lids, the last card and the session (Ctrl-C to stop).",
        discussion: """
            In a terminal the view refreshes in place four times a second; piped, it prints one block per refresh.
            Examples:
              mizanctl watch
              mizanctl watch --events          # the daemon's events as they happen
              mizanctl watch --count 1 --json  # one status object, for scripts
            """
    )

    @OptionGroup var socket: SocketOptions
    @Flag(help: "Follow the daemon's events (deposits, faults, actions) instead of the status.") var events = false
    @Option(help: "Stop after this many updates.") var count: Int?
    @Flag(help: "Print each update as one JSON object per line.") var json = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        var shown = 0
        let inPlace = isatty(STDOUT_FILENO) == 1 && !json && !events
        var previous: (samples: Int64, at: Date)?
        try socket.stream(events ? .events : .watch) { response in
            if response.keepalive == true { return true }
            if let event = response.event {
                if json {
                    print(try JSONOutput.line(event))
                } else {
                    print("\(Self.time(event.timeMs)) \(event.priority)  \(event.message)")
                }
            } else if let status = response.status {
                if json {
                    print(try JSONOutput.line(status))
                    fflush(nil)
                    shown += 1
                    return count.map { shown < $0 } ?? true
                }
                let now = Date()
                var rate: Double?
                if let previous, now.timeIntervalSince(previous.at) > 0 {
                    rate = Double(status.scale.samples - previous.samples) / now.timeIntervalSince(previous.at)
                }
                previous = (status.scale.samples, now)
                let lines = KioskView.lines(status, samplesPerSecond: rate, now: now)
                if inPlace {
                    // Home and clear: the view is redrawn where it was.
                    print("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\n"))
                } else {
                    print(lines.joined(separator: "\n") + "\n")
                }
            }
            fflush(nil)
            shown += 1
            return count.map { shown < $0 } ?? true
        }
    }

    /// An event's time as the journal shows it, in UTC with milliseconds.
    static func time(_ milliseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return date.ISO8601Format(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
