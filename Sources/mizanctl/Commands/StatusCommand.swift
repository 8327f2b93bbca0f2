import ArgumentParser
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The running kiosk: in service or not and why, the scale, the session, the deposit being weighed.",
        discussion: "Example:\n  mizanctl status\n  mizanctl status --json"
    )

    @OptionGroup var socket: SocketOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() throws {
        let status = try socket.status()
        if json { return try printJSON(status, snakeCase: true) }
        for line in KioskView.lines(status) { print(line) }
    }
}
