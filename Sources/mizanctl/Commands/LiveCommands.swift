import ArgumentParser
import Foundation
import MizanDaemon

/// Where the running daemon listens.
struct SocketOptions: ParsableArguments {
    @Option(name: .customLong("socket"), help: "The daemon's control socket.")
    var path = "/run/mizan/control.sock"

    func send(_ command: String) throws -> [String: String] {
        do {
            let reply = try ControlClient.send(command, to: path)
            if reply["ok"] != "true" { throw CommandFailure(reply["error"] ?? "the daemon refused \(command)") }
            return reply
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The running kiosk: in service or not and why, the session, the deposit being weighed.",
        discussion: "Example:\n  mizanctl status\n  mizanctl status --json"
    )

    @OptionGroup var socket: SocketOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() throws {
        let status = try socket.send("status")
        if json { return try printJSON(status) }
        let inService = status["in_service"] == "true"
        print("Kiosk \(status["kiosk"] ?? "?"): \(inService ? "IN SERVICE" : "OUT OF SERVICE")")
        if let faults = status["faults"], !faults.isEmpty { print("  faults: \(faults)") }
        if let session = status["session"], !session.isEmpty {
            print("  session \(session) (household \(status["household"] ?? "?"))")
        } else {
            print("  no session open")
        }
        print("  deposit: \(status["deposit_phase"] ?? "?")\((status["open_lids"] ?? "").isEmpty ? "" : ", lids open: \(status["open_lids"] ?? "")")")
        print("  prices: version \(status["price_version"].flatMap { $0.isEmpty ? nil : $0 } ?? "none")")
    }
}

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Service mode for emptying the bins: no deposits are recorded; zero is set again when it ends.",
        discussion: "Examples:\n  mizanctl service begin\n  mizanctl service end",
        subcommands: [Begin.self, End.self]
    )

    struct Begin: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take the kiosk out of service to empty the bins (audited).")
        @OptionGroup var socket: SocketOptions
        func run() throws {
            _ = try socket.send("service_begin")
            print("service mode: the kiosk is out of service; empty the bins, then run: mizanctl service end")
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put the kiosk back in service; zero is set at the next rest (audited).")
        @OptionGroup var socket: SocketOptions
        func run() throws {
            _ = try socket.send("service_end")
            print("service mode ended: zero will be set as soon as the empty platform is at rest")
        }
    }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Exercise the kiosk's outputs so a technician can see and hear them.",
        discussion: "Example:\n  mizanctl test outputs",
        subcommands: [Outputs.self]
    )

    struct Outputs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Blink green and red for three seconds and beep twice (audited).")
        @OptionGroup var socket: SocketOptions
        func run() throws {
            _ = try socket.send("test_outputs")
            print("green and red blink for 3 s, the buzzer beeps twice")
        }
    }
}
