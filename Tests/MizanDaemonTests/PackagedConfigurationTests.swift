import Foundation
import MizanConfiguration
import Testing

/// The example the Debian package installs as /etc/mizan/mizan.yaml.
@Suite("Packaged configuration")
struct PackagedConfigurationTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/mizan.yaml").path

    @Test func theInstalledExampleIsAcceptedAndDescribesABoardNotTheSimulator() throws {
        let configuration = try ConfigurationLoader.load(path: Self.path)
        #expect(configuration.gpioBackend == .libgpiod)
        #expect(configuration.paths.stateDirectory == "/var/lib/mizan")
        #expect(configuration.paths.controlSocket == "/run/mizan/control.sock")
        guard case .hx711 = configuration.scale else {
            Issue.record("the example's scale is not the pilot's HX711")
            return
        }
        #expect(!configuration.summary.joined().contains("/tmp/mizan-sim"))
    }
}
