public import MizanLedger

/// What a kiosk's pusher sends the hub (`POST /api/v1/links`): its
/// journal links, in order.
public struct LinkPush: Codable, Sendable {
    public var links: [JournalLinkExport]

    public init(links: [JournalLinkExport]) {
        self.links = links
    }
}

/// The hub's answer to a push: where the kiosk's chain stands at the hub
/// (the kiosk's cursor), or why the push stopped.
public struct PushAnswer: Codable, Sendable, Equatable {
    /// The highest sequence the hub holds with every one before it.
    public var head: Int64
    public var inserted: Int
    public var duplicates: Int
    /// Set when a link was refused: `fork` or `broken_chain`, the link, and why.
    public var refused: String?
    public var seq: Int64?
    public var error: String?

    public init(
        head: Int64, inserted: Int = 0, duplicates: Int = 0, refused: String? = nil, seq: Int64? = nil,
        error: String? = nil
    ) {
        (self.head, self.inserted, self.duplicates) = (head, inserted, duplicates)
        (self.refused, self.seq, self.error) = (refused, seq, error)
    }
}
