import Foundation
import MizanCore
import MizanHardware
import MizanLedger
public import MizanYAML
import Yams

/// Every problem in a configuration file, each with the file, line (where
/// known) and key, found before anything opens a device.
public struct DaemonConfigurationError: Error, Sendable, CustomStringConvertible {
    public let problems: [YAMLError]

    public var description: String {
        "invalid configuration:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// Reads `mizan.yaml` into a `DaemonConfiguration`: typed values, unknown
/// keys refused, and every rule of the kiosk validated.
public enum ConfigurationLoader {
    public static func load(path: String) throws(DaemonConfigurationError) -> DaemonConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DaemonConfigurationError(problems: [
                YAMLError(
                    file: path, line: nil, key: "", message: "cannot read the file: \(error.localizedDescription)")
            ])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(DaemonConfigurationError) -> DaemonConfiguration {
        let collector = YAMLProblems()
        let root: StrictMapping
        do {
            root = try StrictMapping.document(text, file: file, collector: collector)
        } catch {
            throw DaemonConfigurationError(problems: [error])
        }
        var problems: [YAMLError] = []
        let configuration = read(root, file: file, collector: collector, problems: &problems)
        // Every problem of the file at once, in the order of its lines.
        let all = (collector.all + problems).enumerated().sorted { lhs, rhs in
            (lhs.element.line ?? Int.max, lhs.offset) < (rhs.element.line ?? Int.max, rhs.offset)
        }.map(\.element)
        guard all.isEmpty, let configuration else { throw DaemonConfigurationError(problems: all) }
        return configuration
    }

    /// Reads every section, each on its own: a problem in one (recorded in
    /// `collector` or `problems`) does not stop the others being checked.
    private static func read(
        _ root: StrictMapping, file: String, collector: YAMLProblems, problems: inout [YAMLError]
    ) -> DaemonConfiguration? {
        var kiosk = KioskConfiguration()
        func issue(_ key: String, _ message: String) {
            problems.append(YAMLError(file: file, line: nil, key: key, message: message))
        }

        var timeZone = LocalCalendar.defaultIdentifier
        collector.collect {
            if let section = try root.mapping("kiosk") {
                kiosk.kioskID = try section.string(ConfigurationKeys.Kiosk.id) ?? kiosk.kioskID
                timeZone = try section.string(ConfigurationKeys.Kiosk.timeZone) ?? timeZone
                try section.finish()
            }
        }
        if LocalCalendar(identifier: timeZone) == nil {
            issue(ConfigurationKeys.Kiosk.timeZone.path, "unknown time zone \"\(timeZone)\" (e.g. Asia/Hebron)")
        }

        collector.collect {
            if let section = try root.mapping("currency") {
                typealias Key = ConfigurationKeys.Currency
                kiosk.currency = Currency(
                    code: try section.string(Key.code) ?? kiosk.currency.code,
                    nameArabic: try section.string(Key.nameArabic) ?? kiosk.currency.nameArabic,
                    nameEnglish: try section.string(Key.nameEnglish) ?? kiosk.currency.nameEnglish,
                    minorUnitExponent: Int(
                        try section.integer(Key.minorUnitExponent) ?? Int64(kiosk.currency.minorUnitExponent))
                )
                try section.finish()
            }
        }

        collector.collect {
            if let list = try root.sequence("materials") {
                kiosk.materials = try list.enumerated().compactMap { index, node in
                    guard let entry = try root.entry(node, path: "materials[\(index)]") else { return nil }
                    let material = Material(
                        id: MaterialID(rawValue: try entry.requiredString(ConfigurationKeys.Materials.id)),
                        nameArabic: try entry.requiredString(ConfigurationKeys.Materials.nameArabic),
                        nameEnglish: try entry.requiredString(ConfigurationKeys.Materials.nameEnglish)
                    )
                    try entry.finish()
                    return material
                }
            }
        }

        var gpioBackend = DaemonConfiguration.GPIOBackend.libgpiod
        collector.collect {
            if let section = try root.mapping("gpio") {
                let backend = try section.string(ConfigurationKeys.GPIO.backend) ?? "libgpiod"
                try section.finish()
                guard let parsed = DaemonConfiguration.GPIOBackend(rawValue: backend) else {
                    throw section.error(
                        ConfigurationKeys.GPIO.backend, "must be libgpiod or simulated, got \"\(backend)\"")
                }
                gpioBackend = parsed
            }
        }

        let scale: DaemonConfiguration.Scale? =
            collector.collect {
                guard let scaleSection = try root.mapping("scale") else { throw root.error("scale", "is required") }
                return try ScaleSection.read(scaleSection, into: &kiosk.weighing, problems: &problems)
            } ?? nil

        var bins: [BinSensorConfiguration] = []
        collector.collect {
            guard let list = try root.sequence("bins") else {
                throw root.error("bins", "is required: one entry per bin with its lid sensor's line")
            }
            kiosk.bins = []
            for (index, node) in list.enumerated() {
                guard let entry = try root.entry(node, path: "bins[\(index)]") else { continue }
                typealias Key = ConfigurationKeys.Bins
                let id = BinID(rawValue: try entry.requiredString(Key.id))
                let material = MaterialID(rawValue: try entry.string(Key.material) ?? id.rawValue)
                let lineText = try entry.requiredString(Key.line)
                let openWhen = try entry.string(Key.openWhen) ?? "low"
                let debounce = try entry.milliseconds(Key.debounce) ?? BinSensorConfiguration.defaultDebounce
                try entry.finish()
                guard let line = GPIOLineAddress(lineText) else {
                    try entry.fail(
                        entry.error(
                            Key.line, "must be CHIP:OFFSET (e.g. gpiochip0:17) or name:LINE_NAME, got \"\(lineText)\""))
                    continue
                }
                guard openWhen == "low" || openWhen == "high" else {
                    try entry.fail(entry.error(Key.openWhen, "must be low or high, got \"\(openWhen)\""))
                    continue
                }
                let sensor = BinSensorConfiguration(
                    bin: id, line: line, openWhenLow: openWhen == "low", bias: openWhen == "low" ? .pullUp : .pullDown,
                    debounce: debounce
                )
                problems += sensor.issues(keyPrefix: "bins[\(index)]").map {
                    YAMLError(file: file, line: entry.line, key: $0.key, message: $0.message)
                }
                kiosk.bins.append(BinConfiguration(id: id, material: material))
                bins.append(sensor)
            }
        }

        let cardReader: DaemonConfiguration.CardReader? =
            collector.collect {
                guard let cardSection = try root.mapping("card_reader") else {
                    throw root.error("card_reader", "is required")
                }
                return try CardReaderSection.read(cardSection, presenceGap: &kiosk.cardPresenceGap, problems: &problems)
            } ?? nil

        let outputs: DaemonConfiguration.Outputs? =
            collector.collect {
                guard let outputSection = try root.mapping("outputs") else {
                    throw root.error("outputs", "is required")
                }
                func line(_ key: ConfigurationKey) throws -> GPIOLineAddress? {
                    let text = try outputSection.requiredString(key)
                    guard let address = GPIOLineAddress(text) else {
                        if !text.isEmpty {
                            try outputSection.fail(
                                outputSection.error(key, "must be CHIP:OFFSET or name:LINE_NAME, got \"\(text)\""))
                        }
                        return nil
                    }
                    return address
                }
                typealias Key = ConfigurationKeys.Outputs
                let green = try line(Key.green), red = try line(Key.red), buzzer = try line(Key.buzzer)
                let activeLow = try outputSection.bool(Key.activeLow) ?? false
                try outputSection.finish()
                guard let green, let red, let buzzer else { return nil }
                return DaemonConfiguration.Outputs(green: green, red: red, buzzer: buzzer, activeLow: activeLow)
            } ?? nil

        collector.collect { try KioskRulesSections.readRules(root, into: &kiosk) }
        var paths = DaemonConfiguration.Paths(
            stateDirectory: ConfigurationKeys.Paths.stateDirectory.defaultValue ?? "/var/lib/mizan",
            controlSocket: ConfigurationKeys.Paths.controlSocket.defaultValue ?? "/run/mizan/control.sock"
        )
        var http: DaemonConfiguration.HTTP?
        var screen: DaemonConfiguration.Screen? = DaemonConfiguration.Screen()
        var hub: DaemonConfiguration.Hub?
        collector.collect {
            if let section = try root.mapping("paths") {
                paths.stateDirectory =
                    try section.string(ConfigurationKeys.Paths.stateDirectory) ?? paths.stateDirectory
                paths.controlSocket = try section.string(ConfigurationKeys.Paths.controlSocket) ?? paths.controlSocket
                try section.finish()
            }
            if let section = try root.mapping("http") {
                typealias Key = ConfigurationKeys.HTTP
                let enabled = try section.bool(Key.enabled) ?? false
                let bind = try section.string(Key.bind) ?? "127.0.0.1"
                let port = try section.integer(Key.port) ?? 8080
                try section.finish()
                if !(1...65_535).contains(port) { issue(Key.port.path, "must be between 1 and 65535, got \(port)") }
                if bind.isEmpty || bind.contains(" ") {
                    issue(Key.bind.path, "must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0, got \"\(bind)\"")
                }
                if enabled { http = .init(bind: bind, port: Int(port)) }
            }
            if let section = try root.mapping("screen") {
                screen = try ScreenSection.read(section, issue: issue)
            }
            if let section = try root.mapping("hub") {
                typealias Key = ConfigurationKeys.Hub
                let url = try section.requiredString(Key.url)
                var settings = DaemonConfiguration.Hub(url: url)
                settings.keyFile = try section.string(Key.keyFile) ?? settings.keyFile
                let batch = try section.integer(Key.batch) ?? Int64(settings.batch)
                try section.finish()
                if !(url.hasPrefix("http://") || url.hasPrefix("https://")) || URLText.host(of: url) == nil {
                    issue(Key.url.path, "must be http://HOST:PORT/ or https://…, got \"\(url)\"")
                }
                if !settings.keyFile.hasPrefix("/") {
                    issue(Key.keyFile.path, "must be an absolute path, got \"\(settings.keyFile)\"")
                }
                if !(1...2_000).contains(batch) { issue(Key.batch.path, "must be between 1 and 2000, got \(batch)") }
                settings.batch = Int(clamping: batch)
                hub = settings
            }
        }
        for (key, path) in [
            (ConfigurationKeys.Paths.stateDirectory.path, paths.stateDirectory),
            (ConfigurationKeys.Paths.controlSocket.path, paths.controlSocket),
        ] where !path.hasPrefix("/") {
            issue(key, "must be an absolute path, got \"\(path)\"")
        }
        collector.collect { try root.finish() }

        problems += kiosk.issues().map { YAMLError(file: file, line: nil, key: $0.key, message: $0.message) }
        if let outputs {
            let lines = bins.map(\.line) + [outputs.green, outputs.red, outputs.buzzer]
            if Set(lines).count != lines.count { issue("bins", "two inputs or outputs share one GPIO line") }
        }
        guard problems.isEmpty, collector.all.isEmpty, let scale, let cardReader, let outputs,
            let validated = try? kiosk.validated()
        else { return nil }
        return DaemonConfiguration(
            kiosk: validated, timeZone: timeZone, scale: scale, bins: bins, cardReader: cardReader,
            outputs: outputs, gpioBackend: gpioBackend, paths: paths, http: http, hub: hub, screen: screen
        )
    }
}
