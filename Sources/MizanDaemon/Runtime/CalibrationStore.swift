import Foundation
import MizanPOSIX
import MizanCore

/// The scale's calibration as last set with `mizanctl calibrate`, kept in
/// the state directory (the configuration file is read-only to the
/// daemon); it takes precedence over the configuration's `calibration:`.
struct CalibrationStore {
    struct Stored: Codable {
        let emptyCounts: Int64
        let loadedCounts: Int64
        let referenceGrams: Int64
        let actor: String
        let setAt: String

        enum CodingKeys: String, CodingKey {
            case emptyCounts = "empty_counts"
            case loadedCounts = "loaded_counts"
            case referenceGrams = "reference_g"
            case actor
            case setAt = "set_at"
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let path: String

    init(stateDirectory: String) {
        path = stateDirectory + "/calibration.json"
    }

    /// The stored calibration, nil if none was ever made here.
    func load() throws -> (Calibration, Stored)? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw Failure(description: "\(path): unreadable (\(error)); calibrate again with mizanctl calibrate")
        }
        do {
            let calibration = try Calibration(
                emptyCounts: stored.emptyCounts, loadedCounts: stored.loadedCounts,
                referenceMass: Grams(stored.referenceGrams))
            return (calibration, stored)
        } catch {
            throw Failure(description: "\(path): \(error)")
        }
    }

    /// Writes atomically (`DurableFile`): a power cut
    /// leaves the old calibration or the new one, never half of one.
    func save(_ stored: Stored) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(stored)
        do {
            try DurableFile.replace(path, with: Array(data))
        } catch {
            throw Failure(description: error.description)
        }
    }
}
