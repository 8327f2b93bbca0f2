import Glibc

/// Replacing a small file so that a power cut leaves the old contents or
/// the new, never half: written beside, fsynced, renamed over, and the
/// directory fsynced so the rename itself is on disk.
public enum DurableFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public let errno: Int32
    }

    public static func replace(_ path: String, with bytes: [UInt8]) throws(Failure) {
        let temporary = path + ".new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw failure("cannot write \(temporary)") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let failed = failure("cannot write \(temporary)")
            close(descriptor)
            throw failed
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw failure("cannot replace \(path)") }
        let slash = path.lastIndex(of: "/")
        let directory = open(slash.map { String(path[..<$0]) } ?? ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    private static func failure(_ what: String) -> Failure {
        let code = Glibc.errno
        return Failure(description: "\(what): \(String(cString: strerror(code))) (errno \(code))", errno: code)
    }
}
