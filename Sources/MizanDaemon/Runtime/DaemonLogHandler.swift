public import Logging
import MizanKiosk

/// swift-log's front end for the daemon: entries go to `DaemonLog` (the
/// journal with structured fields under systemd, stderr otherwise, and the
/// control socket's `events`). Metadata become the journal's fields.
public struct DaemonLogHandler: LogHandler {
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
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            fields[key] = "\(value)"
        }
        DaemonLog.write(Self.priority(event.level), "\(event.message)", fields)
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
