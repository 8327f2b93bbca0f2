import ArgumentParser
import Foundation
import MizanControl

/// Where the running daemon listens, and how to ask it something.
struct SocketOptions: ParsableArguments {
    static let defaultPath = "/run/mizan/control.sock"

    @Option(name: .customLong("socket"), help: "The daemon's control socket.")
    var path = SocketOptions.defaultPath

    var connection: DaemonConnection { DaemonConnection(path: path) }

    func send(
        _ command: ControlCommand, referenceGrams: Int64? = nil, timeout: Duration = .seconds(12)
    ) throws -> ControlResponse {
        try connection.send(command, referenceGrams: referenceGrams, timeout: timeout)
    }

    /// The kiosk's status now.
    func status() throws -> KioskStatusReport {
        try connection.status()
    }

    /// Each status update (four a second) until `each` returns false.
    func watch(_ each: (KioskStatusReport) throws -> Bool) throws {
        try connection.stream(.watch) { response in
            guard let status = response.status else { return true }
            return try each(status)
        }
    }

    func stream(_ command: ControlCommand, each: (ControlResponse) throws -> Bool) throws {
        try connection.stream(command, each: each)
    }
}

/// The daemon's control socket at a known path.
struct DaemonConnection {
    let path: String

    func send(
        _ command: ControlCommand, referenceGrams: Int64? = nil, timeout: Duration = .seconds(12)
    ) throws -> ControlResponse {
        do {
            let reply = try ControlClient.send(
                ControlRequest(command, referenceGrams: referenceGrams), to: path, timeout: timeout)
            if !reply.ok { throw CommandFailure(reply.error ?? "the daemon refused \(command.rawValue)") }
            return reply
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Each object of a stream until `each` returns false or the daemon hangs up.
    func status(timeout: Duration = .seconds(12)) throws -> KioskStatusReport {
        guard let status = try send(.status, timeout: timeout).status else {
            throw CommandFailure("the daemon answered status without one")
        }
        return status
    }

    func stream(_ command: ControlCommand, each: (ControlResponse) throws -> Bool) throws {
        do {
            try ControlClient.stream(ControlRequest(command), to: path, timeout: .seconds(10)) { object in
                if !object.ok { throw CommandFailure(object.error ?? "the daemon refused \(command.rawValue)") }
                return try each(object)
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
