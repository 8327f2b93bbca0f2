public import MizanCore
public import MizanHardware

/// The daemon's whole configuration, resolved and validated: what
/// `mizand --check-config` prints and what the daemon runs on.
public struct DaemonConfiguration: Sendable {
    public enum Scale: Sendable, Hashable {
        case serial(SerialScaleConfiguration)
        case hx711(HX711Configuration, Calibration)
    }

    public enum CardReader: Sendable, Hashable {
        case rdm6300(SerialConfiguration)
        case wiegand(d0: GPIOLineAddress, d1: GPIOLineAddress)
    }

    public enum GPIOBackend: String, Sendable, Hashable {
        /// Real lines through libgpiod.
        case libgpiod
        /// Lines driven by the simulator (for tests and the demo).
        case simulated
    }

    public struct Outputs: Sendable, Hashable {
        public var green: GPIOLineAddress
        public var red: GPIOLineAddress
        public var buzzer: GPIOLineAddress
        public var activeLow: Bool
    }

    public struct Paths: Sendable, Hashable {
        public var stateDirectory: String
        public var controlSocket: String

        public var ledger: String { stateDirectory + "/ledger.sqlite" }
    }

    public var kiosk: ValidatedKioskConfiguration
    public var timeZone: String
    public var scale: Scale
    public var bins: [BinSensorConfiguration]
    public var cardReader: CardReader
    public var outputs: Outputs
    public var gpioBackend: GPIOBackend
    public var paths: Paths
    /// The cooperatives' HTTP service; nil when off (the default).
    public var http: HTTP?

    public struct HTTP: Sendable, Hashable {
        public var bind: String
        public var port: Int
    }

    /// Replication to the municipality's hub (mizan-web pushes); nil when off.
    public var hub: Hub?

    public struct Hub: Sendable, Hashable {
        public var url: String
        public var keyFile = "/etc/mizan/hub.key"
        public var batch = 500
    }

    /// The household screen, served by mizan-web on 127.0.0.1; nil when off.
    public var screen: Screen? = Screen()

    public struct Screen: Sendable, Hashable {
        public var port = 8090
        /// `ar` or `en`.
        public var language = "ar"
        /// `arabic_indic` or `western`.
        public var digits = "arabic_indic"
        public var voiceDirectory: String?
        public var fontDirectory = "/usr/share/fonts/truetype/noto"

        /// What the configuration gives when the section is absent.
        public init() {}
    }

    /// The resolved configuration in plain lines, one driver per line.
    public var summary: [String] {
        var lines = [
            "kiosk \(kiosk.kioskID), time zone \(timeZone), currency \(kiosk.source.currency.code) (\(kiosk.source.currency.nameEnglish))"
        ]
        switch scale {
        case let .serial(serial): lines.append("scale: \(serial)")
        case let .hx711(hx711, calibration):
            lines.append(
                "scale: \(hx711), calibration \(calibration.zeroCounts) counts at zero, \(calibration.spanCounts) counts per \(calibration.referenceMilligrams / 1000) g"
            )
        }
        let weighing = kiosk.source.weighing
        let tracking =
            switch scale {
            case .serial: "left to the indicator (its own AZT: it rounds to e before sending)"
            case .hx711: weighing.zeroTrackingEnabled ? "on" : "off"
            }
        lines.append(
            "weighing: e = \(weighing.divisionGrams) g, Max = \(weighing.capacityGrams) g, stability \(weighing.stabilityWindow.milliseconds) ms within \(weighing.motionBandGrams) g, zero-tracking \(tracking)"
        )
        lines.append(
            "deposits: minimum \(kiosk.minimumDeposit.value) g, maximum \(kiosk.source.maximumDepositGrams) g, settle \(kiosk.source.settleTimeout.milliseconds) ms; session idle \(kiosk.source.sessionIdleTimeout.milliseconds) ms; stuck lid \(kiosk.source.lidStuckTimeout.milliseconds) ms"
        )
        let caps = kiosk.source.caps
        lines.append(
            "daily caps: credit \(caps.creditMinorUnits.map(String.init) ?? "none"), grams \(caps.grams.map(String.init) ?? "none")"
        )
        for bin in bins {
            let material = kiosk.binMaterials[bin.bin].flatMap { kiosk.materialsByID[$0] }
            lines.append("\(bin) → \(material.map { "\($0.nameEnglish) (\($0.nameArabic))" } ?? "?")")
        }
        switch cardReader {
        case let .rdm6300(serial):
            lines.append(
                "card reader: RDM6300 on \(serial), one tap per presence (gap \(kiosk.source.cardPresenceGap.milliseconds) ms)"
            )
        case let .wiegand(d0, d1): lines.append("card reader: Wiegand D0 \(d0), D1 \(d1)")
        }
        lines.append(
            "outputs: green \(outputs.green), red \(outputs.red), buzzer \(outputs.buzzer)\(outputs.activeLow ? ", active low" : "")"
        )
        lines.append("GPIO backend: \(gpioBackend.rawValue)")
        lines.append("state: \(paths.ledger); control socket \(paths.controlSocket)")
        lines.append(
            http.map { "cooperatives' HTTP service on \($0.bind):\($0.port)" } ?? "cooperatives' HTTP service: off")
        if let screen {
            let voice = screen.voiceDirectory ?? "none"
            lines.append(
                "household screen on 127.0.0.1:\(screen.port), \(screen.language), \(screen.digits) digits, voice prompts \(voice)"
            )
        } else {
            lines.append("household screen: off")
        }
        if let hub {
            lines.append("hub: \(hub.url), key \(hub.keyFile), \(hub.batch) links per push")
        } else {
            lines.append("hub: none (no replication)")
        }
        return lines
    }
}
