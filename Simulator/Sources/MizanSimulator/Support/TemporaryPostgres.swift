import Foundation
import Glibc

/// A real PostgreSQL server of Debian's for one test or benchmark: a
/// cluster made by `initdb` in a temporary directory, a server on a private
/// loopback port run as an unprivileged user (`postgres` when we are
/// root: the server refuses to run as root), stopped and removed after.
public final class TemporaryPostgres: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let directory: String
    public let port: Int
    public let binaries: String
    /// The superuser, trusted on the loopback only.
    public let superuser = "postgres"
    private var running = false

    /// Debian's newest installed server binaries, if any.
    public static var installedBinaries: String? {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init)
            .sorted()
        return versions.last.map { "\(base)/\($0)/bin" }.flatMap {
            FileManager.default.isExecutableFile(atPath: $0 + "/initdb") ? $0 : nil
        }
    }

    public static var isInstalled: Bool { installedBinaries != nil }

    public init() throws {
        guard let binaries = Self.installedBinaries else {
            throw Failure(description: "PostgreSQL is not installed (make setup installs Debian's postgresql)")
        }
        self.binaries = binaries
        directory = FileManager.default.temporaryDirectory.path + "/mizan-pg-\(UUID().uuidString.prefix(8))"
        port = LoopbackPort.free()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            guard let owner = getpwnam("postgres") else {
                throw Failure(description: "running as root, and there is no postgres user to run the server as")
            }
            chown(directory, owner.pointee.pw_uid, owner.pointee.pw_gid)
        }
        try run(
            "initdb", "-D", directory + "/data", "-U", superuser, "--auth=trust", "--encoding=UTF8",
            "--locale=C.UTF-8", "--no-sync")
        try run(
            "pg_ctl", "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "-o",
            "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=200 -c max_wal_size=2GB",
            "start")
        running = true
    }

    deinit {
        stop()
    }

    /// Stops the server (fast shutdown) and removes its files.
    public func stop() {
        if running {
            _ = try? run("pg_ctl", "-D", directory + "/data", "-m", "fast", "-w", "stop")
            running = false
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The server's log so far.
    public var log: String {
        (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
    }

    /// Runs SQL as the superuser through psql; its output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run(
            "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", superuser,
            "-d", database, "-At", "-c", sql)
    }

    /// Runs one of the server's programs, as the unprivileged user when we are root.
    @discardableResult
    private func run(_ program: String, _ arguments: String...) throws -> String {
        let path = binaries + "/" + program
        let (executable, all) =
            getuid() == 0 && program != "psql"
            ? ("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments) : (path, arguments)
        // Output to a file, not a pipe: the server pg_ctl starts would hold
        // a pipe open for good, and a reader waiting for its end never returns.
        let outputPath = directory + "/\(program)-\(UUID().uuidString.prefix(8)).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv = ([executable] + all).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "starting \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited, code == 0 else {
            throw Failure(
                description:
                    "\(program) \(arguments.joined(separator: " ")): \(exited ? "status \(code)" : "killed by signal \(status & 0x7F)")\n\(text)\n\(log)"
            )
        }
        return text
    }
}
