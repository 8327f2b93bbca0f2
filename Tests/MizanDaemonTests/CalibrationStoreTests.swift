import Foundation
import Testing
@testable import MizanCore
@testable import MizanDaemon

@Suite("The calibration kept in the state directory")
struct CalibrationStoreTests {
    let directory = FileManager.default.temporaryDirectory.path + "/mizan-calibration-\(UUID().uuidString.prefix(8))"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @Test func aSavedCalibrationComesBackExactly() throws {
        let store = CalibrationStore(stateDirectory: directory)
        #expect(try store.load() == nil)
        try store.save(
            .init(
                emptyCounts: 8_000, loadedCounts: 108_000, referenceGrams: 5_000, actor: "uid 0 (root)",
                setAt: "2026-11-23T10:00:00Z"))
        let (calibration, record) = try #require(try store.load())
        #expect(
            calibration == (try Calibration(emptyCounts: 8_000, loadedCounts: 108_000, referenceMass: Grams(5_000))))
        #expect(record.actor == "uid 0 (root)")
        #expect(!FileManager.default.fileExists(atPath: store.path + ".new"))
    }

    @Test func aDamagedFileIsRefusedNamingItsPath() throws {
        let store = CalibrationStore(stateDirectory: directory)
        try Data("{\"empty_counts\": 8000".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect { try store.load() } throws: { "\($0)".contains(store.path) && "\($0)".contains("mizanctl calibrate") }
    }

    @Test func anImpossibleCalibrationIsRefused() throws {
        let store = CalibrationStore(stateDirectory: directory)
        try store.save(
            .init(emptyCounts: 8_000, loadedCounts: 8_010, referenceGrams: 5_000, actor: "test", setAt: "now"))
        #expect { try store.load() } throws: { "\($0)".contains("only 10 counts") }
    }
}
