import ArgumentParser
import Foundation
import MizanConfiguration
import MizanControl
import MizanCore
import MizanHTTP
import MizanLedger

/// The kiosk's network-facing process: the cooperatives' HTTP service. It
/// reads the ledger read-only and follows the daemon's status over the
/// control socket, so `mizand` itself never touches the network.
@main
struct MizanWeb: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mizan-web",
        abstract: "The Mizan kiosk's web process: the cooperatives' HTTP service.",
        discussion: """
            It reads the same configuration as mizand (the http: section, the ledger and the control socket),
            opens the ledger read-only, and follows mizand's status for the health endpoint; while mizand does
            not answer, the kiosk is reported out of service (mizand_unreachable).

            Exit codes: 0 stopped cleanly, 2 invalid configuration or the HTTP service is off in it,
            3 the ledger could not be opened, 5 the HTTP service could not listen.
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
        guard let http = configuration.http else {
            WebLog.write(
                "mizan-web: the HTTP service is off in \(config ?? "the embedded default") (http: enabled: false); nothing to serve"
            )
            throw ExitCode(2)
        }
        let follower = StatusFollower(socketPath: configuration.paths.controlSocket)
        follower.start()
        let server: CooperativeServer
        do {
            server = try openServer(configuration, http, follower)
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
        StopSignal.wait()
        server.stop()
        follower.stop()
        WebLog.write("mizan-web: stopped")
    }

    /// The ledger is mizand's to create: wait for it a while at start-up
    /// (both units start together), then give up with the reason.
    private func openServer(
        _ configuration: DaemonConfiguration, _ http: DaemonConfiguration.HTTP, _ follower: StatusFollower
    ) throws -> CooperativeServer {
        var waited = 0
        while true {
            let opened = Result { () throws(LedgerError) -> CooperativeServer in
                try CooperativeServer(
                    ledgerPath: configuration.paths.ledger, settings: .init(host: http.bind, port: http.port),
                    health: { follower.status },
                    clock: { WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) },
                    log: { text, fields in WebLog.write(text, fields) }
                )
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
