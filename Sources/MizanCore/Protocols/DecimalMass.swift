/// Exact conversion of an indicator's decimal text ("+0001.250", "-  12.5")
/// with its unit into integer milligrams, without floating point.
enum DecimalMass {
    enum Unit {
        case kilograms
        case grams

        var milligramDigits: Int {
            switch self {
            case .kilograms: 6
            case .grams: 3
            }
        }

        init?(_ text: Substring) {
            switch text.lowercased() {
            case "kg": self = .kilograms
            case "g": self = .grams
            default: return nil
            }
        }
    }

    /// Parses an optionally signed decimal (spaces allowed between the sign
    /// and the digits, as cheap indicators pad) into milligrams. Nil for
    /// anything else, or for more decimals than a milligram can hold.
    static func milligrams(_ text: Substring, unit: Unit) -> Int64? {
        var rest = text.drop { $0 == " " }
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst().drop { $0 == " " }
        }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty || parts.count == 2,
              whole.allSatisfy(\.isASCIIDigit), whole.count <= 9
        else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit), fraction.count <= unit.milligramDigits,
              !(whole.isEmpty && fraction.isEmpty)
        else { return nil }
        var value: Int64 = 0
        for digit in whole { value = value * 10 + Int64(digit.asciiValue! - 48) }
        var fractionValue: Int64 = 0
        for digit in fraction { fractionValue = fractionValue * 10 + Int64(digit.asciiValue! - 48) }
        for _ in fraction.count..<unit.milligramDigits { fractionValue *= 10 }
        var scale: Int64 = 1
        for _ in 0..<unit.milligramDigits { scale *= 10 }
        let milligrams = value * scale + fractionValue
        return negative ? -milligrams : milligrams
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
