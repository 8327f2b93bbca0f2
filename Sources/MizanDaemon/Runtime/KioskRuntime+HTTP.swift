import MizanHTTP

/// The cooperatives' HTTP service, when the configuration turns it on: its
/// own read-only ledger connection, the kiosk's status for the health
/// endpoint, each pull in the log with the cooperative's name.
extension KioskRuntime {
    func startCooperativeService() {
        guard let http = configuration.http else { return }
        let status = statusSnapshot
        do {
            let server = try CooperativeServer(
                ledgerPath: configuration.paths.ledger, settings: .init(host: http.bind, port: http.port),
                health: { status.value },
                log: { text, fields in DaemonLog.write(.info, text, fields) }
            )
            let port = try server.start()
            cooperativeServer = server
            DaemonLog.write(.info, "cooperatives' HTTP service on \(http.bind):\(port)")
        } catch {
            // The kiosk keeps crediting; only the cooperatives' pulls are missing.
            DaemonLog.write(.error, "cooperatives' HTTP service: \(error) — the kiosk runs without it")
        }
    }
}
