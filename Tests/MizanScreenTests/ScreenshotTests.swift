import Foundation
import Testing

@testable import MizanScreen

/// docs/screens/ holds a screenshot of every state of the household screen
/// (`make screens` takes them), and the README shows them.
struct ScreenshotTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ScreenState.allCases)
    func everyStateHasAScreenshotInTheREADME(_ state: ScreenState) throws {
        let path = Self.repository.appendingPathComponent("docs/screens/\(state.rawValue).png")
        let png = try #require(
            try? Data(contentsOf: path), "docs/screens/\(state.rawValue).png is missing: run make screens")
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // The PNG header's width and height: the small screen's 800×480.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect((width, height) == (800, 480))
        #expect(png.count > 10_000, "a nearly empty screenshot: \(png.count) bytes")
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("docs/screens/\(state.rawValue).png"), "the README does not show \(state.rawValue)")
    }
}
