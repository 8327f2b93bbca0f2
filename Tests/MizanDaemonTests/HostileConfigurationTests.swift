import Foundation
import MizanSimulator
import Testing
@testable import MizanDaemon
import MizanConfiguration

/// `mizand --check-config` as the real process, against files written to
/// break it: it must answer every one with a message, never a signal.
@Suite("Hostile configuration files")
struct HostileConfigurationTests {
    static var daemonPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mizand").path
    }

    /// Every integer key a kiosk can set, on a serial and on an HX711 kiosk.
    static let serialKiosk = """
        kiosk: {id: hostile, time_zone: Asia/Hebron}
        currency: {code: XBZ, name_ar: رصيد, name_en: credit, minor_unit_exponent: 2}
        gpio: {backend: simulated}
        scale:
          driver: serial
          serial: {device: /dev/null, baud: 9600, data_bits: 8, stop_bits: 1, protocol: mt-sics, poll_interval_ms: 100}
          division_g: 10
          max_g: 60000
          stability_window_ms: 500
          motion_band_g: 10
          sensor_silence_timeout_ms: 2000
        bins:
          - {id: plastic, line: "name:LID_PLASTIC", debounce_ms: 20}
        card_reader: {driver: rdm6300, device: /dev/null, baud: 9600, presence_gap_ms: 500}
        outputs: {green: "name:G", red: "name:R", buzzer: "name:B"}
        deposit: {minimum_e: 20, maximum_g: 30000, settle_timeout_ms: 8000}
        session: {idle_timeout_ms: 60000}
        lids: {stuck_timeout_ms: 120000}
        caps: {daily_credit: 5000, daily_grams: 20000}
        http: {enabled: false, port: 8080}
        paths: {state_dir: /tmp/hostile, control_socket: /tmp/hostile/control.sock}

        """

    static var hx711Kiosk: String {
        serialKiosk.replacingOccurrences(
            of:
                "  serial: {device: /dev/null, baud: 9600, data_bits: 8, stop_bits: 1, protocol: mt-sics, poll_interval_ms: 100}\n  driver: serial\n",
            with: ""
        ).replacingOccurrences(
            of:
                "  driver: serial\n  serial: {device: /dev/null, baud: 9600, data_bits: 8, stop_bits: 1, protocol: mt-sics, poll_interval_ms: 100}\n",
            with: """
                  driver: hx711
                  hx711: {data: "gpiochip0:5", clock: "gpiochip0:6", gain: a128, samples_per_second: 80, realtime_priority: 50}
                  calibration: {empty_counts: 8000, loaded_counts: 108000, reference_g: 5000}

                """)
    }

    static let hostileValues = [
        "9223372036854775807", "-9223372036854775808", "1000000000000000000", "99999999999999999999", "-1", "0",
    ]

    struct Outcome {
        let status: Int32
        let output: String
    }

    static func checkConfig(_ text: String) throws -> Outcome {
        let file = FileManager.default.temporaryDirectory.path + "/hostile-\(UUID().uuidString.prefix(8)).yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try ChildProcess.run(daemonPath, ["--config", file, "--check-config"])
        return Outcome(status: status, output: output)
    }

    @Test func theBaseFilesAreValid() throws {
        for text in [Self.serialKiosk, Self.hx711Kiosk] {
            let outcome = try Self.checkConfig(text)
            #expect(outcome.status == 0, "\(outcome.output)")
        }
        #expect(Self.hx711Kiosk.contains("driver: hx711"))
    }

    /// `division_g: 1000000000000000000` trapped on overflow (SIGILL), and
    /// overflowing values came back as "got -1".
    @Test(arguments: ["serial", "hx711"])
    func everyIntegerKeyTakesEveryHostileValueWithAMessage(kiosk: String) throws {
        let base = kiosk == "serial" ? Self.serialKiosk : Self.hx711Kiosk
        let pattern = try NSRegularExpression(pattern: "([a-z_]+): (-?[0-9]+)([,}\\n])")
        let matches = pattern.matches(in: base, range: NSRange(base.startIndex..., in: base))
        #expect(matches.count >= 20)
        for match in matches {
            let key = (base as NSString).substring(with: match.range(at: 1))
            for value in Self.hostileValues {
                let text = (base as NSString).replacingCharacters(in: match.range(at: 2), with: value)
                let outcome = try Self.checkConfig(text)
                #expect(outcome.status >= 0, "\(key): \(value) crashed mizand with signal \(-outcome.status)")
                #expect(outcome.status == 0 || outcome.status == 2, "\(key): \(value): \(outcome.output)")
                if outcome.status == 2 {
                    #expect(
                        outcome.output.contains(value), "\(key): \(value) is not reported as written: \(outcome.output)"
                    )
                }
            }
        }
    }

    /// 10,000 levels of nesting overflowed the YAML parser's stack.
    @Test(arguments: [
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        "a: " + String(repeating: "{a: ", count: 10_000) + "1" + String(repeating: "}", count: 10_000),
        (0..<600).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " 1",
        String(repeating: "- ", count: 10_000) + "x",
    ])
    func deepNestingIsRefusedBeforeParsing(text: String) throws {
        let outcome = try Self.checkConfig(text)
        #expect(outcome.status == 2, "\(outcome.output.prefix(500))")
        #expect(outcome.output.contains("nested deeper than"), "\(outcome.output.prefix(500))")
    }

    @Test func aHugeFileIsRefusedBeforeParsing() throws {
        let outcome = try Self.checkConfig(Self.serialKiosk + "# " + String(repeating: "x", count: 2_000_000) + "\n")
        #expect(outcome.status == 2)
        #expect(outcome.output.contains("larger than"), "\(outcome.output.prefix(500))")
    }

    @Test func duplicateKeysAndSectionsNameBothLines() throws {
        let text = Self.serialKiosk + "deposit: {minimum_e: 30}\n"
        let outcome = try Self.checkConfig(text)
        #expect(outcome.status == 2)
        #expect(outcome.output.contains("deposit: appears twice, on lines 16 and 22"), "\(outcome.output)")
        let inner = Self.serialKiosk.replacingOccurrences(of: "max_g: 60000\n", with: "max_g: 60000\n  max_g: 30000\n")
        let second = try Self.checkConfig(inner)
        #expect(second.status == 2)
        #expect(second.output.contains("scale.max_g: appears twice, on lines 8 and 9"), "\(second.output)")
    }

    /// Zero-tracking is the indicator's for a serial scale, the daemon's
    /// for a load cell.
    @Test func zeroTrackingIsLeftToASerialIndicator() throws {
        let serial = try ConfigurationLoader.parse(Self.serialKiosk, file: "serial.yaml")
        #expect(!serial.kiosk.source.weighing.zeroTrackingEnabled)
        #expect(serial.summary.contains { $0.contains("zero-tracking left to the indicator") })
        let hx711 = try ConfigurationLoader.parse(Self.hx711Kiosk, file: "hx711.yaml")
        #expect(hx711.kiosk.source.weighing.zeroTrackingEnabled)
        let asked = try Self.checkConfig(
            Self.serialKiosk.replacingOccurrences(
                of: "  max_g: 60000\n", with: "  max_g: 60000\n  zero_tracking: true\n"))
        #expect(asked.status == 2)
        #expect(asked.output.contains("scale.zero_tracking: a serial indicator rounds to e"), "\(asked.output)")
    }

    /// A structural problem once hid every other.
    @Test func everyProblemOfAFileIsReportedAtOnce() throws {
        let text = Self.serialKiosk
            .replacingOccurrences(of: "lids: {stuck_timeout_ms: 120000}", with: "lids: [not, a, mapping]")
            .replacingOccurrences(of: "division_g: 10", with: "division_g: 7")
            .replacingOccurrences(of: "session: {idle_timeout_ms: 60000}", with: "session: {idle_timeout: 60000}")
            .replacingOccurrences(
                of: "outputs: {green: \"name:G\", red: \"name:R\", buzzer: \"name:B\"}",
                with: "outputs: {green: \"name:G\", red: \"name:R\"}"
            )
            .replacingOccurrences(of: "caps: {daily_credit: 5000", with: "caps: {daily_credit: lots")
        let outcome = try Self.checkConfig(text)
        #expect(outcome.status == 2)
        for expected in [
            "lids: must be a mapping", "scale.division_g: must be 1, 2 or 5", "session.idle_timeout: unknown key",
            "outputs.buzzer: is required", "caps.daily_credit: must be a whole number, got \"lots\"",
        ] {
            #expect(outcome.output.contains(expected), "missing \(expected): \(outcome.output)")
        }
    }
}
