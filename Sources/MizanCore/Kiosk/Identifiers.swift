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
public struct BinID: NameIdentifier {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}

/// Globally unique: the kiosk's id and a sequence the ledger keeps. The
/// same id committed twice is the same deposit.
public typealias DepositID = SequencedID<DepositNumbering>
public typealias SessionID = SequencedID<SessionNumbering>

/// An id the ledger numbers per kiosk (`bz-01-D17`, `bz-01-S3`): ordered
/// by kiosk, then sequence.
public struct SequencedID<Numbering: IDNumbering>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let kioskID: String
    public let sequence: Int64

    public init(kioskID: String, sequence: Int64) {
        (self.kioskID, self.sequence) = (kioskID, sequence)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.kioskID, lhs.sequence) < (rhs.kioskID, rhs.sequence)
    }

    public var description: String { "\(kioskID)-\(Numbering.letter)\(sequence)" }
}

/// What a kind of sequenced id is called between the kiosk and the number.
public protocol IDNumbering: Sendable {
    static var letter: String { get }
}

public enum DepositNumbering: IDNumbering {
    public static let letter = "D"
}

public enum SessionNumbering: IDNumbering {
    public static let letter = "S"
}

/// A name from the configuration that identifies something (a bin, a
/// material): compared, printed and encoded as the name itself.
public protocol NameIdentifier: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
}

extension NameIdentifier {
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
