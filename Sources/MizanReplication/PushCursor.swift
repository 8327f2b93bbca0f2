import Foundation
public import MizanPOSIX

/// Where the hub's copy of this kiosk's chain stands, as the hub last said:
/// one line `SEQ` in a file of the state directory, replaced durably
/// (`DurableFile`), so a power cut leaves the old cursor or the new one — and an old one only means
/// links sent again, which the hub skips.
public struct PushCursor: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The sequence saved, 0 when none yet (or unreadable: everything is sent again).
    public func load() -> Int64 {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        return Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    public func save(_ seq: Int64) throws(DurableFile.Failure) {
        try DurableFile.replace(path, with: Array("\(seq)\n".utf8))
    }
}
