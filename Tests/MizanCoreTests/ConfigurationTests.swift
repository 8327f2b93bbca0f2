import Testing
@testable import MizanCore

@Suite("Configuration validation")
struct ConfigurationTests {
    @Test func defaultsAreValidAndMatchTheBrief() throws {
        let configuration = try KioskConfiguration().validated()
        #expect(configuration.weighing.division.grams == 10)
        #expect(configuration.weighing.stabilityWindowNanoseconds == 500_000_000)
        #expect(configuration.weighing.motionBandMilligrams == 10_000)
        #expect(configuration.minimumDeposit == Grams(200))
        #expect(configuration.weighing.overloadAboveMilligrams == 60_090_000)
        #expect(configuration.weighing.underloadBelowMilligrams == -200_000)
        #expect(configuration.weighing.startupZeroRangeMilligrams == 12_000_000)
        #expect(configuration.weighing.zeroRangeMilligrams == 2_400_000)
        #expect(configuration.weighing.zeroTrackingBandMilligrams == 5_000)
        #expect(configuration.weighing.zeroTrackingMilligramsPerSecond == 5_000)
        #expect(configuration.binMaterials.count == 5)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let change: @Sendable (inout KioskConfiguration) -> Void
        var testDescription: String { name }
    }

    static let invalidCases: [Case] = [
        Case(name: "stability window below 0.4 s", key: "scale.stability_window_ms") {
            $0.weighing.stabilityWindow = .milliseconds(399)
        },
        Case(name: "division of 3 g", key: "scale.division_g") { $0.weighing.divisionGrams = 3 },
        Case(name: "division of 25 g", key: "scale.division_g") { $0.weighing.divisionGrams = 25 },
        Case(name: "Max not a multiple of e", key: "scale.max_g") { $0.weighing.capacityGrams = 60_005 },
        Case(name: "more than 10000 divisions", key: "scale.max_g") { $0.weighing.capacityGrams = 200_000 },
        Case(name: "motion band of zero", key: "scale.motion_band_g") { $0.weighing.motionBandGrams = 0 },
        Case(name: "motion band above 5 e", key: "scale.motion_band_g") { $0.weighing.motionBandGrams = 60 },
        Case(name: "start-up zero range above 20 %", key: "scale.startup_zero_range_percent") {
            $0.weighing.startupZeroRangePercent = 25
        },
        Case(name: "zero range above 4 %", key: "scale.zero_range_percent") { $0.weighing.zeroRangePercent = 5 },
        Case(name: "overload margin above 9 e", key: "scale.overload_margin_e") {
            $0.weighing.overloadMarginDivisions = 10
        },
        Case(name: "underload limit above 20 e", key: "scale.underload_limit_e") {
            $0.weighing.underloadLimitDivisions = 21
        },
        Case(name: "sensor silence timeout too short", key: "scale.sensor_silence_timeout_ms") {
            $0.weighing.sensorSilenceTimeout = .milliseconds(50)
        },
        Case(name: "minimum deposit below 5 e", key: "deposit.minimum_e") { $0.minimumDepositDivisions = 4 },
        Case(name: "maximum deposit above Max", key: "deposit.maximum_g") { $0.maximumDepositGrams = 70_000 },
        Case(name: "maximum deposit below the minimum", key: "deposit.maximum_g") { $0.maximumDepositGrams = 100 },
        Case(name: "settle timeout shorter than the window", key: "deposit.settle_timeout_ms") {
            $0.settleTimeout = .milliseconds(300)
        },
        Case(name: "idle timeout of 1 s", key: "session.idle_timeout_ms") { $0.sessionIdleTimeout = .seconds(1) },
        Case(name: "stuck lid timeout of 1 s", key: "lids.stuck_timeout_ms") { $0.lidStuckTimeout = .seconds(1) },
        Case(name: "card presence gap of 10 ms", key: "card_reader.presence_gap_ms") {
            $0.cardPresenceGap = .milliseconds(10)
        },
        Case(name: "negative credit cap", key: "caps.daily_credit") { $0.caps.creditMinorUnits = -5 },
        Case(name: "zero gram cap", key: "caps.daily_grams") { $0.caps.grams = 0 },
        Case(name: "kiosk id with a space", key: "kiosk.id") { $0.kioskID = "beni zeid" },
        Case(name: "bin of an unknown material", key: "bins[0].material") { $0.bins[0].material = "gold" },
        Case(name: "two bins with one id", key: "bins[1].id") { $0.bins[1].id = $0.bins[0].id },
        Case(name: "material id with upper case", key: "materials[0].id") {
            $0.materials[0] = Material(id: "Plastic", nameArabic: "بلاستيك", nameEnglish: "Plastic")
            $0.bins[0].material = "Plastic"
        },
        Case(name: "currency code of two letters", key: "currency.code") {
            $0.currency = Currency(code: "XB", nameArabic: "ر", nameEnglish: "c", minorUnitExponent: 2)
        },
    ]

    @Test(arguments: invalidCases)
    func invalidValuesAreRefusedNamingTheKey(_ testCase: Case) {
        var configuration = KioskConfiguration()
        testCase.change(&configuration)
        do {
            _ = try configuration.validated()
            Issue.record("\(testCase.name) was accepted")
        } catch {
            #expect(error.issues.map(\.key).contains(testCase.key), "got \(error.issues)")
            #expect(error.description.contains(testCase.key))
        }
    }

    @Test func everyProblemIsReportedAtOnce() {
        var configuration = KioskConfiguration()
        configuration.weighing.divisionGrams = 3
        configuration.weighing.stabilityWindow = .milliseconds(100)
        configuration.minimumDepositDivisions = 1
        do {
            _ = try configuration.validated()
            Issue.record("accepted")
        } catch {
            let keys = Set(error.issues.map(\.key))
            #expect(keys.isSuperset(of: ["scale.division_g", "scale.stability_window_ms", "deposit.minimum_e"]))
        }
    }

    @Test(arguments: [Int64(400), 500, 1_000, 5_000])
    func stabilityWindowsFromTheFloorUpAreAccepted(_ milliseconds: Int64) throws {
        var configuration = WeighingConfiguration()
        configuration.stabilityWindow = .milliseconds(milliseconds)
        _ = try configuration.validated()
    }
}
