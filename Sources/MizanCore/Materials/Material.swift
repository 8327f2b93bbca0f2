/// A sorted fraction the kiosk accepts, with the names a household reads.
public struct Material: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Stable identifier used in configuration, the ledger and reports.
    public let id: MaterialID
    public let nameArabic: String
    public let nameEnglish: String

    public init(id: MaterialID, nameArabic: String, nameEnglish: String) {
        self.id = id
        self.nameArabic = nameArabic
        self.nameEnglish = nameEnglish
    }

    public var description: String { id.rawValue }

    public static let plastic = Material(id: "plastic", nameArabic: "بلاستيك", nameEnglish: "Plastic")
    public static let metal = Material(id: "metal", nameArabic: "معادن", nameEnglish: "Metal")
    public static let paper = Material(id: "paper", nameArabic: "ورق", nameEnglish: "Paper")
    public static let glass = Material(id: "glass", nameArabic: "زجاج", nameEnglish: "Glass")
    public static let organic = Material(id: "organic", nameArabic: "مواد عضوية", nameEnglish: "Organic")

    /// The five fractions of the Beni Zeid pilot.
    public static let pilotFractions: [Material] = [.plastic, .metal, .paper, .glass, .organic]
}

/// A material's identifier: lower-case ASCII letters, digits and underscores.
public struct MaterialID: NameIdentifier {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var isWellFormed: Bool {
        !rawValue.isEmpty && rawValue.count <= 32
            && rawValue.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
            }
    }
}
