public import Logging
import MizanControl
import MizanKiosk

/// The daemon's logger: every line of `mizand` goes through it.
public let daemonLog = DaemonLogHandler.logger()

/// swift-log's handler for the daemon: entries go to `DaemonLog` (the
/// journal with structured fields under systemd, stderr otherwise, and the
/// control socket's `events`). Metadata become the journal's fields; a
/// `FeedbackReport` under `feedbackKey` rides along, typed, to the events.
public struct DaemonLogHandler: LogHandler {
    /// The metadata key a household's feedback travels under.
    public static let feedbackKey = "MIZAN_FEEDBACK_REPORT"

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info

    public init() {}

    public static func logger(label: String = "mizand") -> Logger {
        Logger(label: label) { _ in DaemonLogHandler() }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: LogFields = [:]
        var feedback: FeedbackReport?
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            if key == Self.feedbackKey, case let .stringConvertible(report) = value {
                feedback = report as? FeedbackReport
            } else {
                fields[key] = "\(value)"
            }
        }
        DaemonLog.write(Self.priority(event.level), "\(event.message)", fields, feedback: feedback)
    }

    static func priority(_ level: Logger.Level) -> DaemonLog.Priority {
        switch level {
        case .trace, .debug, .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error, .critical: .error
        }
    }
}
