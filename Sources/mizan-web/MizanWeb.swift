import ArgumentParser
import Foundation
import MizanConfiguration
import MizanControl
import MizanCore
import MizanHTTP
import MizanLedger
import MizanPOSIX
import MizanReplication
import MizanScreen

/// The kiosk's network-facing process: the cooperatives' HTTP service. It
/// reads the ledger read-only and follows the daemon's status over the
/// control socket, so `mizand` itself never touches the network.
@main
struct MizanWeb: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mizan-web",
        abstract: "The Mizan kiosk's web process: the household screen and the cooperatives' HTTP service.",
        discussion: """
            It reads the same configuration as mizand (the screen: and http: sections, the ledger and the
            control socket), opens the ledger read-only, and follows mizand's status and events: the household
            screen (127.0.0.1 only) shows them live; the cooperatives' health endpoint reports the kiosk out of
            service (mizand_unreachable) while mizand does not answer.

            Exit codes: 0 stopped cleanly, 2 invalid configuration or both services off in it,
            3 the ledger could not be opened, 5 a service could not listen.
            """
    )

    @Option(help: "The configuration file (e.g. /etc/mizan/mizan.yaml); the embedded simulator default without it.")
    var config: String?

    @Option(help: "How long to wait for mizand to create the ledger, in seconds.")
    var ledgerWait: Int = 30

    func run() throws {
        let configuration: DaemonConfiguration
        do {
            configuration =
                if let config {
                    try ConfigurationLoader.load(path: config)
                } else {
                    try ConfigurationLoader.parse(EmbeddedDefault.yaml, file: "(embedded default)")
                }
        } catch {
            WebLog.write("mizan-web: \(error.description)")
            throw ExitCode(2)
        }
        guard configuration.http != nil || configuration.screen != nil || configuration.hub != nil else {
            WebLog.write(
                "mizan-web: the household screen and the HTTP service are off in \(config ?? "the embedded default") (screen: enabled: false, http: enabled: false), and there is no hub: nothing to do"
            )
            throw ExitCode(2)
        }
        let follower = StatusFollower(socketPath: configuration.paths.controlSocket)
        follower.start()
        let ledger: Ledger
        do {
            ledger = try openLedger(configuration)
        } catch {
            WebLog.write("mizan-web: \(error)")
            throw ExitCode(3)
        }
        var stops: [() -> Void] = []
        if let screen = configuration.screen {
            stops.append(try startScreen(screen, configuration, ledger, follower))
        }
        if let http = configuration.http {
            stops.append(try startCooperatives(http, configuration, follower))
        }
        if let hub = configuration.hub {
            stops.append(try startPusher(hub, configuration, ledger))
        }
        // Type=notify: the kiosk browser's unit starts once the screen answers.
        SystemdNotifier().notify("READY=1")
        StopSignal.wait()
        for stop in stops { stop() }
        follower.stop()
        WebLog.write("mizan-web: stopped")
    }

    private func startScreen(
        _ screen: DaemonConfiguration.Screen, _ configuration: DaemonConfiguration, _ ledger: Ledger,
        _ follower: StatusFollower
    ) throws -> () -> Void {
        let kiosk = configuration.kiosk
        var binMaterials: [String: String] = [:]
        for (bin, material) in kiosk.binMaterials { binMaterials[bin.rawValue] = material.rawValue }
        var materials: [String: MaterialNames] = [:]
        for (id, material) in kiosk.materialsByID {
            materials[id.rawValue] = MaterialNames(arabic: material.nameArabic, english: material.nameEnglish)
        }
        let feed = ScreenFeed(
            socketPath: configuration.paths.controlSocket, follower: follower,
            screen: HouseholdScreen(book: try screenBook(configuration, ledger), binMaterials: binMaterials))
        var settings = ScreenServer.Settings(port: screen.port)
        settings.language = ScreenLanguage(rawValue: screen.language) ?? .arabic
        settings.digits = DigitSystem(rawValue: screen.digits) ?? .arabicIndic
        settings.voiceDirectory = screen.voiceDirectory
        settings.fontDirectory = screen.fontDirectory
        let server = ScreenServer(
            settings: settings, feed: feed, currency: kiosk.source.currency, materials: materials)
        if !server.missingFonts.isEmpty {
            WebLog.write(
                "mizan-web: the household screen's fonts are missing from \(screen.fontDirectory): \(server.missingFonts.joined(separator: ", ")) (install fonts-noto-core); the page will fall back to the browser's fonts"
            )
        }
        feed.start()
        let port: Int
        do {
            port = try server.start()
        } catch {
            WebLog.write("mizan-web: the household screen could not listen on 127.0.0.1:\(screen.port): \(error)")
            throw ExitCode(5)
        }
        WebLog.write(
            "mizan-web: household screen on http://127.0.0.1:\(port)/ (\(screen.language), \(screen.digits) digits, \(server.voices.count) voice prompts)"
        )
        return {
            feed.stop()
            server.stop()
        }
    }

    /// The hub's URL and this kiosk's key, or a clear message and exit 2.
    private func hubAddress(_ hub: DaemonConfiguration.Hub) throws -> (URL, String) {
        let key: String
        do {
            key = try String(contentsOfFile: hub.keyFile, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
        } catch {
            WebLog.write(
                "mizan-web: hub: the kiosk's key cannot be read from \(hub.keyFile): \(error.localizedDescription) (mizan-hub enrol prints it)"
            )
            throw ExitCode(2)
        }
        guard let url = URL(string: hub.url), !key.isEmpty else {
            WebLog.write("mizan-web: hub: \(key.isEmpty ? "\(hub.keyFile) is empty" : "\(hub.url) is not a URL")")
            throw ExitCode(2)
        }
        return (url, key)
    }

    /// What the screen reads: the ledger, and with a hub the village's balances.
    private func screenBook(_ configuration: DaemonConfiguration, _ ledger: Ledger) throws -> any ScreenBook {
        guard let hub = configuration.hub else { return ledger }
        let (url, key) = try hubAddress(hub)
        return VillageScreenBook(ledger: ledger, village: VillageBalances(url: url, key: key))
    }

    /// Replication: the ledger's journal links to the municipality's hub.
    private func startPusher(
        _ hub: DaemonConfiguration.Hub, _ configuration: DaemonConfiguration, _ ledger: Ledger
    ) throws -> () -> Void {
        let (url, key) = try hubAddress(hub)
        var settings = HubPusher.Settings(url: url, key: key)
        settings.batch = hub.batch
        let cursor = PushCursor(path: configuration.paths.stateDirectory + "/hub-cursor")
        let pusher = HubPusher(ledger: ledger, cursor: cursor, settings: settings) { WebLog.write("mizan-web: \($0)") }
        pusher.start()
        WebLog.write(
            "mizan-web: pushing the ledger's journal to the hub at \(hub.url) (from link \(cursor.load() + 1))")
        return { pusher.stop() }
    }

    private func startCooperatives(
        _ http: DaemonConfiguration.HTTP, _ configuration: DaemonConfiguration, _ follower: StatusFollower
    ) throws -> () -> Void {
        let server: CooperativeServer
        do {
            server = try CooperativeServer(
                ledgerPath: configuration.paths.ledger, settings: .init(host: http.bind, port: http.port),
                health: { follower.status },
                clock: { WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) },
                log: { text, fields in WebLog.write(text, fields) }
            )
        } catch {
            WebLog.write("mizan-web: \(error)")
            throw ExitCode(3)
        }
        let port: Int
        do {
            port = try server.start()
        } catch {
            WebLog.write(
                "mizan-web: the cooperatives' HTTP service could not listen on \(http.bind):\(http.port): \(error)")
            throw ExitCode(5)
        }
        WebLog.write(
            "mizan-web: cooperatives' HTTP service on \(http.bind):\(port), ledger \(configuration.paths.ledger) (read-only)"
        )
        return { server.stop() }
    }

    /// The ledger is mizand's to create: wait for it a while at start-up
    /// (the units start together), then give up with the reason.
    private func openLedger(_ configuration: DaemonConfiguration) throws(LedgerError) -> Ledger {
        var waited = 0
        while true {
            let opened = Result { () throws(LedgerError) -> Ledger in
                try Ledger.openExisting(path: configuration.paths.ledger, readOnly: true)
            }
            guard case let .failure(error) = opened, error.kind == .cannotOpen, waited < ledgerWait else {
                return try opened.get()
            }
            if waited == 0 { WebLog.write("mizan-web: waiting for mizand to create \(configuration.paths.ledger)") }
            Thread.sleep(forTimeInterval: 1)
            waited += 1
        }
    }
}
