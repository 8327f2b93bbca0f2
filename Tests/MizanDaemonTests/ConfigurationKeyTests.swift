import Foundation
import Testing
import MizanConfiguration
import MizanYAML

/// Each key declared once: the reference is what the declarations make,
/// the loader accepts every declared key, and every key a problem names is
/// one the file can set.
@Suite("Configuration keys, declared once")
struct ConfigurationKeyTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func docsConfigurationIsWhatTheDeclarationsMake() throws {
        let path = Self.repository.appendingPathComponent("docs/configuration.md")
        let written = try String(contentsOf: path, encoding: .utf8)
        #expect(
            written == ConfigurationReference.markdown,
            "regenerate: .build/debug/mizand --configuration-reference > docs/configuration.md")
    }

    /// Two files between them setting every declared key.
    static let serialKiosk = """
        kiosk: {id: bz-01, time_zone: Asia/Hebron}
        currency: {code: XBZ, name_ar: رصيد, name_en: credit, minor_unit_exponent: 2}
        materials: [{id: plastic, name_ar: بلاستيك, name_en: Plastic}]
        gpio: {backend: libgpiod}
        scale:
          driver: serial
          division_g: 10
          max_g: 60000
          stability_window_ms: 500
          motion_band_g: 10
          sensor_silence_timeout_ms: 2000
          startup_zero_range_percent: 20
          zero_range_percent: 4
          overload_margin_e: 9
          underload_limit_e: 20
          serial: {device: /dev/ttyUSB0, baud: 9600, data_bits: 8, parity: none, stop_bits: 1, protocol: mt-sics, poll_interval_ms: 100}
        bins: [{id: plastic, material: plastic, line: "name:LID_PLASTIC", open_when: low, debounce_ms: 20}]
        card_reader: {driver: rdm6300, device: /dev/ttyUSB1, baud: 9600, data_bits: 8, parity: none, stop_bits: 1, presence_gap_ms: 500}
        outputs: {green: "name:LED_GREEN", red: "name:LED_RED", buzzer: "name:BUZZER", active_low: false}
        deposit: {minimum_e: 20, maximum_g: 30000, settle_timeout_ms: 8000}
        session: {idle_timeout_ms: 60000}
        lids: {stuck_timeout_ms: 120000}
        caps: {daily_credit: 5000, daily_grams: 40000}
        paths: {state_dir: /var/lib/mizan, control_socket: /run/mizan/control.sock}
        http: {enabled: true, bind: 127.0.0.1, port: 8080}
        screen: {enabled: true, port: 8090, language: ar, digits: arabic_indic, voice_dir: /usr/local/share/mizan/voice, font_dir: /usr/share/fonts/truetype/noto}
        hub: {url: "http://hub.beni-zeid.ps:8470/", key_file: /etc/mizan/hub.key, batch: 500}
        """

    static let hx711Kiosk = """
        scale:
          driver: hx711
          zero_tracking: true
          hx711: {data: "name:HX711_DOUT", clock: "name:HX711_SCK", gain: a128, samples_per_second: 80, realtime_priority: 50}
          calibration: {empty_counts: 80000, loaded_counts: 330000, reference_g: 5000}
        bins: [{id: plastic, line: "name:LID_PLASTIC"}]
        card_reader: {driver: wiegand, d0: "name:WIEGAND_D0", d1: "name:WIEGAND_D1"}
        outputs: {green: "name:LED_GREEN", red: "name:LED_RED", buzzer: "name:BUZZER"}
        """

    @Test func theLoaderTakesEveryDeclaredKey() throws {
        let serial = try ConfigurationLoader.parse(Self.serialKiosk, file: "serial.yaml")
        #expect(serial.kiosk.source.caps.grams == 40_000)
        _ = try ConfigurationLoader.parse(Self.hx711Kiosk, file: "hx711.yaml")
        let both = Self.serialKiosk + "\n" + Self.hx711Kiosk
        for key in ConfigurationKeys.all {
            #expect(both.contains("\(key.name):"), "\(key.path) is declared but neither file sets it")
        }
    }

    /// Files with one problem each: the key each problem names is declared.
    @Test(arguments: [
        "deposit: {minimum_e: 1}", "deposit: {settle_timeout_ms: 10}", "session: {idle_timeout_ms: 1}",
        "lids: {stuck_timeout_ms: 1}", "caps: {daily_credit: 0}", "caps: {daily_grams: -1}",
        "screen: {digits: roman}", "screen: {language: fr}", "screen: {port: 0}", "screen: {voice_dir: voice}",
        "hub: {url: \"ftp://hub\"}", "hub: {url: \"http://hub/\", batch: 0}",
        "hub: {url: \"http://hub/\", key_file: k}",
        "currency: {code: xx}", "currency: {minor_unit_exponent: 9}", "kiosk: {id: \"a b\"}",
        "kiosk: {time_zone: Mars/Olympus}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0}, division_g: 3}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0}, stability_window_ms: 10}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0}, startup_zero_range_percent: 50}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0}, zero_range_percent: 9}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0}, overload_margin_e: 99}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0}, underload_limit_e: 0}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0}, sensor_silence_timeout_ms: 1}",
        "scale: {driver: serial, serial: {device: /dev/ttyUSB0, baud: 1234}}",
        "card_reader: {driver: rdm6300, device: ttyUSB1}",
        "card_reader: {driver: rdm6300, device: /dev/ttyUSB1, presence_gap_ms: 1}",
        "http: {port: 0}", "paths: {state_dir: relative}",
    ])
    func everyProblemNamesADeclaredKey(change: String) throws {
        let declared = Set(ConfigurationKeys.all.map(\.path))
        var sections = [
            "scale": "scale: {driver: serial, serial: {device: /dev/ttyUSB0}}",
            "bins": "bins: [{id: plastic, line: \"name:LID_PLASTIC\"}]",
            "card_reader": "card_reader: {driver: rdm6300, device: /dev/ttyUSB1}",
            "outputs": "outputs: {green: \"name:LED_GREEN\", red: \"name:LED_RED\", buzzer: \"name:BUZZER\"}",
        ]
        sections[String(change.prefix { $0 != ":" })] = change
        let text = sections.values.sorted().joined(separator: "\n") + "\n"
        do {
            _ = try ConfigurationLoader.parse(text, file: "mizan.yaml")
            Issue.record("\(change) was accepted")
        } catch {
            #expect(!error.problems.isEmpty)
            for problem in error.problems {
                // bins[3].debounce_ms is declared as bins[].debounce_ms.
                let key = problem.key.replacing(/\[\d+\]/, with: "[]")
                #expect(declared.contains(key), "\(change): the problem names \(problem.key), which no declaration has")
            }
        }
    }
}
