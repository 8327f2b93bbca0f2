import Foundation
import MizanControl
import Glibc
import MizanPOSIX
import MizanDaemon
import MizanHardware
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// The control socket against peers that do not play fair, and under the
/// shipped unit's own /proc restrictions.
@Suite("mizand's control socket under hostile clients", .serialized)
struct LiveControlSocketTests {
    static let nobody: UInt32 = 65_534

    /// The groups the unit's sysusers.d creates, made here when missing.
    static func group(_ name: String) throws -> UInt32 {
        if let gid = PeerCredentials.groupID(named: name) { return gid }
        let added = try LiveDaemonTests.run("/usr/sbin/groupadd", ["--system", name])
        try #require(added.status == 0, "groupadd \(name): \(added.output)")
        return try #require(PeerCredentials.groupID(named: name))
    }

    /// Runs `mizanctl` as `nobody` with the given supplementary groups.
    static func mizanctl(groups: [UInt32], _ arguments: [String]) throws -> (status: Int32, output: String) {
        try LiveDaemonTests.run(
            "/usr/bin/setpriv",
            [
                "--reuid=\(nobody)", "--regid=\(nobody)", "--groups=" + groups.map(String.init).joined(separator: ","),
                LiveDaemonTests.mizanctlPath,
            ] + arguments)
    }

    /// A running kiosk whose control socket anyone may connect to: the
    /// peer's credentials alone decide.
    static func startedKiosk(daemonPath: String) throws -> (LiveKiosk, String) {
        let kiosk = try LiveKiosk(daemonPath: daemonPath)
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
        let socket = kiosk.stateDirectory + "/control.sock"
        chmod(kiosk.stateDirectory, 0o755)
        chmod(socket, 0o666)
        return (kiosk, socket)
    }

    /// ProtectProc=invisible hid /proc/PID/status from the daemon, which
    /// read the peer's groups there: a mizan member "may not read the
    /// kiosk's status", a mizan-tech member "may not" act. Here the daemon
    /// runs without CAP_SYS_PTRACE and with /proc mounted hidepid=invisible
    /// in a mount namespace of its own, as under the unit.
    @Test func groupsComeFromTheSocketUnderTheUnitsHiddenProc() throws {
        let readers = try Self.group("mizan")
        let technicians = try Self.group("mizan-tech")
        let wrapperDirectory =
            FileManager.default.temporaryDirectory.path + "/mizan-hidepid-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: wrapperDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: wrapperDirectory) }
        let wrapper = wrapperDirectory + "/mizand-hidepid"
        try """
        #!/bin/sh
        exec /usr/bin/unshare --mount --propagation private -- /bin/sh -c \
          'mount -t proc -o hidepid=invisible proc /proc && exec /usr/bin/setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace "$0" "$@"' \
          '\(LiveDaemonTests.daemonPath)' "$@"
        """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let (kiosk, socket) = try Self.startedKiosk(daemonPath: wrapper)
        defer { kiosk.shutdown() }

        // The daemon's /proc is the hidden one.
        let pid = try #require(kiosk.daemonPID)
        let mounts = try String(contentsOfFile: "/proc/\(pid)/mounts", encoding: .utf8)
        #expect(
            mounts.split(separator: "\n").contains { $0.contains(" /proc proc ") && $0.contains("hidepid=invisible") },
            "\(mounts)")

        let status = try Self.mizanctl(groups: [readers], ["status", "--socket", socket, "--json"])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("\"in_service\""), "\(status.output)")
        let begin = try Self.mizanctl(groups: [technicians], ["service", "begin", "--socket", socket])
        #expect(begin.status == 0, "\(begin.output)")
        #expect(kiosk.waitForLog("OUT OF SERVICE: service_mode"), "\(kiosk.log)")
        let reader = try Self.mizanctl(groups: [readers], ["service", "end", "--socket", socket])
        #expect(reader.status == 2 && reader.output.contains("may not service_end"), "\(reader.output)")
        let end = try Self.mizanctl(groups: [technicians], ["service", "end", "--socket", socket])
        #expect(end.status == 0, "\(end.output)")
        #expect(kiosk.stopDaemon() == 0)

        // The refused action is in the journal and the audit log, with who.
        #expect(kiosk.log.contains("refused service_end from uid 65534"), "\(kiosk.log)")
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let actions = try ledger.auditLog(kind: .action).map(\.summary)
        #expect(actions.contains { $0.hasPrefix("refused service_end") }, "\(actions)")
        #expect(actions.contains("service_begin") && actions.contains("service_end"), "\(actions)")
    }

    /// Eight clients dripping a byte every 1.5 s, or eight watchers that
    /// never read, once held every slot for minutes.
    @Test func drippingAndNonReadingClientsAreDroppedAndATechnicianAlwaysGetsIn() throws {
        let readers = try Self.group("mizan")
        let (kiosk, socket) = try Self.startedKiosk(daemonPath: LiveDaemonTests.daemonPath)
        defer { kiosk.shutdown() }

        // Watchers of the mizan group hold every reader's slot.
        var watchers: [Process] = []
        defer { for watcher in watchers where watcher.isRunning { kill(watcher.processIdentifier, SIGKILL) } }
        for _ in 0..<ControlServer.maximumClients {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = [
                "--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--groups=\(readers)",
                LiveDaemonTests.mizanctlPath, "watch", "--events", "--json", "--socket", socket,
            ]
            process.standardOutput = Pipe()
            process.standardError = FileHandle.nullDevice
            try process.run()
            watchers.append(process)
        }
        kiosk.wait(seconds: 3)
        let ninth = try Self.mizanctl(groups: [readers], ["status", "--socket", socket])
        #expect(ninth.status == 2 && ninth.output.contains("too many control clients"), "\(ninth.output)")
        // A technician (root here) still gets in.
        let status = try ControlClient.send("status", to: socket)
        #expect(status.ok, "\(status)")
        for watcher in watchers {
            kill(watcher.processIdentifier, SIGKILL)
            watcher.waitUntilExit()
        }

        // Watchers that never read their stream are dropped.
        var silent: [Int32] = []
        defer { for client in silent { close(client) } }
        for _ in 0..<4 {
            let client = try UnixSocket.connect(to: socket)
            #expect(UnixSocket.send(Array("{\"command\":\"watch\"}\n".utf8), on: client))
            silent.append(client)
        }
        #expect(
            kiosk.waitForLog("it stopped reading its stream", occurrences: 4, timeout: .seconds(30)), "\(kiosk.log)")

        // Connections that drip their request a byte at a time.
        var drippers: [Int32] = []
        for _ in 0..<12 {
            drippers.append(try UnixSocket.connect(to: socket))
        }
        defer { for dripper in drippers { close(dripper) } }
        let started = MonotonicClock.now()
        var closedByServer = Set<Int32>()
        let request = Array("{\"command\":\"status\"}\n".utf8)
        var index = 0
        while closedByServer.count < drippers.count, MonotonicClock.now() - started < .seconds(8) {
            for dripper in drippers where !closedByServer.contains(dripper) {
                _ = UnixSocket.send([request[index % request.count]], on: dripper)
                var descriptor = pollfd(fd: dripper, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, 0) > 0 {
                    var buffer = [UInt8](repeating: 0, count: 512)
                    if read(dripper, &buffer, buffer.count) >= 0 { closedByServer.insert(dripper) }
                }
            }
            index += 1
            usleep(300_000)
        }
        #expect(
            closedByServer.count == drippers.count,
            "\(drippers.count - closedByServer.count) dripping clients still held")
        let after = try ControlClient.send("status", to: socket)
        #expect(after.status?.inService == true, "\(after)")
        #expect(kiosk.stopDaemon() == 0)
    }
}
