import Foundation
import Testing

/// Compares output with a checked-in golden file. Regenerate with
/// `MIZAN_UPDATE_GOLDEN=1 swift test`, then review the diff.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let file = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["MIZAN_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "output differs from Golden/\(name)", sourceLocation: sourceLocation)
    }
}
