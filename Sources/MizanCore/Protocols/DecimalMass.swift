/// Exact conversion of an indicator's decimal text ("+0001.250", "-  12.5")
/// with its unit into integer milligrams, without floating point, straight
/// from the bytes on the wire.
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

        init?(_ bytes: ArraySlice<UInt8>) {
            if bytes.equalsIgnoringCase("kg") {
                self = .kilograms
            } else if bytes.equalsIgnoringCase("g") {
                self = .grams
            } else {
                return nil
            }
        }
    }

    /// Parses an optionally signed decimal (spaces allowed between the sign
    /// and the digits, as cheap indicators pad) into milligrams. Nil for
    /// anything else, or for more decimals than a milligram can hold.
    static func milligrams(_ text: ArraySlice<UInt8>, unit: Unit) -> Int64? {
        var rest = text.drop { $0 == 0x20 }
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst().drop { $0 == 0x20 }
        }
        let point = rest.firstIndex(of: UInt8(ascii: "."))
        let whole = rest[..<(point ?? rest.endIndex)]
        let fraction = point.map { rest[($0 + 1)...] } ?? []
        guard whole.allSatisfy(isDigit), whole.count <= 9,
            fraction.allSatisfy(isDigit), fraction.count <= unit.milligramDigits,
            !(whole.isEmpty && fraction.isEmpty)
        else { return nil }
        var value: Int64 = 0
        for digit in whole { value = value * 10 + Int64(digit - 48) }
        var fractionValue: Int64 = 0
        for digit in fraction { fractionValue = fractionValue * 10 + Int64(digit - 48) }
        for _ in fraction.count..<unit.milligramDigits { fractionValue *= 10 }
        var scale: Int64 = 1
        for _ in 0..<unit.milligramDigits { scale *= 10 }
        let milligrams = value * scale + fractionValue
        return negative ? -milligrams : milligrams
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }
}
