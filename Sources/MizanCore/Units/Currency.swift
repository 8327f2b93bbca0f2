/// The currency credits are paid in: by default the village's complementary
/// currency, which the municipality issues and the cooperatives accept.
public struct Currency: Hashable, Sendable, Codable {
    /// Three upper-case letters; complementary currencies use the ISO 4217
    /// "X" range, which no national currency occupies.
    public let code: String
    public let nameArabic: String
    public let nameEnglish: String
    /// How many decimal digits the minor unit has: 2 means 100 minor units
    /// make one major unit.
    public let minorUnitExponent: Int

    public init(code: String, nameArabic: String, nameEnglish: String, minorUnitExponent: Int) {
        self.code = code
        self.nameArabic = nameArabic
        self.nameEnglish = nameEnglish
        self.minorUnitExponent = minorUnitExponent
    }

    public static let beniZeidCredit = Currency(
        code: "XBZ",
        nameArabic: "رصيد بني زيد",
        nameEnglish: "Beni Zeid credit",
        minorUnitExponent: 2
    )

    /// Problems with this currency, each naming the configuration key.
    public func issues(keyPrefix: String) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        let isThreeUpperLetters = code.count == 3 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
        if !isThreeUpperLetters {
            issues.append(
                .init(key: "\(keyPrefix).code", message: "must be three upper-case letters A-Z, got \"\(code)\""))
        }
        if nameArabic.isEmpty {
            issues.append(.init(key: "\(keyPrefix).name_ar", message: "must not be empty"))
        }
        if nameEnglish.isEmpty {
            issues.append(.init(key: "\(keyPrefix).name_en", message: "must not be empty"))
        }
        if !(0...4).contains(minorUnitExponent) {
            issues.append(
                .init(
                    key: "\(keyPrefix).minor_unit_exponent",
                    message: "must be between 0 and 4, got \(minorUnitExponent)"))
        }
        return issues
    }

    /// Formats an amount of minor units in major units with exactly
    /// `minorUnitExponent` decimals, e.g. 1234 → "12.34 XBZ". Integer only.
    public func format(minorUnits: Int64) -> String {
        "\(formatAmount(minorUnits: minorUnits)) \(code)"
    }

    public func formatAmount(minorUnits: Int64) -> String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        guard minorUnitExponent > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<minorUnitExponent { divisor *= 10 }
        let major = magnitude / divisor
        let minor = magnitude % divisor
        return (negative ? "-" : "") + "\(major)." + String(minor).leftPadded(to: minorUnitExponent)
    }
}
