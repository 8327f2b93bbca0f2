import Foundation
public import MizanControl
public import MizanKiosk
import Synchronization
import MizanPOSIX

/// Logs to the journal with structured fields when systemd runs the
/// daemon, otherwise to stderr with the journal's priority prefixes
/// (`<3>` error, `<4>` warning, `<5>` notice, `<6>` info); keeps the
/// recent events for the control socket's `events` stream.
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

    private static let journal = JournalSink.fromEnvironment()
    /// Fields every entry carries (the kiosk's id), set once at start-up.
    private static let common = Guarded<LogFields>([:])

    public static func setCommonFields(_ fields: LogFields) {
        common.withLock { $0 = fields }
    }

    /// `feedback`: what a household was shown, for the event stream.
    public static func write(
        _ priority: Priority, _ message: String, _ fields: LogFields = [:], feedback: FeedbackReport? = nil
    ) {
        EventLog.shared.append(priority, message, kind: fields["MIZAN_EVENT"], feedback: feedback, fields: fields)
        if let journal {
            let all = common.withLock { $0 }.merging(fields) { _, new in new }
            if journal.send(priority: priority.rawValue, message: message, fields: all) { return }
        }
        let line = "<\(priority.rawValue)>\(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
