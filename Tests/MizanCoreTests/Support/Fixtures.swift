@testable import MizanCore

enum Fixtures {
    static func weighing(_ change: (inout WeighingConfiguration) -> Void = { _ in }) -> ValidatedWeighingConfiguration {
        var configuration = WeighingConfiguration()
        change(&configuration)
        do {
            return try configuration.validated()
        } catch {
            preconditionFailure("test fixture configuration invalid: \(error)")
        }
    }

    static func kiosk(_ change: (inout KioskConfiguration) -> Void = { _ in }) -> ValidatedKioskConfiguration {
        var configuration = KioskConfiguration()
        configuration.kioskID = "test-kiosk"
        change(&configuration)
        do {
            return try configuration.validated()
        } catch {
            preconditionFailure("test fixture configuration invalid: \(error)")
        }
    }

    /// Plastic 300, metal 800, paper 150, glass 100, organic 50 minor units per kg.
    static let prices = PriceTable(
        version: 3,
        effectiveFrom: WallClockTime(secondsSinceEpoch: 1_767_225_600),
        ratesPerKilogram: ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50]
    )

    static let cardA = CardUID("0A1B2C3D4E")!
    static let cardB = CardUID("1122334455")!
    static let unknownCard = CardUID("DEADBEEF00")!
    static let blockedCard = CardUID("B10C4ED000")!

    static func t(_ seconds: Double) -> Instant { .seconds(seconds) }
}
