import Foundation
import Glibc

/// Where the hub's copy of this kiosk's chain stands, as the hub last said:
/// one line `SEQ` in a file of the state directory, replaced atomically
/// (written beside, fsynced, renamed, the directory fsynced), so a power
/// cut leaves the old cursor or the new one — and an old one only means
/// links sent again, which the hub skips.
public struct PushCursor: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The sequence saved, 0 when none yet (or unreadable: everything is sent again).
    public func load() -> Int64 {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public func save(_ seq: Int64) throws(Failure) {
        let temporary = path + ".new"
        let bytes = Array("\(seq)\n".utf8)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw failure("opening \(temporary)") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let failed = failure("writing \(temporary)")
            close(descriptor)
            throw failed
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw failure("renaming \(temporary) to \(path)") }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    private func failure(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: strerror(errno))) (errno \(errno))")
    }
}
