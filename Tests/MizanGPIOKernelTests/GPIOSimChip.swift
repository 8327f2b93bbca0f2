import Foundation
import Glibc

/// A chip of the kernel's GPIO simulator (gpio-sim), made through configfs
/// for one test and removed after it. The test plays the world outside the
/// chip: it sets each line's pull (what a reed switch or a reader would
/// drive) and reads back the level the kernel drives on an output.
///
/// configfs: /sys/kernel/config/gpio-sim/DEVICE/bank0/{num_lines,label,lineN/name}, DEVICE/live
/// sysfs:    /sys/devices/platform/gpio-sim.N/gpiochipM/sim_gpioK/{pull,value}
final class GPIOSimChip {
    static let configfs = "/sys/kernel/config/gpio-sim"

    /// True inside the test VM, where the tier's init sets MIZAN_GPIO_SIM.
    static var inTestVM: Bool { ProcessInfo.processInfo.environment["MIZAN_GPIO_SIM"] == "1" }

    struct Failure: Error, CustomStringConvertible {
        let path: String
        let operation: String
        let errno: Int32
        var description: String {
            "gpio-sim: \(operation) \(path): \(String(cString: strerror(errno))) (errno \(errno))"
        }
    }

    let device: String
    let lineNames: [String?]
    private(set) var chipName = ""
    private(set) var platformDevice = ""

    /// Makes and brings up a chip whose lines have these names (nil: unnamed).
    init(_ name: String, lines: [String?], label: String? = nil) throws {
        device = Self.configfs + "/" + name
        lineNames = lines
        try Self.make(directory: device)
        try Self.make(directory: device + "/bank0")
        try Self.write("\(lines.count)", to: device + "/bank0/num_lines")
        try Self.write(label ?? name, to: device + "/bank0/label")
        for (offset, lineName) in lines.enumerated() {
            guard let lineName else { continue }
            try Self.make(directory: device + "/bank0/line\(offset)")
            try Self.write(lineName, to: device + "/bank0/line\(offset)/name")
        }
        try setLive(true)
    }

    deinit {
        try? setLive(false)
        for offset in lineNames.indices where lineNames[offset] != nil {
            rmdir(device + "/bank0/line\(offset)")
        }
        rmdir(device + "/bank0")
        rmdir(device)
    }

    /// Live: the platform device and its gpiochip exist. Not live: they are
    /// gone, as when a HAT's cable is pulled or its driver unbound.
    func setLive(_ live: Bool) throws {
        try Self.write(live ? "1" : "0", to: device + "/live")
        if live {
            chipName = try Self.read(device + "/bank0/chip_name")
            platformDevice = try Self.read(device + "/dev_name")
        }
    }

    func offset(of name: String) -> Int {
        lineNames.firstIndex(of: name) ?? -1
    }

    private func lineDirectory(_ offset: Int) -> String {
        "/sys/devices/platform/\(platformDevice)/\(chipName)/sim_gpio\(offset)"
    }

    /// Drives an input from outside: pull-up reads 1, pull-down reads 0.
    func pull(_ offset: Int, high: Bool) throws {
        try Self.write(high ? "pull-up" : "pull-down", to: lineDirectory(offset) + "/pull")
    }

    func pull(_ name: String, high: Bool) throws {
        try pull(offset(of: name), high: high)
    }

    /// The current pull, as the kernel keeps it (a consumer's bias changes it).
    func currentPull(_ offset: Int) throws -> String {
        try Self.read(lineDirectory(offset) + "/pull")
    }

    /// The physical level on the line: what an output drives, or an input's pull.
    func value(_ offset: Int) throws -> Bool {
        try Self.read(lineDirectory(offset) + "/value") == "1"
    }

    func value(_ name: String) throws -> Bool {
        try value(offset(of: name))
    }

    // MARK: Files

    static func make(directory path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw Failure(path: path, operation: "mkdir", errno: errno)
        }
    }

    static func write(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY)
        guard descriptor >= 0 else { throw Failure(path: path, operation: "open", errno: errno) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard Glibc.write(descriptor, bytes, bytes.count) == bytes.count else {
            throw Failure(path: path, operation: "write \"\(text)\" to", errno: errno)
        }
    }

    static func read(_ path: String) throws -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(path: path, operation: "open", errno: errno) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = Glibc.read(descriptor, &buffer, buffer.count)
        guard count >= 0 else { throw Failure(path: path, operation: "read", errno: errno) }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
