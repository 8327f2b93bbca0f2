/// What the audit log records: calibration, configuration, price, household
/// and reversal changes, clock anomalies and technicians' actions.
public enum AuditKind: String, Sendable, Codable, CaseIterable {
    case calibration
    case configuration
    case price
    case household
    case reversal
    case clock
    case action
}

public struct AuditRecord: Sendable, Codable, Equatable {
    public let seq: Int64
    public let kind: AuditKind
    /// Per-kind counter, 1, 2, 3, …: it can never go back (WELMEC 7.2 style).
    public let counter: Int64
    /// Who did it: a user name, a uid, or "mizan" for the kiosk itself.
    public let actor: String
    public let summary: String
    public let before: String?
    public let after: String?
    public let recordedAt: Int64
    public let wallClock: Int64
    public let clockSynchronized: Bool

    enum CodingKeys: String, CodingKey {
        case seq, kind, counter, actor, summary, before, after
        case recordedAt = "recorded_at_ms"
        case wallClock = "wall_clock_ms"
        case clockSynchronized = "clock_synchronized"
    }
}
