import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MizanHub
import ServiceLifecycle

/// The hub on the municipality's server (its commands grow with the hub).
@main
struct MizanHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mizan-hub",
        abstract: "The Mizan hub: every kiosk's ledger, replicated into PostgreSQL.",
        subcommands: [
            Serve.self, Migrate.self, Enrol.self, AddCooperative.self, AddCashier.self, RevokeCashier.self, SetPIN.self,
            Verify.self,
        ]
    )

    struct Database: ParsableArguments {
        @Option(help: "PostgreSQL's host.") var pgHost = "127.0.0.1"
        @Option(help: "PostgreSQL's port.") var pgPort = 5432
        @Option(help: "The role to connect as.") var pgUser = "mizan_hub"
        @Option(help: "The database.") var pgDatabase = "mizan"

        var connection: HubStore.Connection {
            HubStore.Connection(host: pgHost, port: pgPort, user: pgUser, database: pgDatabase)
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the kiosks' pushes (and the hub's pages) until SIGTERM.")
        @OptionGroup var database: Database
        @Option(help: "The address to listen on.") var listen = "127.0.0.1"
        @Option(help: "The port to listen on.") var port = 8470
        @Option(help: "A file holding the municipality's token for the reads (balances, totals, anomalies).")
        var municipalityTokenFile: String?
        @Option(help: "The most a household may be credited per local day across kiosks, in minor units.")
        var dailyCreditCap: Int64?
        @Option(help: "Two sessions of one card at two kiosks closer than this many minutes are flagged.")
        var walkingMinutes = 10

        func run() async throws {
            var logger = Logger(label: "mizan-hub")
            logger.logLevel = .notice
            let store = HubStore(database.connection, logger: logger)
            let (listen, port) = (listen, port)
            var token: String?
            if let municipalityTokenFile {
                do {
                    token = try String(contentsOfFile: municipalityTokenFile, encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                } catch {
                    throw ValidationError(
                        "the municipality's token cannot be read from \(municipalityTokenFile): \(error)")
                }
            }
            var rules = AnomalyRules()
            rules.dailyCreditCap = dailyCreditCap
            rules.walking = .seconds(walkingMinutes * 60)
            let application = Application(
                router: HubRoutes.router(store: store, municipalityToken: token, silence: rules.silence),
                configuration: .init(address: .hostname(listen, port: port), serverName: "mizan-hub"),
                services: [store.client, AnomalySweep(store: store, rules: rules, logger: logger)],
                onServerRunning: { channel in
                    print("mizan-hub: listening on \(listen):\(channel.localAddress?.port ?? port)")
                    fflush(nil)
                },
                logger: logger
            )
            try await application.runService()
            print("mizan-hub: stopped")
        }
    }

    /// Looks for the village's anomalies once a minute while the hub serves.
    struct AnomalySweep: Service {
        let store: HubStore
        let rules: AnomalyRules
        let logger: Logger

        func run() async throws {
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        let found = try await store.findAnomalies(rules)
                        if found > 0 { print("mizan-hub: \(found) new anomalies flagged (GET /api/v1/anomalies)") }
                    } catch {
                        print("mizan-hub: looking for anomalies: \(error)")
                    }
                    try? await Task.sleep(for: .seconds(60))
                }
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update the hub's schema and its login role (an administrator's connection).")
        @OptionGroup var database: Database

        func run() async throws {
            let store = HubStore(database.connection)
            try await store.whileRunning {
                let applied = try await store.migrate()
                print(
                    applied.isEmpty
                        ? "the schema is up to date" : applied.map { "applied: \($0)" }.joined(separator: "\n"))
            }
        }
    }

    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol a kiosk and print its key, once (the hub keeps only its SHA-256).")
        @OptionGroup var database: Database
        @Argument(help: "The kiosk's id, as in its configuration (kiosk: id:).") var kiosk: String
        @Option(help: "The kiosk's time zone, for its local days.") var timeZone = "Asia/Hebron"

        func run() async throws {
            let store = HubStore(database.connection)
            try await store.whileRunning {
                print(try await store.enrol(kiosk: kiosk, timeZone: timeZone))
            }
        }
    }
}
