import Testing
@testable import MizanCore

@Suite("Calibration capture: raw counts at rest")
struct CalibrationCaptureTests {
    let start = Instant(nanoseconds: 1_000_000_000)

    func capture(_ readings: [Int64], spread: Int64 = 40) -> CalibrationCapture {
        var capture = CalibrationCapture(startedAt: start, duration: .seconds(2), maximumSpreadCounts: spread)
        for (index, counts) in readings.enumerated() {
            capture.add(counts: counts, at: start + .milliseconds(Int64(index) * 100))
        }
        return capture
    }

    @Test func theMeanOfAStillPlatformIsRoundedHalfAwayFromZero() throws {
        #expect(try capture([100, 101, 100, 101, 100, 101, 100, 101]).result() == 101)
        #expect(try capture([100, 100, 100, 100, 100, 100, 100, 101]).result() == 100)
        #expect(try capture([-100, -101, -100, -101, -100, -101, -100, -101]).result() == -101)
    }

    @Test func aMovingPlatformIsRefusedWithItsSpread() {
        #expect(throws: CalibrationCaptureError.notAtRest(spread: 300, maximum: 40)) {
            try capture([1000, 1010, 1100, 1200, 1300, 1200, 1100, 1000]).result()
        }
    }

    @Test func aSilentLoadCellIsRefused() {
        #expect(throws: CalibrationCaptureError.tooFewSamples(3, minimum: 8)) {
            try capture([5, 5, 5]).result()
        }
    }

    @Test func readingsFromBeforeTheStartAreIgnoredAndTheCaptureEndsAfterItsDuration() {
        var capture = CalibrationCapture(startedAt: start, duration: .seconds(2), maximumSpreadCounts: 40)
        capture.add(counts: 99_999, at: start - .milliseconds(1))
        #expect(capture.samples == 0)
        #expect(!capture.isComplete(at: start + .milliseconds(1_999)))
        #expect(capture.isComplete(at: start + .seconds(2)))
    }

    @Test func theSpreadLimitIsTwoDivisionsInCountsAndNeverBelowSixteen() throws {
        // 5 000 g moves the reading by 100 000 counts: 20 counts per gram.
        let calibration = try Calibration(emptyCounts: 8_000, loadedCounts: 108_000, referenceMass: Grams(5_000))
        #expect(CalibrationCapture.spreadLimit(for: calibration, divisionMilligrams: 10_000) == 400)
        #expect(CalibrationCapture.spreadLimit(for: calibration, divisionMilligrams: 100) == 16)
        let reversed = try Calibration(emptyCounts: 8_000, loadedCounts: -92_000, referenceMass: Grams(5_000))
        #expect(CalibrationCapture.spreadLimit(for: reversed, divisionMilligrams: 10_000) == 400)
    }
}
