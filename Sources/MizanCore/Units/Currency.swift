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

    /// Reads an amount typed in major units ("12", "12.5", "12.50"; Western
    /// or Arabic-Indic digits, "." or "٫") into minor units, integer only;
    /// nil for anything else, more decimals than the currency has, or an
    /// amount too large to be real.
    public func minorUnits(typed text: String) -> Int64? {
        var digits = ""
        for scalar in text.unicodeScalars where scalar != " " {
            if (0x0660...0x0669).contains(scalar.value) {
                digits.append(Character(Unicode.Scalar(UInt8(scalar.value - 0x0660 + 0x30))))
            } else if scalar == "٫" {
                digits.append(".")
            } else {
                digits.unicodeScalars.append(scalar)
            }
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 9,
            parts.allSatisfy({ $0.allSatisfy { ("0"..."9").contains($0) } }),
            parts.count == 1 || (minorUnitExponent > 0 && (1...minorUnitExponent).contains(parts[1].count)),
            let major = Int64(parts[0])
        else { return nil }
        var scale: Int64 = 1
        for _ in 0..<minorUnitExponent { scale *= 10 }
        var minor: Int64 = 0
        if parts.count == 2, let fraction = Int64(parts[1]) {
            var factor: Int64 = 1
            for _ in parts[1].count..<minorUnitExponent { factor *= 10 }
            minor = fraction * factor
        }
        return major * scale + minor
    }
}
