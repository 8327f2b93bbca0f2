import Testing
@testable import MizanCore

@Suite("Units and money")
struct UnitsTests {
    @Test func gramsArithmeticReportsOverflow() throws {
        #expect(try Grams(1_250).adding(Grams(750)) == Grams(2_000))
        #expect(try Grams(100).subtracting(Grams(250)) == Grams(-150))
        #expect(throws: ArithmeticOverflow.self) { try Grams(.max).adding(Grams(1)) }
        #expect(throws: ArithmeticOverflow.self) { try Grams(.min).subtracting(Grams(1)) }
    }

    @Test func moneyRefusesMixedCurrenciesAndOverflow() throws {
        let a = Money(minorUnits: 150, currencyCode: "XBZ")
        #expect(try a.adding(Money(minorUnits: 50, currencyCode: "XBZ")).minorUnits == 200)
        #expect(try a.subtracting(Money(minorUnits: 200, currencyCode: "XBZ")).minorUnits == -50)
        #expect(throws: MoneyError.currencyMismatch("XBZ", "ILS")) {
            try a.adding(Money(minorUnits: 1, currencyCode: "ILS"))
        }
        #expect(throws: MoneyError.self) {
            try Money(minorUnits: .max, currencyCode: "XBZ").adding(Money(minorUnits: 1, currencyCode: "XBZ"))
        }
    }

    @Test(arguments: [
        (Int64(0), 2, "0.00"), (1, 2, "0.01"), (1234, 2, "12.34"), (-5, 2, "-0.05"),
        (100, 0, "100"), (123_456, 3, "123.456"), (-1_000, 2, "-10.00"),
    ])
    func currencyFormatsMinorUnitsExactly(minorUnits: Int64, exponent: Int, expected: String) {
        let currency = Currency(code: "XBZ", nameArabic: "رصيد", nameEnglish: "credit", minorUnitExponent: exponent)
        #expect(currency.formatAmount(minorUnits: minorUnits) == expected)
        #expect(currency.format(minorUnits: minorUnits) == "\(expected) XBZ")
    }

    @Test func anAmountTypedAtTheDeskIsReadExactlyOrNotAtAll() {
        let credit = Currency.beniZeidCredit
        #expect(credit.minorUnits(typed: "12") == 1_200)
        #expect(credit.minorUnits(typed: "12.5") == 1_250)
        #expect(credit.minorUnits(typed: " 0.07 ") == 7)
        #expect(credit.minorUnits(typed: "١٢٫٥٠") == 1_250)
        for hostile in ["", ".5", "12.", "12.345", "1e3", "-5", "+5", "12,50", "0x10", "9999999999", "1.2.3", "½"] {
            #expect(credit.minorUnits(typed: hostile) == nil, "\(hostile)")
        }
        let whole = Currency(code: "XBZ", nameArabic: "رصيد", nameEnglish: "credit", minorUnitExponent: 0)
        #expect(whole.minorUnits(typed: "40") == 40 && whole.minorUnits(typed: "40.5") == nil)
    }

    @Test func currencyValidationNamesTheKey() {
        let bad = Currency(code: "xb", nameArabic: "", nameEnglish: "x", minorUnitExponent: 7)
        let keys = bad.issues(keyPrefix: "currency").map(\.key)
        #expect(keys == ["currency.code", "currency.name_ar", "currency.minor_unit_exponent"])
        #expect(Currency.beniZeidCredit.issues(keyPrefix: "currency").isEmpty)
    }

    @Test(arguments: ["2026-03-28", "2024-02-29", "2026-12-31"])
    func localDayParsesValidDates(_ text: String) {
        #expect(LocalDay(text)?.description == text)
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-4-01", "26-04-01", "2026-04-31", "", "2026-04-01x"])
    func localDayRejectsInvalidDates(_ text: String) {
        #expect(LocalDay(text) == nil)
    }

    @Test func localDaysCountCalendarDays() {
        #expect(LocalDay(year: 1970, month: 1, day: 1).ordinal == 0)
        #expect(LocalDay(year: 2026, month: 3, day: 27).days(to: LocalDay(year: 2027, month: 3, day: 28)) == 366)
        #expect(LocalDay(year: 2024, month: 2, day: 28).adding(days: 1) == LocalDay(year: 2024, month: 2, day: 29))
        #expect(LocalDay(year: 2026, month: 1, day: 1).adding(days: -1) == LocalDay(year: 2025, month: 12, day: 31))
        #expect(LocalDay(year: 1969, month: 12, day: 31).ordinal == -1)
        // Every day of four centuries round-trips through its ordinal.
        var day = LocalDay(year: 1900, month: 1, day: 1)
        var firstMismatch: (Int, LocalDay)?
        for ordinal in day.ordinal..<(day.ordinal + 146_097) {
            guard LocalDay(ordinal: ordinal) == day, day.ordinal == ordinal else {
                firstMismatch = (ordinal, day)
                break
            }
            let next =
                day.day < LocalDay.daysIn(month: day.month, year: day.year)
                ? LocalDay(year: day.year, month: day.month, day: day.day + 1)
                : day.month < 12
                    ? LocalDay(year: day.year, month: day.month + 1, day: 1)
                    : LocalDay(year: day.year + 1, month: 1, day: 1)
            day = next
        }
        #expect(firstMismatch == nil, "\(String(describing: firstMismatch))")
    }

    @Test func localDaysOrderChronologically() {
        #expect(LocalDay(year: 2026, month: 3, day: 28) < LocalDay(year: 2026, month: 10, day: 24))
        #expect(LocalDay(year: 2025, month: 12, day: 31) < LocalDay(year: 2026, month: 1, day: 1))
    }

    @Test func durationsAndInstantsConvertExactly() {
        #expect(Duration.milliseconds(1_500).nanoseconds == 1_500_000_000)
        #expect((Instant.seconds(2) - Instant.seconds(0.5)).nanoseconds == 1_500_000_000)
        #expect(Instant.milliseconds(1_234).description == "t+1.234s")
    }

    @Test func cardUIDsAreNormalisedHex() {
        #expect(CardUID("0a1b2c3d4e")?.hex == "0A1B2C3D4E")
        #expect(CardUID("0A1B2C3D4G") == nil)
        #expect(CardUID("") == nil)
        #expect(CardUID("0") == nil)
    }

    @Test func depositIDsAreUniquePerKioskAndSequence() {
        let a = DepositID(kioskID: "k1", sequence: 7)
        #expect(a.description == "k1-D7")
        #expect(a != DepositID(kioskID: "k2", sequence: 7))
        #expect(a < DepositID(kioskID: "k1", sequence: 8))
    }
}
