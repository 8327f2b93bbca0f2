import Glibc

/// Names of users, thread-safely (getpwuid_r): the control socket's client
/// threads, mizanctl's audit actor and doctor all ask.
public enum SystemUser {
    /// The login name of `uid`, or nil when it has none.
    public static func name(of uid: UInt32) -> String? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 1024)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name else {
            return nil
        }
        return String(cString: name)
    }

    /// "uid 1001 (amira)", for the audit log.
    public static func actor(_ uid: UInt32) -> String {
        name(of: uid).map { "uid \(uid) (\($0))" } ?? "uid \(uid)"
    }
}
