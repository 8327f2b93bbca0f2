public import MizanLedger

/// The hub's answer to a kiosk's screen asking for a household
/// (`GET /api/v1/kiosk/village-balance?card=UID`, the kiosk's key).
public struct VillageBalance: Codable, Sendable, Equatable {
    public let card: String
    /// Earned at every kiosk (as last pushed), less spent, plus voided.
    public let balance: Int64
    /// The asking kiosk's part of that, as the hub holds it.
    public let earnedHere: Int64

    public init(card: String, balance: Int64, earnedHere: Int64) {
        (self.card, self.balance, self.earnedHere) = (card, balance, earnedHere)
    }

    enum CodingKeys: String, CodingKey {
        case card = "card_uid", balance, earnedHere = "earned_here"
    }
}

/// What a kiosk's pusher sends the hub (`POST /api/v1/links`): its
/// journal links, in order, and what the hub needs to count them as the
/// kiosk does (its profile).
public struct LinkPush: Codable, Sendable {
    public var links: [JournalLinkExport]
    public var profile: KioskProfile?

    public init(links: [JournalLinkExport], profile: KioskProfile? = nil) {
        self.links = links
        self.profile = profile
    }
}

/// What a kiosk's totals depend on besides its journal: its local day's
/// time zone, its currency and its materials' names, in its order. Not
/// history (a kiosk may rename a material): the hub keeps the latest.
public struct KioskProfile: Codable, Sendable, Equatable {
    public var timeZone: String
    public var currency: String
    public var currencyMinorUnitExponent: Int
    public var materials: [MaterialName]
    /// The households registered at this kiosk (the hub's redemption desk
    /// shows their names); nil from a kiosk that does not send them.
    public var households: [HouseholdName]?

    public struct HouseholdName: Codable, Sendable, Equatable {
        public var card: String
        public var name: String
        public var blocked: Bool

        public init(card: String, name: String, blocked: Bool) {
            (self.card, self.name, self.blocked) = (card, name, blocked)
        }

        enum CodingKeys: String, CodingKey {
            case card = "card_uid", name, blocked
        }
    }

    public struct MaterialName: Codable, Sendable, Equatable {
        public var id: String
        public var nameArabic: String
        public var nameEnglish: String

        public init(id: String, nameArabic: String, nameEnglish: String) {
            (self.id, self.nameArabic, self.nameEnglish) = (id, nameArabic, nameEnglish)
        }

        enum CodingKeys: String, CodingKey {
            case id, nameArabic = "name_ar", nameEnglish = "name_en"
        }
    }

    public init(
        timeZone: String, currency: String, currencyMinorUnitExponent: Int, materials: [MaterialName],
        households: [HouseholdName]? = nil
    ) {
        (self.timeZone, self.currency, self.currencyMinorUnitExponent) =
            (timeZone, currency, currencyMinorUnitExponent)
        (self.materials, self.households) = (materials, households)
    }

    /// The profile of the kiosk whose ledger this is.
    public init(of ledger: Ledger) throws(LedgerError) {
        self.init(
            timeZone: ledger.calendar.identifier, currency: ledger.currency.code,
            currencyMinorUnitExponent: ledger.currency.minorUnitExponent,
            materials: try ledger.materials().map {
                MaterialName(id: $0.id.rawValue, nameArabic: $0.nameArabic, nameEnglish: $0.nameEnglish)
            },
            households: try ledger.households().map {
                HouseholdName(card: $0.card.hex, name: $0.name, blocked: $0.status != .active)
            })
    }

    enum CodingKeys: String, CodingKey {
        case timeZone = "time_zone", currency, currencyMinorUnitExponent = "currency_minor_unit_exponent", materials
        case households
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
