/// The UID a card reader reports, normalised to upper-case hex
/// (EM4100: 10 digits; Wiegand: the frame's data bits in hex).
public struct CardUID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let hex: String

    /// Returns nil unless `text` is 2 to 32 hex digits (any case).
    public init?(_ text: some StringProtocol) {
        let upper = text.uppercased()
        guard (2...32).contains(upper.count),
            upper.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("A"..."F").contains($0) })
        else { return nil }
        hex = upper
    }

    public static func < (lhs: CardUID, rhs: CardUID) -> Bool { lhs.hex < rhs.hex }

    public var description: String { hex }
}

/// A registered household, as numbered by the ledger.
public struct HouseholdID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: HouseholdID, rhs: HouseholdID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "household \(rawValue)" }
}

/// A bin (and its lid sensor), named in the configuration.
public struct BinID: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public static func < (lhs: BinID, rhs: BinID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}

/// Globally unique: the kiosk's id and a sequence the ledger keeps. The
/// same id committed twice is the same deposit.
public struct DepositID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let kioskID: String
    public let sequence: Int64

    public init(kioskID: String, sequence: Int64) {
        self.kioskID = kioskID
        self.sequence = sequence
    }

    public static func < (lhs: DepositID, rhs: DepositID) -> Bool {
        (lhs.kioskID, lhs.sequence) < (rhs.kioskID, rhs.sequence)
    }

    public var description: String { "\(kioskID)-D\(sequence)" }
}

public struct SessionID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let kioskID: String
    public let sequence: Int64

    public init(kioskID: String, sequence: Int64) {
        self.kioskID = kioskID
        self.sequence = sequence
    }

    public static func < (lhs: SessionID, rhs: SessionID) -> Bool {
        (lhs.kioskID, lhs.sequence) < (rhs.kioskID, rhs.sequence)
    }

    public var description: String { "\(kioskID)-S\(sequence)" }
}
