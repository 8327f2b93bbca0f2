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
            throw DaemonConfigurationError(problems: [YAMLError(file: path, line: nil, key: "", message: "cannot read the file: \(error.localizedDescription)")])
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
    private static func read(_ root: StrictMapping, file: String, collector: YAMLProblems, problems: inout [YAMLError]) -> DaemonConfiguration? {
        var kiosk = KioskConfiguration()
        func issue(_ key: String, _ message: String) {
            problems.append(YAMLError(file: file, line: nil, key: key, message: message))
        }

        var timeZone = LocalCalendar.defaultIdentifier
        collector.collect {
            if let section = try root.mapping("kiosk") {
                kiosk.kioskID = try section.string("id") ?? kiosk.kioskID
                timeZone = try section.string("time_zone") ?? timeZone
                try section.finish()
            }
        }
        if LocalCalendar(identifier: timeZone) == nil { issue("kiosk.time_zone", "unknown time zone \"\(timeZone)\" (e.g. Asia/Hebron)") }

        collector.collect {
            if let section = try root.mapping("currency") {
                kiosk.currency = Currency(
                    code: try section.string("code") ?? kiosk.currency.code,
                    nameArabic: try section.string("name_ar") ?? kiosk.currency.nameArabic,
                    nameEnglish: try section.string("name_en") ?? kiosk.currency.nameEnglish,
                    minorUnitExponent: Int(try section.integer("minor_unit_exponent") ?? Int64(kiosk.currency.minorUnitExponent))
                )
                try section.finish()
            }
        }

        collector.collect {
            if let list = try root.sequence("materials") {
                kiosk.materials = try list.enumerated().compactMap { index, node in
                    guard let entry = try root.entry(node, path: "materials[\(index)]") else { return nil }
                    let material = Material(
                        id: MaterialID(rawValue: try entry.requiredString("id")),
                        nameArabic: try entry.requiredString("name_ar"),
                        nameEnglish: try entry.requiredString("name_en")
                    )
                    try entry.finish()
                    return material
                }
            }
        }

        var gpioBackend = DaemonConfiguration.GPIOBackend.libgpiod
        collector.collect {
            if let section = try root.mapping("gpio") {
                let backend = try section.string("backend") ?? "libgpiod"
                try section.finish()
                guard let parsed = DaemonConfiguration.GPIOBackend(rawValue: backend) else {
                    throw section.error("backend", "must be libgpiod or simulated, got \"\(backend)\"")
                }
                gpioBackend = parsed
            }
        }

        let scale: DaemonConfiguration.Scale? = collector.collect {
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
                let id = BinID(rawValue: try entry.requiredString("id"))
                let material = MaterialID(rawValue: try entry.string("material") ?? id.rawValue)
                let lineText = try entry.requiredString("line")
                let openWhen = try entry.string("open_when") ?? "low"
                let debounce = try entry.milliseconds("debounce_ms") ?? BinSensorConfiguration.defaultDebounce
                try entry.finish()
                guard let line = GPIOLineAddress(lineText) else {
                    try entry.fail(entry.error("line", "must be CHIP:OFFSET (e.g. gpiochip0:17) or name:LINE_NAME, got \"\(lineText)\""))
                    continue
                }
                guard openWhen == "low" || openWhen == "high" else {
                    try entry.fail(entry.error("open_when", "must be low or high, got \"\(openWhen)\""))
                    continue
                }
                let sensor = BinSensorConfiguration(
                    bin: id, line: line, openWhenLow: openWhen == "low", bias: openWhen == "low" ? .pullUp : .pullDown,
                    debounce: debounce
                )
                problems += sensor.issues(keyPrefix: "bins[\(index)]").map { YAMLError(file: file, line: entry.line, key: $0.key, message: $0.message) }
                kiosk.bins.append(BinConfiguration(id: id, material: material))
                bins.append(sensor)
            }
        }

        let cardReader: DaemonConfiguration.CardReader? = collector.collect {
            guard let cardSection = try root.mapping("card_reader") else { throw root.error("card_reader", "is required") }
            return try CardReaderSection.read(cardSection, presenceGap: &kiosk.cardPresenceGap, problems: &problems)
        } ?? nil

        let outputs: DaemonConfiguration.Outputs? = collector.collect {
            guard let outputSection = try root.mapping("outputs") else { throw root.error("outputs", "is required") }
            func line(_ key: String) throws -> GPIOLineAddress? {
                let text = try outputSection.requiredString(key)
                guard let address = GPIOLineAddress(text) else {
                    if !text.isEmpty { try outputSection.fail(outputSection.error(key, "must be CHIP:OFFSET or name:LINE_NAME, got \"\(text)\"")) }
                    return nil
                }
                return address
            }
            let green = try line("green"), red = try line("red"), buzzer = try line("buzzer")
            let activeLow = try outputSection.bool("active_low") ?? false
            try outputSection.finish()
            guard let green, let red, let buzzer else { return nil }
            return DaemonConfiguration.Outputs(green: green, red: red, buzzer: buzzer, activeLow: activeLow)
        } ?? nil

        collector.collect {
            if let section = try root.mapping("deposit") {
                kiosk.minimumDepositDivisions = try section.integer("minimum_e") ?? kiosk.minimumDepositDivisions
                kiosk.maximumDepositGrams = try section.integer("maximum_g") ?? kiosk.maximumDepositGrams
                kiosk.settleTimeout = try section.milliseconds("settle_timeout_ms") ?? kiosk.settleTimeout
                try section.finish()
            }
            if let section = try root.mapping("session") {
                kiosk.sessionIdleTimeout = try section.milliseconds("idle_timeout_ms") ?? kiosk.sessionIdleTimeout
                try section.finish()
            }
            if let section = try root.mapping("lids") {
                kiosk.lidStuckTimeout = try section.milliseconds("stuck_timeout_ms") ?? kiosk.lidStuckTimeout
                try section.finish()
            }
            if let section = try root.mapping("caps") {
                kiosk.caps.creditMinorUnits = try section.integer("daily_credit")
                kiosk.caps.grams = try section.integer("daily_grams")
                try section.finish()
            }
        }
        var paths = DaemonConfiguration.Paths(stateDirectory: "/var/lib/mizan", controlSocket: "/run/mizan/control.sock")
        var http: DaemonConfiguration.HTTP?
        collector.collect {
            if let section = try root.mapping("paths") {
                paths.stateDirectory = try section.string("state_dir") ?? paths.stateDirectory
                paths.controlSocket = try section.string("control_socket") ?? paths.controlSocket
                try section.finish()
            }
            if let section = try root.mapping("http") {
                let enabled = try section.bool("enabled") ?? false
                let bind = try section.string("bind") ?? "127.0.0.1"
                let port = try section.integer("port") ?? 8080
                try section.finish()
                if !(1...65_535).contains(port) { issue("http.port", "must be between 1 and 65535, got \(port)") }
                if bind.isEmpty || bind.contains(" ") { issue("http.bind", "must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0, got \"\(bind)\"") }
                if enabled { http = .init(bind: bind, port: Int(port)) }
            }
        }
        for (key, path) in [("paths.state_dir", paths.stateDirectory), ("paths.control_socket", paths.controlSocket)] where !path.hasPrefix("/") {
            issue(key, "must be an absolute path, got \"\(path)\"")
        }
        collector.collect { try root.finish() }

        problems += kiosk.issues().map { YAMLError(file: file, line: nil, key: $0.key, message: $0.message) }
        if let outputs {
            let lines = bins.map(\.line) + [outputs.green, outputs.red, outputs.buzzer]
            if Set(lines).count != lines.count { issue("bins", "two inputs or outputs share one GPIO line") }
        }
        guard problems.isEmpty, collector.all.isEmpty, let scale, let cardReader, let outputs,
              let validated = try? kiosk.validated() else { return nil }
        return DaemonConfiguration(
            kiosk: validated, timeZone: timeZone, scale: scale, bins: bins, cardReader: cardReader,
            outputs: outputs, gpioBackend: gpioBackend, paths: paths, http: http
        )
    }
}
