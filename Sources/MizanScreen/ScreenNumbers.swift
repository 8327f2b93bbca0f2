public import MizanCore

/// The digits the screen writes numbers in: an explicit setting, never the
/// browser's locale (Chromium's ICU would pick for itself).
public enum DigitSystem: String, Sendable, CaseIterable, Codable {
    /// ٠١٢٣٤٥٦٧٨٩ with the Arabic decimal separator ٫ (the default for ar-PS).
    case arabicIndic = "arabic_indic"
    /// 0123456789 with a full stop.
    case western
}

/// Numbers as the screen writes them: integer arithmetic, then the digits.
public struct ScreenNumbers: Sendable {
    public let digits: DigitSystem

    public init(_ digits: DigitSystem) {
        self.digits = digits
    }

    /// `text`'s ASCII digits and decimal point in this system.
    public func localize(_ text: String) -> String {
        guard digits == .arabicIndic else { return text }
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar {
                    case "0"..."9": Unicode.Scalar(0x0660 + scalar.value - 0x30) ?? scalar
                    case ".": "\u{066B}"
                    default: scalar
                    }
                }))
    }

    public func amount(_ minorUnits: Int64, in currency: Currency) -> String {
        localize(currency.formatAmount(minorUnits: minorUnits))
    }

    /// Grams below a kilogram as grams, above as kilograms with two decimals (truncated, never rounded up).
    public func weight(_ grams: Int64) -> (value: String, inKilograms: Bool) {
        guard grams.magnitude >= 1_000 else { return (localize(String(grams)), false) }
        let sign = grams < 0 ? "-" : ""
        let hundredths = grams.magnitude / 10 % 100
        let text = "\(sign)\(grams.magnitude / 1_000).\(hundredths < 10 ? "0" : "")\(hundredths)"
        return (localize(text), true)
    }
}
