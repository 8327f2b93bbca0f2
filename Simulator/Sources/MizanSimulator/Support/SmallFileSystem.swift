import Foundation

/// A real, tiny tmpfs mounted for a test, so that "disk full" and "read-only"
/// are what the kernel says, not a simulation. Needs root (CI runs as root);
/// where it cannot mount, the tests that need it are skipped with a reason.
public final class SmallFileSystem {
    public let path: String

    public static let canMount: Bool = {
        guard getuid() == 0, let probe = try? SmallFileSystem(megabytes: 1) else { return false }
        probe.unmount()
        return true
    }()

    public init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.path + "/mizan-fs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
    }

    public func remount(readOnly: Bool) throws {
        try Self.run("/bin/mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", path])
    }

    public func unmount() {
        try? Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit {
        unmount()
    }

    public struct CommandFailed: Error, CustomStringConvertible {
        public let command: String
        public let status: Int32
        public var description: String { "\(command) exited with \(status)" }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(
                command: ([executable] + arguments).joined(separator: " "), status: process.terminationStatus)
        }
    }
}
