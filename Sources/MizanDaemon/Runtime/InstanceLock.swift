import Foundation
import Glibc
import MizanPOSIX

/// One daemon per state directory: an exclusive `flock` on
/// `STATE/mizand.lock`, held for the process's life (the kernel drops it
/// when the process dies, however it dies). A second daemon would reuse
/// the first's deposit ids, close its session and take its control socket.
public final class InstanceLock: Sendable {
    public static let fileName = "mizand.lock"

    public let path: String
    private let descriptor: Int32

    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// Another process holds the lock; its PID as it wrote it, if readable.
        case held(path: String, pid: Int32?)
        case system(operation: String, path: String, errno: Int32)

        public var description: String {
            switch self {
            case let .held(path, pid):
                let holder = pid.map { "mizand PID \($0)" } ?? "another mizand"
                return
                    "\(holder) already runs on this state directory (it holds \(path)); stop it first (systemctl stop mizand), or give this one another state directory"
            case let .system(operation, path, code):
                return "\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))"
            }
        }
    }

    /// Takes the lock, creating the directory and the file if needed, and
    /// writes this process's PID into the file for the next one to name.
    public static func acquire(stateDirectory: String) throws(Failure) -> InstanceLock {
        let path = stateDirectory + "/" + fileName
        mkdir(stateDirectory, 0o750)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw .system(operation: "opening the instance lock", path: path, errno: errno) }
        if retryingEINTR({ flock(descriptor, LOCK_EX | LOCK_NB) }) != 0 {
            let code = errno
            let holder = readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK { throw .held(path: path, pid: holder) }
            throw .system(operation: "locking", path: path, errno: code)
        }
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) != 0 || pwrite(descriptor, text, text.count, 0) != text.count {
            let code = errno
            close(descriptor)
            throw .system(operation: "writing this daemon's PID into", path: path, errno: code)
        }
        return InstanceLock(path: path, descriptor: descriptor)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
