import Testing
@testable import MizanCore

@Suite("Materials and prices")
struct PriceTableTests {
    @Test func pilotFractionsHaveArabicAndEnglishNames() {
        #expect(Material.pilotFractions.map(\.id.rawValue) == ["plastic", "metal", "paper", "glass", "organic"])
        for material in Material.pilotFractions {
            #expect(!material.nameArabic.isEmpty)
            #expect(material.nameArabic.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) })
            #expect(!material.nameEnglish.isEmpty)
        }
    }

    @Test func scheduleChoosesTheLatestTableInForce() throws {
        let v1 = PriceTable(
            version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 1_000), ratesPerKilogram: ["plastic": 100])
        let v2 = PriceTable(
            version: 2, effectiveFrom: WallClockTime(secondsSinceEpoch: 2_000), ratesPerKilogram: ["plastic": 200])
        let v3 = PriceTable(
            version: 3, effectiveFrom: WallClockTime(secondsSinceEpoch: 2_000), ratesPerKilogram: ["plastic": 300])
        let schedule = try PriceSchedule([v3, v1, v2])
        #expect(schedule.active(at: WallClockTime(secondsSinceEpoch: 999)) == nil)
        #expect(schedule.active(at: WallClockTime(secondsSinceEpoch: 1_000))?.version == 1)
        #expect(schedule.active(at: WallClockTime(secondsSinceEpoch: 1_999))?.version == 1)
        // Two versions from the same moment: the later version wins.
        #expect(schedule.active(at: WallClockTime(secondsSinceEpoch: 2_000))?.version == 3)
    }

    @Test func scheduleRefusesDuplicateVersions() {
        let table = PriceTable(version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: [:])
        #expect(throws: ConfigurationError.self) { try PriceSchedule([table, table]) }
    }

    @Test func priceTableValidationNamesTheMaterial() {
        let table = PriceTable(
            version: 0,
            effectiveFrom: WallClockTime(secondsSinceEpoch: 0),
            ratesPerKilogram: ["plastic": -1, "gold": 10]
        )
        let issues = table.issues(knownMaterials: Set(Material.pilotFractions.map(\.id)))
        #expect(issues.map(\.key) == ["prices.version", "prices.rates.gold", "prices.rates.plastic"])
        #expect(Fixtures.prices.issues(knownMaterials: Set(Material.pilotFractions.map(\.id))).isEmpty)
    }
}
