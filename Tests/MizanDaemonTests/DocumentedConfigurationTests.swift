import Foundation
import Testing
@testable import MizanDaemon

/// The configuration printed in the technician's guide is one the daemon
/// accepts: documentation that cannot drift from the code.
@Suite("The technician's guide")
struct DocumentedConfigurationTests {
    @Test func theGuidesConfigurationIsValid() throws {
        let guide = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/technician-guide.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\n"))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let yaml = String(text[start.upperBound..<end.lowerBound])
        let configuration = try ConfigurationLoader.parse(yaml, file: "docs/technician-guide.md")
        #expect(configuration.kiosk.kioskID == "bz-01")
        #expect(configuration.gpioBackend == .libgpiod)
        #expect(configuration.kiosk.source.caps.creditMinorUnits == 5000)
    }
}
