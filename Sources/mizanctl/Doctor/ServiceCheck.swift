import Foundation

/// What systemd knows about mizand: running, restarts, watchdog. Nil when
/// the machine does not run systemd (a container, a developer's shell).
enum ServiceCheck {
    static func run() -> DoctorCheck? {
        guard FileManager.default.fileExists(atPath: "/run/systemd/system"),
            let output = systemctl([
                "show", "mizand.service", "--property=LoadState,ActiveState,SubState,NRestarts,WatchdogUSec",
            ])
        else { return nil }
        return evaluate(output)
    }

    static func evaluate(_ output: String) -> DoctorCheck {
        var properties: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { properties[String(parts[0])] = String(parts[1]) }
        }
        if properties["LoadState"] == "not-found" {
            return .warning(
                "service", "mizand.service is not installed",
                fix:
                    "Install systemd/mizand.service (see the technician's guide) so that the kiosk starts at boot and is restarted if it hangs."
            )
        }
        let state = "\(properties["ActiveState"] ?? "?") (\(properties["SubState"] ?? "?"))"
        let watchdog = properties["WatchdogUSec"].flatMap { $0 == "0" || $0 == "infinity" ? nil : $0 }
        let restarts = Int(properties["NRestarts"] ?? "") ?? 0
        let detail =
            "\(state)\(watchdog.map { ", watchdog \($0)" } ?? ", no watchdog"), restarted \(restarts) times since boot"
        guard properties["ActiveState"] == "active" else {
            return .failure(
                "service", detail,
                fix: "Start it and read why it stopped: systemctl start mizand; journalctl -u mizand -b.")
        }
        if restarts > 0 {
            return .warning(
                "service", detail,
                fix:
                    "It was restarted (a crash or a hung loop caught by the watchdog): read why with journalctl -u mizand -b."
            )
        }
        return .ok("service", detail)
    }

    private static func systemctl(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemctl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
