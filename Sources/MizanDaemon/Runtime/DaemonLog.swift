import Foundation

/// Logs to stderr with the journal's priority prefixes (`<3>` error, `<4>`
/// warning, `<6>` info), which journald reads from a service's stderr.
public enum DaemonLog {
    public enum Priority: Int, Sendable {
        case error = 3
        case warning = 4
        case notice = 5
        case info = 6
    }

    public static func write(_ priority: Priority, _ message: String) {
        let line = "<\(priority.rawValue)>\(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
