import MizanCore
import MizanHardware
import MizanYAML

/// The `scale:` section: the driver (serial indicator or HX711) and the
/// metrological settings.
enum ScaleSection {
    static let serialZeroTracking =
        "a serial indicator rounds to e before it sends, so the daemon's zero-tracking (within ±0.5 e) can never follow a creep: switch on the indicator's own automatic zero tracking (AZT) instead, and leave this key out"

    static func read(
        _ section: StrictMapping, into weighing: inout WeighingConfiguration, problems: inout [YAMLError]
    ) throws -> DaemonConfiguration.Scale {
        try KioskRulesSections.readMetrology(section, into: &weighing)
        let zeroTracking = try section.bool(ConfigurationKeys.Scale.zeroTracking)

        let driver = try section.requiredString(ConfigurationKeys.Scale.driver)
        let scale: DaemonConfiguration.Scale
        switch driver {
        case "serial":
            guard let serial = try section.mapping("serial") else {
                throw section.error("serial", "is required with driver: serial")
            }
            let configuration = try SerialSection.read(serial)
            let dialectName = try serial.string(ConfigurationKeys.SerialScale.protocol) ?? "continuous"
            let dialect: SerialScaleConfiguration.Dialect
            switch dialectName {
            case "continuous": dialect = .continuous
            case "mt-sics":
                dialect = .mtSICS(
                    pollInterval: try serial.milliseconds(ConfigurationKeys.SerialScale.pollInterval)
                        ?? .milliseconds(100))
            default:
                throw serial.error(
                    ConfigurationKeys.SerialScale.protocol, "must be continuous or mt-sics, got \"\(dialectName)\"")
            }
            try serial.finish()
            // A serial indicator sends its indication already rounded to e:
            // a creep shows as whole steps of e, never inside the ±0.5 e band
            // the daemon tracks within, so its tracking could never follow.
            // Zero-tracking is the indicator's own (AZT) here.
            if zeroTracking == true {
                try section.fail(section.error(ConfigurationKeys.Scale.zeroTracking, Self.serialZeroTracking))
            }
            weighing.zeroTrackingEnabled = false
            let scaleConfiguration = SerialScaleConfiguration(serial: configuration, dialect: dialect)
            problems += scaleConfiguration.issues(keyPrefix: serial.path).map {
                YAMLError(file: section.file, line: serial.line, key: $0.key, message: $0.message)
            }
            scale = .serial(scaleConfiguration)
        case "hx711":
            weighing.zeroTrackingEnabled = zeroTracking ?? weighing.zeroTrackingEnabled
            guard let hx711 = try section.mapping("hx711") else {
                throw section.error("hx711", "is required with driver: hx711")
            }
            func line(_ key: ConfigurationKey) throws -> GPIOLineAddress {
                let text = try hx711.requiredString(key)
                guard let address = GPIOLineAddress(text) else {
                    throw hx711.error(key, "must be CHIP:OFFSET or name:LINE_NAME, got \"\(text)\"")
                }
                return address
            }
            let gainName = try hx711.string(ConfigurationKeys.HX711.gain) ?? "a128"
            let gains: [String: HX711Gain] = ["a128": .channelA128, "b32": .channelB32, "a64": .channelA64]
            guard let gain = gains[gainName] else {
                throw hx711.error(ConfigurationKeys.HX711.gain, "must be a128, b32 or a64, got \"\(gainName)\"")
            }
            let priority: Int64 = try hx711.integer(ConfigurationKeys.HX711.realtimePriority) ?? 50
            guard (1...99).contains(priority) else {
                throw hx711.error(ConfigurationKeys.HX711.realtimePriority, "must be between 1 and 99, got \(priority)")
            }
            let configuration = HX711Configuration(
                data: try line(ConfigurationKeys.HX711.data), clock: try line(ConfigurationKeys.HX711.clock),
                gain: gain,
                samplesPerSecond: Int(try hx711.integer(ConfigurationKeys.HX711.samplesPerSecond) ?? 80),
                realtimePriority: Int32(clamping: priority)
            )
            try hx711.finish()
            problems += configuration.issues(keyPrefix: hx711.path).map {
                YAMLError(file: section.file, line: hx711.line, key: $0.key, message: $0.message)
            }
            guard let calibration = try section.mapping("calibration") else {
                throw section.error("calibration", "is required with driver: hx711 (run mizanctl calibrate)")
            }
            typealias Key = ConfigurationKeys.Calibration
            guard let empty = try calibration.integer(Key.emptyCounts) else {
                throw calibration.error(Key.emptyCounts, "is required")
            }
            guard let loaded = try calibration.integer(Key.loadedCounts) else {
                throw calibration.error(Key.loadedCounts, "is required")
            }
            guard let reference = try calibration.integer(Key.referenceGrams) else {
                throw calibration.error(Key.referenceGrams, "is required")
            }
            try calibration.finish()
            do {
                scale = .hx711(
                    configuration,
                    try Calibration(emptyCounts: empty, loadedCounts: loaded, referenceMass: Grams(reference)))
            } catch {
                throw calibration.error(ConfigurationKeys.Calibration.loadedCounts, error.description)
            }
        default:
            throw section.error(ConfigurationKeys.Scale.driver, "must be serial or hx711, got \"\(driver)\"")
        }
        try section.finish()
        return scale
    }
}

enum SerialSection {
    /// Reads device, baud, data_bits, parity and stop_bits; leaves the
    /// mapping open for the caller's own keys.
    static func read(_ section: StrictMapping) throws -> SerialConfiguration {
        typealias Key = ConfigurationKeys.Serial
        let parityName = try section.string(Key.parity(section.path)) ?? "none"
        let parities: [String: SerialConfiguration.Parity] = ["none": .none, "even": .even, "odd": .odd]
        guard let parity = parities[parityName] else {
            throw section.error(Key.parity(section.path), "must be none, even or odd, got \"\(parityName)\"")
        }
        return SerialConfiguration(
            path: try section.requiredString(Key.device(section.path)),
            baudRate: Int(try section.integer(Key.baud(section.path)) ?? 9600),
            dataBits: Int(try section.integer(Key.dataBits(section.path)) ?? 8),
            parity: parity,
            stopBits: Int(try section.integer(Key.stopBits(section.path)) ?? 1)
        )
    }
}

enum CardReaderSection {
    static func read(
        _ section: StrictMapping, presenceGap: inout Duration, problems: inout [YAMLError]
    ) throws -> DaemonConfiguration.CardReader {
        presenceGap = try section.milliseconds(ConfigurationKeys.CardReader.presenceGap) ?? presenceGap
        let driver = try section.requiredString(ConfigurationKeys.CardReader.driver)
        let reader: DaemonConfiguration.CardReader
        switch driver {
        case "rdm6300":
            let serial = try SerialSection.read(section)
            problems += serial.issues(keyPrefix: section.path).map {
                YAMLError(file: section.file, line: section.line, key: $0.key, message: $0.message)
            }
            reader = .rdm6300(serial)
        case "wiegand":
            func line(_ key: ConfigurationKey) throws -> GPIOLineAddress {
                let text = try section.requiredString(key)
                guard let address = GPIOLineAddress(text) else {
                    throw section.error(key, "must be CHIP:OFFSET or name:LINE_NAME, got \"\(text)\"")
                }
                return address
            }
            reader = .wiegand(
                d0: try line(ConfigurationKeys.CardReader.d0), d1: try line(ConfigurationKeys.CardReader.d1))
        default:
            throw section.error(ConfigurationKeys.CardReader.driver, "must be rdm6300 or wiegand, got \"\(driver)\"")
        }
        try section.finish()
        return reader
    }
}
