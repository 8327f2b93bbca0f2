import Foundation
import Glibc

/// The real `mizan-hub` as a child process on a `TemporaryPostgres`:
/// migrated, kiosks enrolled, serving on a free loopback port, stopped and
/// started again at will. Its output goes to a file (never a pipe a
/// reader could wait on for good).
public final class HubProcess: @unchecked Sendable {
    public let executable: String
    public let postgres: TemporaryPostgres
    public let port = LoopbackPort.free()
    /// The municipality's token for the hub's reads.
    public let municipalityToken = "mzm_" + UUID().uuidString.lowercased()
    private var process: Process?
    private let logPath: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates the database and the schema (as the superuser).
    public init(executable: String, postgres: TemporaryPostgres) throws {
        self.executable = executable
        self.postgres = postgres
        logPath = postgres.directory + "/mizan-hub.log"
        try postgres.psql("CREATE DATABASE mizan")
        let migrated = try ChildProcess.run(executable, ["migrate"] + database(user: postgres.superuser))
        guard migrated.status == 0 else { throw Failure(description: "mizan-hub migrate: \(migrated.output)") }
    }

    private func database(user: String) -> [String] {
        ["--pg-port", String(postgres.port), "--pg-user", user, "--pg-database", "mizan"]
    }

    /// Enrols a kiosk; its key.
    public func enrol(_ kiosk: String) throws -> String {
        let enrolled = try ChildProcess.run(executable, ["enrol", kiosk] + database(user: postgres.superuser))
        guard enrolled.status == 0,
            let key = enrolled.output.split(separator: "\n").first(where: { $0.hasPrefix("mzk_") })
        else { throw Failure(description: "mizan-hub enrol \(kiosk): \(enrolled.output)") }
        return String(key)
    }

    /// Runs an administrator's command (`cashier-add`, `pin-set`, `verify`, …); its output.
    public func administer(_ arguments: [String], input: String? = nil) throws -> String {
        let done = try ChildProcess.run(executable, arguments + database(user: postgres.superuser), input: input)
        guard done.status == 0 else {
            throw Failure(description: "mizan-hub \(arguments.joined(separator: " ")): \(done.output)")
        }
        return done.output
    }

    /// Serves as the hub's own login role (which cannot change history).
    public func start() throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        output.seekToEndOfFile()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        let tokenFile = postgres.directory + "/municipality.token"
        try municipalityToken.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        child.arguments =
            ["serve", "--port", String(port), "--municipality-token-file", tokenFile, "--daily-credit-cap", "2000"]
            + database(user: "mizan_hub")
        child.standardOutput = output
        child.standardError = output
        child.standardInput = FileHandle.nullDevice
        try child.run()
        process = child
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if log.contains("listening on 127.0.0.1:\(port)") { return }
            usleep(50_000)
        }
        throw Failure(description: "mizan-hub did not listen within 20 s:\n\(log)")
    }

    public func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        self.process = nil
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
