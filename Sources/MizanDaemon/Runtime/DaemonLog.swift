import Foundation

/// Logs to stderr with the journal's priority prefixes (`<3>` error, `<4>`
/// warning, `<6>` info), which journald reads from a service's stderr, and
/// keeps the recent events for the control socket's `events` stream.
public enum DaemonLog {
    public enum Priority: Int, Sendable, Hashable {
        case error = 3
        case warning = 4
        case notice = 5
        case info = 6

        public var name: String {
            switch self {
            case .error: "error"
            case .warning: "warning"
            case .notice: "notice"
            case .info: "info"
            }
        }
    }

    public static func write(_ priority: Priority, _ message: String) {
        EventLog.shared.append(priority, message)
        let line = "<\(priority.rawValue)>\(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
