import Foundation
import Testing
@testable import MizanDaemon
import MizanConfiguration

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

@Suite("The http: section")
struct HTTPConfigurationTests {
    static let base = EmbeddedDefault.yaml

    @Test func theServiceIsOffUnlessEnabled() throws {
        #expect(try ConfigurationLoader.parse(Self.base, file: "mizan.yaml").http == nil)
        let on = try ConfigurationLoader.parse(
            Self.base + "\nhttp: {enabled: true, bind: 0.0.0.0, port: 8443}\n", file: "mizan.yaml")
        #expect(on.http?.bind == "0.0.0.0" && on.http?.port == 8443)
        #expect(on.summary.contains("cooperatives' HTTP service on 0.0.0.0:8443"))
    }

    @Test(arguments: [("http: {enabled: true, port: 70000}", "http.port"), ("http: {enabld: true}", "http.enabld")])
    func aBadSectionIsRefusedNamingTheKey(section: String, key: String) {
        #expect { try ConfigurationLoader.parse(Self.base + "\n" + section + "\n", file: "mizan.yaml") } throws: {
            "\($0)".contains(key)
        }
    }
}
