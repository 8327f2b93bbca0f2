/// One event of the daemon's `events` stream: a line of its log, or what
/// a household was shown. Feedback comes only after the ledger's answer,
/// so "green only after commit" can be watched here without LED lines.
public struct KioskEventReport: Codable, Sendable, Hashable {
    public var sequence: Int64
    public var timeMs: Int64
    /// `error`, `warning`, `notice`, `info`.
    public var priority: String
    public var message: String
    /// The journal's MIZAN_EVENT: `deposit`, `lid`, `card`, `feedback`, …
    public var kind: String?
    public var feedback: FeedbackReport?
    /// The journal's structured fields of the line (`MIZAN_BIN`,
    /// `MIZAN_DEPOSIT_ID`, `MIZAN_NET_G`, …): what a screen needs to say
    /// which lid, which deposit, how heavy. Absent when the line has none.
    public var fields: [String: String]?

    public init(
        sequence: Int64, timeMs: Int64, priority: String, message: String, kind: String? = nil,
        feedback: FeedbackReport? = nil, fields: [String: String]? = nil
    ) {
        self.sequence = sequence
        self.timeMs = timeMs
        self.priority = priority
        self.message = message
        self.kind = kind
        self.feedback = feedback
        self.fields = fields
    }

    /// One of the line's journal fields.
    public func field(_ name: String) -> String? { fields?[name] }
}

/// What the kiosk showed a household, with what it is about.
public struct FeedbackReport: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Outcome: String, Codable, Sendable, Hashable {
        case sessionOpened = "session_opened"
        case sessionClosed = "session_closed"
        case credited
        case donation
        case rejected
        case tapRefused = "tap_refused"
        case commitFailed = "commit_failed"
        case outOfService = "out_of_service"
        case backInService = "back_in_service"
    }

    public var outcome: Outcome
    public var depositId: String?
    /// Why a deposit earned nothing or a card was refused (the ledger's reason).
    public var reason: String?
    public var creditMinor: Int64?
    public var grams: Int64?
    public var household: Int64?
    public var card: String?
    /// The daily cap cut the credit.
    public var capped: Bool?

    public init(_ outcome: Outcome) {
        self.outcome = outcome
    }

    public var description: String {
        [outcome.rawValue, depositId, reason].compactMap(\.self).joined(separator: " ")
    }
}
