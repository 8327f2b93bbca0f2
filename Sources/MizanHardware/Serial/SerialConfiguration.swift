public import MizanCore

/// How to talk to one serial device. Prefer a stable name such as
/// `/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0` to
/// `/dev/ttyUSB0`, which changes with the order devices are plugged in.
public struct SerialConfiguration: Hashable, Sendable, CustomStringConvertible {
    public enum Parity: String, Hashable, Sendable {
        case none = "N"
        case even = "E"
        case odd = "O"
    }

    public var path: String
    public var baudRate: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int

    public init(path: String, baudRate: Int = 9600, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1) {
        self.path = path
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    public static let supportedBaudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]

    /// "/dev/ttyUSB0 9600 7E1": for logs and diagnostics.
    public var description: String { "\(path) \(baudRate) \(dataBits)\(parity.rawValue)\(stopBits)" }

    public func issues(keyPrefix: String) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if !path.hasPrefix("/") {
            issues.append(
                .init(
                    key: "\(keyPrefix).device",
                    message: "must be an absolute device path such as /dev/serial/by-id/…, got \"\(path)\""))
        }
        if !Self.supportedBaudRates.contains(baudRate) {
            issues.append(
                .init(
                    key: "\(keyPrefix).baud",
                    message:
                        "must be one of \(Self.supportedBaudRates.map(String.init).joined(separator: ", ")), got \(baudRate)"
                ))
        }
        if !(7...8).contains(dataBits) {
            issues.append(.init(key: "\(keyPrefix).data_bits", message: "must be 7 or 8, got \(dataBits)"))
        }
        if !(1...2).contains(stopBits) {
            issues.append(.init(key: "\(keyPrefix).stop_bits", message: "must be 1 or 2, got \(stopBits)"))
        }
        return issues
    }
}
