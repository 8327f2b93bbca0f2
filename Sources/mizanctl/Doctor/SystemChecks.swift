import Foundation
import Glibc
import MizanCore
import MizanConfiguration
import MizanDaemon
import MizanHardware
import MizanLedger

/// Checks on the machine and the files, without the daemon.
enum SystemChecks {
    static func configuration(path: String) -> (DoctorCheck, DaemonConfiguration?) {
        do {
            let configuration = try ConfigurationLoader.load(path: path)
            return (.ok("configuration", "\(path) is valid (kiosk \(configuration.kiosk.kioskID))"), configuration)
        } catch {
            return (
                .failure(
                    "configuration", "\(error)",
                    fix: "Correct the key named above; mizand --check-config --config \(path) shows every problem."),
                nil
            )
        }
    }

    /// The serial devices and GPIO chips the configuration names: present,
    /// character devices, and openable by this user.
    static func devices(_ configuration: DaemonConfiguration, daemonUser: String = "mizan") -> DoctorCheck {
        var paths: [(String, String)] = []
        if case let .serial(scale) = configuration.scale { paths.append(("scale", scale.serial.path)) }
        if case let .rdm6300(reader) = configuration.cardReader { paths.append(("card reader", reader.path)) }
        var notes: [String] = []
        var problems: [(String, String)] = []
        for (what, path) in paths {
            switch device(path, daemonUser: daemonUser) {
            case let .success(note): notes.append("\(what) \(path) \(note)")
            case let .failure(problem): problems.append(("\(what) \(path): \(problem.text)", problem.fix))
            }
        }
        if configuration.gpioBackend == .libgpiod {
            let chips = ((try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []).filter {
                $0.hasPrefix("gpiochip")
            }.sorted()
            if chips.isEmpty {
                var users: [String] = []
                if case .hx711 = configuration.scale { users.append("the scale's HX711") }
                if case .wiegand = configuration.cardReader { users.append("the Wiegand card reader") }
                users.append("lids, lights and buzzer")
                problems.append(
                    (
                        "no /dev/gpiochip* (\(users.joined(separator: ", ")))",
                        "This kernel has no GPIO character device: on a Raspberry Pi it is always there; elsewhere load the GPIO driver."
                    ))
            } else {
                notes.append("GPIO \(chips.joined(separator: ", "))")
            }
        } else {
            notes.append("GPIO simulated (\(configuration.paths.stateDirectory)/gpio.sock)")
        }
        if let (text, fix) = problems.first {
            return .failure("devices", ([text] + problems.dropFirst().map(\.0)).joined(separator: "; "), fix: fix)
        }
        return .ok("devices", notes.joined(separator: "; "))
    }

    /// The household screen's fonts and voice prompts, as mizan-web will
    /// serve them: without the fonts the page falls back to whatever the
    /// browser has, which may draw Arabic badly or not at all.
    static func screen(_ screen: DaemonConfiguration.Screen, fonts: [String]) -> DoctorCheck {
        let missing = fonts.filter { !FileManager.default.isReadableFile(atPath: screen.fontDirectory + "/" + $0) }
        guard missing.isEmpty else {
            return .failure(
                "screen", "fonts missing from \(screen.fontDirectory): \(missing.joined(separator: ", "))",
                fix: "sudo apt-get install fonts-noto-core (or point screen: font_dir: at where the fonts are).")
        }
        var detail = "127.0.0.1:\(screen.port), \(screen.language), \(screen.digits) digits, fonts present"
        if let voice = screen.voiceDirectory {
            let prompts = ((try? FileManager.default.contentsOfDirectory(atPath: voice)) ?? []).filter {
                $0.hasSuffix(".ogg")
            }
            guard !prompts.isEmpty else {
                return .warning(
                    "screen", "\(detail); no voice prompts in \(voice)",
                    fix:
                        "Put the recorded prompts there (file names in the technician's guide), then restart mizan-web."
                )
            }
            detail += ", \(prompts.count) voice prompts"
        }
        return .ok("screen", detail)
    }

    struct DeviceProblem: Error {
        let text: String
        let fix: String
    }

    static func device(_ path: String, daemonUser: String) -> Result<String, DeviceProblem> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(
                DeviceProblem(
                    text: "missing",
                    fix:
                        "Plug the adapter in; `ls -l /dev/serial/by-id/` shows its stable name, which belongs in the configuration."
                ))
        }
        guard info.st_mode & S_IFMT == S_IFCHR else {
            return .failure(
                DeviceProblem(
                    text: "not a character device",
                    fix: "Point the configuration at the device node, e.g. /dev/serial/by-id/…"))
        }
        let descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK)
        let openError = errno
        if descriptor >= 0 { close(descriptor) }
        // Busy is fine: the daemon has it open.
        if descriptor < 0, openError != EBUSY {
            if openError == EACCES {
                return .failure(
                    DeviceProblem(
                        text: "permission denied for \(SystemUser.name(of: getuid()) ?? "uid \(getuid())")",
                        fix:
                            "Run doctor as root or as the daemon's user; the daemon needs the device's group (usually dialout)."
                    ))
            }
            return .failure(
                DeviceProblem(
                    text: "cannot be opened: \(String(cString: strerror(openError)))",
                    fix: "Replug the adapter; if it stays, the adapter or its driver is faulty."))
        }
        let group = groupName(info.st_gid)
        if let group, !userIsInGroup(daemonUser, group: info.st_gid) {
            return .failure(
                DeviceProblem(
                    text: "belongs to group \(group), which user \(daemonUser) is not in",
                    fix:
                        "Add the group to SupplementaryGroups= in mizand.service, or install the package's udev rule (/lib/udev/rules.d/60-mizan.rules, in the repository as systemd/60-mizan.rules)."
                ))
        }
        return .success("present\(group.map { " (group \($0))" } ?? "")")
    }

    static func groupName(_ gid: gid_t) -> String? {
        var entry = group()
        var found: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.gr_name else {
            return nil
        }
        return String(cString: name)
    }

    /// Whether `user` (when it exists) has `gid` among its groups; true when
    /// the user does not exist here (nothing to say then).
    static func userIsInGroup(_ user: String, group gid: gid_t) -> Bool {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 1024)
        guard getpwnam_r(user, &entry, &buffer, buffer.count, &found) == 0, found != nil else { return true }
        if entry.pw_gid == gid { return true }
        var groups = [gid_t](repeating: 0, count: 64)
        var count = Int32(groups.count)
        guard getgrouplist(user, entry.pw_gid, &groups, &count) >= 0 else { return true }
        return groups.prefix(Int(count)).contains(gid)
    }

    static func ledger(_ ledger: Ledger, quick: Bool) -> DoctorCheck {
        if quick { return .ok("ledger", "not verified (--quick)") }
        do {
            let report = try ledger.verify()
            guard report.ok else {
                let first = report.problems.first.map { "\($0)" } ?? "?"
                return .failure(
                    "ledger", "verification failed: \(first)",
                    fix:
                        "Stop and copy the ledger file before anything else, then call the maintainers: history may have been edited."
                )
            }
            return .ok(
                "ledger",
                "integrity ok, \(report.journalLinks) journal links and \(report.auditLinks) audit links verified")
        } catch {
            return .failure(
                "ledger", "\(error)",
                fix: "Check the state directory and the file's permissions; the daemon must be able to write it.")
        }
    }

    static func disk(free: Int64?) -> DoctorCheck {
        guard let free else {
            return .warning(
                "disk", "free space unknown", fix: "Check with df that the state directory's file system is mounted.")
        }
        let megabytes = free / 1_048_576
        if megabytes < 10 {
            return .failure(
                "disk", "\(megabytes) MB free",
                fix:
                    "Free space now: the kiosk stops crediting when the ledger cannot write (old logs: journalctl --vacuum-size=50M)."
            )
        }
        if megabytes < 100 {
            return .warning(
                "disk", "\(megabytes) MB free",
                fix: "Free some space soon (journalctl --vacuum-size=50M), or move old exports off the card.")
        }
        return .ok("disk", "\(megabytes) MB free")
    }

    static func clock(synchronized: Bool?, now: Int64, lastRecorded: Int64?) -> DoctorCheck {
        if let lastRecorded, now + 60_000 < lastRecorded {
            let behind = (lastRecorded - now) / 1000
            return .failure(
                "clock", "\(behind) s behind the ledger's last record",
                fix:
                    "Set the time (timedatectl) or restore network time; until then records keep the ledger's order and are flagged."
            )
        }
        switch synchronized {
        case true?: return .ok("clock", "synchronised")
        case false?:
            return .warning(
                "clock", "not synchronised",
                fix:
                    "Enable network time (timedatectl set-ntp true); records made meanwhile are flagged as unsynchronised."
            )
        case nil: return .warning("clock", "synchronisation unknown", fix: "Check timedatectl.")
        }
    }

    static func lastDeposit(_ lastDeposit: Int64?, now: Int64) -> DoctorCheck {
        guard let lastDeposit else { return .ok("last deposit", "none yet") }
        let seconds = max(0, (now - lastDeposit) / 1000)
        let detail =
            "\(LiveChecks.duration(seconds).dropFirst(4)) ago (\(WallClockTime(millisecondsSinceEpoch: lastDeposit).iso8601))"
        if seconds > 7 * 86_400 {
            return .warning(
                "last deposit", detail,
                fix:
                    "Nobody has deposited for a week: ask the cooperative whether the kiosk is in use, and tap a card to test it."
            )
        }
        return .ok("last deposit", detail)
    }

    static func calibration(_ configuration: DaemonConfiguration?, audit: [AuditRecord], now: Int64) -> DoctorCheck? {
        guard case .hx711 = configuration?.scale else { return nil }
        guard let last = audit.last else {
            return .warning(
                "calibration", "only the configuration's calibration, never calibrated on this kiosk",
                fix: "Calibrate with a known mass: mizanctl calibrate.")
        }
        let days = (now - last.recordedAt) / 86_400_000
        if days > 365 {
            return .warning(
                "calibration", "last calibrated \(days) days ago by \(last.actor)",
                fix: "Recalibrate once a year at least: mizanctl calibrate.")
        }
        return .ok("calibration", "last calibrated \(days) days ago by \(last.actor)")
    }
}
