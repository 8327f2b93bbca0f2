import ArgumentParser
import Foundation
import MizanDaemon

/// Where the running daemon listens, and how to ask it something.
struct SocketOptions: ParsableArguments {
    static let defaultPath = "/run/mizan/control.sock"

    @Option(name: .customLong("socket"), help: "The daemon's control socket.")
    var path = SocketOptions.defaultPath

    var connection: DaemonConnection { DaemonConnection(path: path) }

    func send(_ command: ControlCommand, referenceGrams: Int64? = nil, timeout: Duration = .seconds(12)) throws -> [String: String] {
        try connection.send(command, referenceGrams: referenceGrams, timeout: timeout)
    }

    func stream(_ command: ControlCommand, each: ([String: String]) throws -> Bool) throws {
        try connection.stream(command, each: each)
    }
}

/// The daemon's control socket at a known path.
struct DaemonConnection {
    let path: String

    func send(_ command: ControlCommand, referenceGrams: Int64? = nil, timeout: Duration = .seconds(12)) throws -> [String: String] {
        do {
            let reply = try ControlClient.send(ControlRequest(command, referenceGrams: referenceGrams), to: path, timeout: timeout)
            if reply["ok"] != "true" { throw CommandFailure(reply["error"] ?? "the daemon refused \(command.rawValue)") }
            return reply
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Each object of a stream until `each` returns false or the daemon hangs up.
    func stream(_ command: ControlCommand, each: ([String: String]) throws -> Bool) throws {
        do {
            try ControlClient.stream(ControlRequest(command), to: path, timeout: .seconds(10)) { object in
                if object["ok"] != "true" { throw CommandFailure(object["error"] ?? "the daemon refused \(command.rawValue)") }
                return try each(object)
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
