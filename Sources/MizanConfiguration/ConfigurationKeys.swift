import MizanCore
import MizanHardware
import MizanLedger

/// Every key of `mizan.yaml`. Defaults are rendered from the types' own
/// defaults (`KioskConfiguration()`, `WeighingConfiguration()`, …), so a
/// default lives in one place and the reference cannot disagree with it.
public enum ConfigurationKeys {
    static let kiosk = KioskConfiguration()
    static let weighing = WeighingConfiguration()

    public enum Kiosk {
        public static let id = ConfigurationKey(
            "kiosk", "id", .text, default: ConfigurationKeys.kiosk.kioskID,
            "the kiosk's id in deposit and session ids: 1 to 32 letters, digits, '-' or '_'")
        public static let timeZone = ConfigurationKey(
            "kiosk", "time_zone", .text, default: LocalCalendar.defaultIdentifier,
            "the IANA time zone of the local day (caps, totals)")
    }

    public enum Currency {
        public static let code = ConfigurationKey(
            "currency", "code", .text, default: ConfigurationKeys.kiosk.currency.code, "three upper-case letters")
        public static let nameArabic = ConfigurationKey(
            "currency", "name_ar", .text, default: ConfigurationKeys.kiosk.currency.nameArabic, "its Arabic name")
        public static let nameEnglish = ConfigurationKey(
            "currency", "name_en", .text, default: ConfigurationKeys.kiosk.currency.nameEnglish, "its English name")
        public static let minorUnitExponent = ConfigurationKey(
            "currency", "minor_unit_exponent", .integer,
            default: String(ConfigurationKeys.kiosk.currency.minorUnitExponent), "decimals of the minor unit, 0 to 4")
    }

    public enum Materials {
        public static let id = ConfigurationKey(
            "materials[]", "id", .text, default: nil,
            "1 to 32 lower-case letters, digits or '_' (the list replaces the pilot's five fractions)")
        public static let nameArabic = ConfigurationKey(
            "materials[]", "name_ar", .text, default: nil, "the material's Arabic name")
        public static let nameEnglish = ConfigurationKey(
            "materials[]", "name_en", .text, default: nil, "the material's English name")
    }

    public enum GPIO {
        public static let backend = ConfigurationKey(
            "gpio", "backend", .choice, default: "libgpiod",
            "libgpiod (kernel lines) or simulated (the simulator's socket in the state directory)")
    }

    public enum Scale {
        public static let driver = ConfigurationKey(
            "scale", "driver", .choice, default: nil, "serial (a weighing indicator) or hx711 (a load cell on GPIO)")
        public static let divisionGrams = ConfigurationKey(
            "scale", "division_g", .integer, default: String(ConfigurationKeys.weighing.divisionGrams),
            "the division e in grams: 1, 2 or 5 × 10^k")
        public static let capacityGrams = ConfigurationKey(
            "scale", "max_g", .integer, default: String(ConfigurationKeys.weighing.capacityGrams),
            "Max in grams: a whole number of divisions, 100 to 10000 of them")
        public static let stabilityWindow = ConfigurationKey(
            "scale", "stability_window_ms", .milliseconds,
            default: String(ConfigurationKeys.weighing.stabilityWindow.milliseconds),
            "how long readings must stay within the motion band to be stable, 400 to 5000")
        public static let motionBand = ConfigurationKey(
            "scale", "motion_band_g", .integer, default: String(ConfigurationKeys.weighing.motionBandGrams),
            "the band a stable reading stays within, more than 0 and at most 5 e")
        public static let zeroTracking = ConfigurationKey(
            "scale", "zero_tracking", .boolean, default: "true for hx711",
            "automatic zero tracking within ±0.5 e; a serial indicator's is its own (AZT), so true is refused there")
        public static let sensorSilence = ConfigurationKey(
            "scale", "sensor_silence_timeout_ms", .milliseconds,
            default: String(ConfigurationKeys.weighing.sensorSilenceTimeout.milliseconds),
            "no reading for this long is the sensor_silent fault, 200 to 60000")
        public static let startupZeroRange = ConfigurationKey(
            "scale", "startup_zero_range_percent", .integer,
            default: String(ConfigurationKeys.weighing.startupZeroRangePercent),
            "start-up zero is accepted within this share of Max, 0 to 20")
        public static let zeroRange = ConfigurationKey(
            "scale", "zero_range_percent", .integer, default: String(ConfigurationKeys.weighing.zeroRangePercent),
            "zero-setting and tracking move zero at most this share of Max, 0 to 4")
        public static let overloadMargin = ConfigurationKey(
            "scale", "overload_margin_e", .integer, default: String(ConfigurationKeys.weighing.overloadMarginDivisions),
            "above Max + this many divisions is overload, 0 to 9")
        public static let underloadLimit = ConfigurationKey(
            "scale", "underload_limit_e", .integer, default: String(ConfigurationKeys.weighing.underloadLimitDivisions),
            "below −(this many divisions) is underload, 1 to 20")
    }

    /// A serial device: the indicator (`scale.serial`) or the RDM6300 (`card_reader`).
    public enum Serial {
        public static func device(_ section: String) -> ConfigurationKey {
            .init(section, "device", .path, default: nil, "the device, e.g. /dev/serial/by-id/…")
        }
        public static func baud(_ section: String) -> ConfigurationKey {
            .init(
                section, "baud", .integer, default: "9600",
                "one of \(SerialConfiguration.supportedBaudRates.map(String.init).joined(separator: ", "))")
        }
        public static func dataBits(_ section: String) -> ConfigurationKey {
            .init(section, "data_bits", .integer, default: "8", "7 or 8")
        }
        public static func parity(_ section: String) -> ConfigurationKey {
            .init(section, "parity", .choice, default: "none", "none, even or odd")
        }
        public static func stopBits(_ section: String) -> ConfigurationKey {
            .init(section, "stop_bits", .integer, default: "1", "1 or 2")
        }
    }

    public enum SerialScale {
        public static let section = "scale.serial"
        public static let `protocol` = ConfigurationKey(
            section, "protocol", .choice, default: "continuous", "continuous (A&D/CAS lines) or mt-sics (polled)")
        public static let pollInterval = ConfigurationKey(
            section, "poll_interval_ms", .milliseconds, default: "100", "how often MT-SICS is asked for a reading")
    }

    public enum HX711 {
        public static let section = "scale.hx711"
        public static let data = ConfigurationKey(section, "data", .line, default: nil, "DOUT")
        public static let clock = ConfigurationKey(
            section, "clock", .line, default: nil, "PD_SCK (another line than data)")
        public static let gain = ConfigurationKey(section, "gain", .choice, default: "a128", "a128, b32 or a64")
        public static let samplesPerSecond = ConfigurationKey(
            section, "samples_per_second", .integer, default: "80", "10 or 80, as the RATE pin is wired")
        public static let realtimePriority = ConfigurationKey(
            section, "realtime_priority", .integer, default: "50", "SCHED_FIFO priority of the sampling thread, 1 to 99"
        )
    }

    public enum Calibration {
        public static let section = "scale.calibration"
        public static let emptyCounts = ConfigurationKey(
            section, "empty_counts", .integer, default: nil,
            "raw counts with the platform empty (mizanctl calibrate keeps its own in the state directory)")
        public static let loadedCounts = ConfigurationKey(
            section, "loaded_counts", .integer, default: nil, "raw counts with the reference mass on it")
        public static let referenceGrams = ConfigurationKey(
            section, "reference_g", .integer, default: nil, "the reference mass in grams")
    }

    public enum Bins {
        public static let section = "bins[]"
        public static let id = ConfigurationKey(section, "id", .text, default: nil, "the bin's id")
        public static let material = ConfigurationKey(
            section, "material", .text, default: "the bin's id", "the material it takes")
        public static let line = ConfigurationKey(section, "line", .line, default: nil, "the lid sensor's input")
        public static let openWhen = ConfigurationKey(
            section, "open_when", .choice, default: "low",
            "low (a reed switch to ground, pulled up) or high (pulled down)")
        public static let debounce = ConfigurationKey(
            section, "debounce_ms", .milliseconds, default: String(BinSensorConfiguration.defaultDebounce.milliseconds),
            "a lid change counts once the line has been still this long, 1 to 500")
    }

    public enum CardReader {
        public static let section = "card_reader"
        public static let driver = ConfigurationKey(
            section, "driver", .choice, default: nil, "rdm6300 (serial, with card_reader.device etc.) or wiegand")
        public static let presenceGap = ConfigurationKey(
            section, "presence_gap_ms", .milliseconds,
            default: String(ConfigurationKeys.kiosk.cardPresenceGap.milliseconds),
            "a card away this long and presented again is a new tap, 150 to 10000")
        public static let d0 = ConfigurationKey(section, "d0", .line, default: nil, "Wiegand D0")
        public static let d1 = ConfigurationKey(section, "d1", .line, default: nil, "Wiegand D1")
    }

    public enum Outputs {
        public static let section = "outputs"
        public static let green = ConfigurationKey(section, "green", .line, default: nil, "the green light")
        public static let red = ConfigurationKey(section, "red", .line, default: nil, "the red light")
        public static let buzzer = ConfigurationKey(section, "buzzer", .line, default: nil, "the buzzer")
        public static let activeLow = ConfigurationKey(
            section, "active_low", .boolean, default: "false", "the outputs light on a low level")
    }

    public enum Deposit {
        public static let minimumDivisions = ConfigurationKey(
            "deposit", "minimum_e", .integer, default: String(ConfigurationKeys.kiosk.minimumDepositDivisions),
            "less than this many divisions earns nothing (below_minimum), at least \(KioskConfiguration.minimumDepositFloorDivisions)"
        )
        public static let maximumGrams = ConfigurationKey(
            "deposit", "maximum_g", .integer, default: String(ConfigurationKeys.kiosk.maximumDepositGrams),
            "more than this in one deposit is implausible")
        public static let settleTimeout = ConfigurationKey(
            "deposit", "settle_timeout_ms", .milliseconds,
            default: String(ConfigurationKeys.kiosk.settleTimeout.milliseconds),
            "no stable reading this long after the lid closed is unstable, 1000 to 60000")
    }

    public enum Session {
        public static let idleTimeout = ConfigurationKey(
            "session", "idle_timeout_ms", .milliseconds,
            default: String(ConfigurationKeys.kiosk.sessionIdleTimeout.milliseconds),
            "a session with nothing happening this long closes, 5000 to 3600000")
    }

    public enum Lids {
        public static let stuckTimeout = ConfigurationKey(
            "lids", "stuck_timeout_ms", .milliseconds,
            default: String(ConfigurationKeys.kiosk.lidStuckTimeout.milliseconds),
            "a lid open this long is the lid_stuck_open fault, 10000 to 3600000")
    }

    public enum Caps {
        public static let dailyCredit = ConfigurationKey(
            "caps", "daily_credit", .integer, default: "no cap",
            "the most a household is credited per local day, in minor units")
        public static let dailyGrams = ConfigurationKey(
            "caps", "daily_grams", .integer, default: "no cap",
            "the most grams a household is credited for per local day")
    }

    public enum Paths {
        public static let stateDirectory = ConfigurationKey(
            "paths", "state_dir", .path, default: "/var/lib/mizan",
            "the ledger, the calibration, the instance lock, the simulator's GPIO socket")
        public static let controlSocket = ConfigurationKey(
            "paths", "control_socket", .path, default: "/run/mizan/control.sock",
            "the control socket (mizanctl, mizan-web)")
    }

    public enum HTTP {
        public static let enabled = ConfigurationKey(
            "http", "enabled", .boolean, default: "false", "mizan-web serves the cooperatives' HTTP service")
        public static let bind = ConfigurationKey(
            "http", "bind", .text, default: "127.0.0.1",
            "the address mizan-web listens on (0.0.0.0 for the village LAN)")
        public static let port = ConfigurationKey("http", "port", .integer, default: "8080", "its port, 1 to 65535")
    }

    public enum Screen {
        public static let enabled = ConfigurationKey(
            "screen", "enabled", .boolean, default: "true", "mizan-web serves the household screen on 127.0.0.1")
        public static let port = ConfigurationKey(
            "screen", "port", .integer, default: "8090", "its port on 127.0.0.1 only, 1 to 65535")
        public static let language = ConfigurationKey(
            "screen", "language", .choice, default: "ar", "ar (households) or en; the page offers the other")
        public static let digits = ConfigurationKey(
            "screen", "digits", .choice, default: "arabic_indic",
            "arabic_indic (٠١٢٣) or western (0123): how numbers are written, whatever the browser's locale")
        public static let voiceDirectory = ConfigurationKey(
            "screen", "voice_dir", .path, default: "none",
            "recorded prompts (welcome.ogg, credited.ogg, …; see the technician's guide)")
        public static let fontDirectory = ConfigurationKey(
            "screen", "font_dir", .path, default: "/usr/share/fonts/truetype/noto",
            "Noto Sans Arabic and Noto Sans (Debian's fonts-noto-core), served to the page")
    }

    public enum Hub {
        public static let url = ConfigurationKey(
            "hub", "url", .text, default: "none (no replication)",
            "the municipality's hub, http(s)://HOST:PORT/; mizan-web pushes the ledger's journal links there")
        public static let keyFile = ConfigurationKey(
            "hub", "key_file", .path, default: "/etc/mizan/hub.key",
            "the kiosk's key from `mizan-hub enrol` (readable by the mizan user only)")
        public static let batch = ConfigurationKey(
            "hub", "batch", .integer, default: "500", "links per push, 1 to 2000")
    }

    /// Every key, in the order of the reference.
    public static let all: [ConfigurationKey] = [
        Kiosk.id, Kiosk.timeZone,
        Currency.code, Currency.nameArabic, Currency.nameEnglish, Currency.minorUnitExponent,
        Materials.id, Materials.nameArabic, Materials.nameEnglish,
        GPIO.backend,
        Scale.driver, Scale.divisionGrams, Scale.capacityGrams, Scale.stabilityWindow, Scale.motionBand,
        Scale.zeroTracking,
        Scale.sensorSilence, Scale.startupZeroRange, Scale.zeroRange, Scale.overloadMargin, Scale.underloadLimit,
        Serial.device(SerialScale.section), Serial.baud(SerialScale.section), Serial.dataBits(SerialScale.section),
        Serial.parity(SerialScale.section), Serial.stopBits(SerialScale.section), SerialScale.protocol,
        SerialScale.pollInterval,
        HX711.data, HX711.clock, HX711.gain, HX711.samplesPerSecond, HX711.realtimePriority,
        Calibration.emptyCounts, Calibration.loadedCounts, Calibration.referenceGrams,
        Bins.id, Bins.material, Bins.line, Bins.openWhen, Bins.debounce,
        CardReader.driver, CardReader.presenceGap, Serial.device(CardReader.section), Serial.baud(CardReader.section),
        Serial.dataBits(CardReader.section), Serial.parity(CardReader.section), Serial.stopBits(CardReader.section),
        CardReader.d0, CardReader.d1,
        Outputs.green, Outputs.red, Outputs.buzzer, Outputs.activeLow,
        Deposit.minimumDivisions, Deposit.maximumGrams, Deposit.settleTimeout,
        Session.idleTimeout, Lids.stuckTimeout, Caps.dailyCredit, Caps.dailyGrams,
        Paths.stateDirectory, Paths.controlSocket,
        HTTP.enabled, HTTP.bind, HTTP.port,
        Screen.enabled, Screen.port, Screen.language, Screen.digits, Screen.voiceDirectory, Screen.fontDirectory,
        Hub.url, Hub.keyFile, Hub.batch,
    ]
}
