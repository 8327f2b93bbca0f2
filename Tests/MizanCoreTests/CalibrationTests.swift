import Testing
@testable import MizanCore

@Suite("Calibration and the scale division")
struct CalibrationTests {
    @Test(arguments: [Int64(1), 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000])
    func allowedDivisions(_ grams: Int64) {
        #expect(ScaleDivision(grams: grams) != nil)
    }

    @Test(arguments: [Int64(0), -10, 3, 4, 7, 15, 25, 30, 250, 1001])
    func refusedDivisions(_ grams: Int64) {
        #expect(ScaleDivision(grams: grams) == nil)
    }

    @Test(arguments: [
        // milligrams, e in grams, expected indication in grams
        (Int64(0), Int64(10), Int64(0)), (4_999, 10, 0), (5_000, 10, 10), (14_999, 10, 10),
        (15_000, 10, 20), (-4_999, 10, 0), (-5_000, 10, -10), (1_249_400, 10, 1_250),
        (1_499, 1, 1), (1_500, 1, 2), (2_999, 2, 2), (3_000, 2, 4), (-3_000, 2, -4),
        (124_999, 50, 100), (125_000, 50, 150),
    ])
    func indicationRoundsHalfAwayFromZeroToTheDivision(milligrams: Int64, division: Int64, expected: Int64) throws {
        let e = try #require(ScaleDivision(grams: division))
        #expect(e.indication(of: Milligrams(milligrams)) == Grams(expected))
    }

    @Test func twoPointCalibrationMapsCountsToMilligrams() throws {
        // 8_000 counts empty, 428_000 counts with a 10 kg reference: 42 counts per gram.
        let calibration = try Calibration(emptyCounts: 8_000, loadedCounts: 428_000, referenceMass: Grams(10_000))
        #expect(calibration.milligrams(fromCounts: 8_000) == Milligrams(0))
        #expect(calibration.milligrams(fromCounts: 428_000) == Milligrams(10_000_000))
        #expect(calibration.milligrams(fromCounts: 8_042) == Milligrams(1_000))
        #expect(calibration.milligrams(fromCounts: 8_021) == Milligrams(500))
        #expect(calibration.milligrams(fromCounts: 7_958) == Milligrams(-1_000))
        #expect(abs(calibration.countsPerGram - 42) < 1e-9)
    }

    @Test func calibrationWithReversedLoadCellStillReadsPositive() throws {
        let calibration = try Calibration(emptyCounts: -1_000, loadedCounts: -211_000, referenceMass: Grams(5_000))
        #expect(calibration.milligrams(fromCounts: -211_000) == Milligrams(5_000_000))
        #expect(calibration.milligrams(fromCounts: -43_000) == Milligrams(1_000_000))
    }

    @Test func calibrationRoundsToTheNearestMilligram() throws {
        // 3 counts per 1000 mg: one count is 333.33 mg, two counts 666.67 mg.
        let calibration = try Calibration(emptyCounts: 0, loadedCounts: 3_000, referenceMass: Grams(1_000))
        #expect(calibration.milligrams(fromCounts: 1) == Milligrams(333))
        #expect(calibration.milligrams(fromCounts: 2) == Milligrams(667))
        #expect(calibration.milligrams(fromCounts: -2) == Milligrams(-667))
    }

    @Test func calibrationRefusesAMissingReferenceMass() {
        #expect(throws: CalibrationError.spanTooSmall(counts: 40, minimum: 100)) {
            try Calibration(emptyCounts: 8_000, loadedCounts: 8_040, referenceMass: Grams(10_000))
        }
        #expect(throws: CalibrationError.referenceMassOutOfRange(Grams(0))) {
            try Calibration(emptyCounts: 0, loadedCounts: 10_000, referenceMass: Grams(0))
        }
    }

    @Test func extremeADCCodesDoNotOverflow() throws {
        let calibration = try Calibration(emptyCounts: 0, loadedCounts: 100, referenceMass: Grams(10_000_000))
        #expect(calibration.isWithinArithmeticRange)
        #expect(calibration.milligrams(fromCounts: 8_388_607).value > 0)
        #expect(calibration.milligrams(fromCounts: -8_388_608).value < 0)
    }
}
