import Testing
@testable import MizanCore
@testable import MizanDaemon
import MizanConfiguration
@testable import MizanHardware

@Suite("Daemon configuration")
struct ConfigurationLoaderTests {
    @Test func theEmbeddedDefaultIsValidAndRunsAgainstTheSimulator() throws {
        let configuration = try ConfigurationLoader.parse(EmbeddedDefault.yaml, file: "(embedded default)")
        #expect(configuration.kiosk.kioskID == "beni-zeid-sim")
        #expect(configuration.gpioBackend == .simulated)
        #expect(configuration.bins.count == 5)
        #expect(configuration.kiosk.source.currency.nameArabic == "رصيد بني زيد")
        guard case let .serial(scale) = configuration.scale else {
            Issue.record("the default scale is not serial")
            return
        }
        #expect(scale.serial.path == "/tmp/mizan-sim/dev/scale")
        #expect(configuration.summary.contains { $0.hasPrefix("scale: serial scale (continuous A&D/CAS)") })
        #expect(
            configuration.summary.contains {
                $0.contains("bin plastic: line \"LID_PLASTIC\"") && $0.contains("بلاستيك")
            })
    }

    @Test func anHX711KioskIsDescribedWithItsCalibration() throws {
        let text = EmbeddedDefault.yaml.replacingOccurrences(
            of: """
                  driver: serial
                  serial:
                    device: /tmp/mizan-sim/dev/scale
                    baud: 9600
                    protocol: continuous
                """,
            with: """
                  driver: hx711
                  hx711: {data: "gpiochip0:5", clock: "gpiochip0:6", gain: a128, samples_per_second: 80}
                  calibration: {empty_counts: 8000, loaded_counts: 428000, reference_g: 10000}
                """)
        let configuration = try ConfigurationLoader.parse(text, file: "mizan.yaml")
        guard case let .hx711(hx711, calibration) = configuration.scale else {
            Issue.record("not an HX711 scale")
            return
        }
        #expect(hx711.samplesPerSecond == 80)
        #expect(calibration.spanCounts == 420_000)
    }

    /// Each replacement breaks one thing; the message must name its key.
    @Test(arguments: [
        ("stability_window_ms: 500", "stability_window_ms: 300", "scale.stability_window_ms"),
        ("division_g: 10", "division_g: 3", "scale.division_g"),
        ("minimum_e: 20", "minimum_e: 4", "deposit.minimum_e"),
        ("time_zone: Asia/Hebron", "time_zone: Mars/Olympus", "kiosk.time_zone"),
        ("backend: simulated", "backend: magic", "gpio.backend"),
        ("protocol: continuous", "protocol: morse", "scale.serial.protocol"),
        ("baud: 9600\n    protocol", "baud: 9601\n    protocol", "scale.serial.baud"),
        ("line: \"name:LID_GLASS\"", "line: \"17\"", "bins[3].line"),
        ("material: organic", "material: gold", "bins[4].material"),
        ("presence_gap_ms: 500", "presence_gap_ms: 5", "card_reader.presence_gap_ms"),
        ("idle_timeout_ms: 60000", "idle_timeout_ms: 60000\n  idel: 3", "session.idel"),
        ("state_dir: /tmp/mizan-sim", "state_dir: tmp/mizan-sim", "paths.state_dir"),
        ("kiosk:\n", "kiosk:\n  colour: green\n", "kiosk.colour"),
        ("buzzer: \"name:BUZZER\"", "buzzer: \"name:LED_RED\"", "bins"),
    ])
    func aBadConfigurationIsRefusedNamingTheKey(original: String, replacement: String, key: String) {
        let text = EmbeddedDefault.yaml.replacingOccurrences(of: original, with: replacement)
        #expect(text != EmbeddedDefault.yaml, "the test did not change anything: \(original)")
        do {
            _ = try ConfigurationLoader.parse(text, file: "/etc/mizan/mizan.yaml")
            Issue.record("accepted a configuration with \(replacement)")
        } catch {
            #expect(error.problems.contains { $0.key == key }, "\(error)")
            #expect(error.description.contains("/etc/mizan/mizan.yaml"))
        }
    }

    @Test func everyProblemIsReportedAtOnce() {
        let text = EmbeddedDefault.yaml
            .replacingOccurrences(of: "division_g: 10", with: "division_g: 3")
            .replacingOccurrences(of: "minimum_e: 20", with: "minimum_e: 1")
        do {
            _ = try ConfigurationLoader.parse(text, file: "mizan.yaml")
            Issue.record("accepted")
        } catch {
            let keys = Set(error.problems.map(\.key))
            #expect(keys.isSuperset(of: ["scale.division_g", "deposit.minimum_e"]))
        }
    }

    @Test func aMissingFileIsAClearError() {
        do {
            _ = try ConfigurationLoader.load(path: "/nonexistent/mizan.yaml")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.contains("/nonexistent/mizan.yaml"))
            #expect(error.description.contains("cannot read"))
        }
    }
}
