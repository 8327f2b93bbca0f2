import Crypto
import Foundation
public import Logging
import MizanCore
import MizanLedger
public import PostgresNIO

/// The hub's database: kiosks, the links they push and the rows those
/// cover, anomalies. One `PostgresClient` (a pool); `run()` must be running
/// for queries to go through.
public final class HubStore: Sendable {
    public let client: PostgresClient
    let logger: Logger

    public struct Connection: Sendable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String?
        public var database: String

        public init(host: String, port: Int, user: String, password: String? = nil, database: String) {
            (self.host, self.port, self.user, self.password, self.database) = (host, port, user, password, database)
        }
    }

    public init(_ connection: Connection, logger: Logger = Logger(label: "mizan-hub")) {
        var configuration = PostgresClient.Configuration(
            host: connection.host, port: connection.port, username: connection.user, password: connection.password,
            database: connection.database, tls: .disable)
        configuration.options.maximumConnections = 8
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// The pool's work; returns when the task running it is cancelled.
    public func run() async {
        await client.run()
    }

    /// Applies the migrations not applied yet, in order, each in its own
    /// transaction; returns the names of those applied now.
    public func migrate() async throws -> [String] {
        try await client.query(
            "CREATE TABLE IF NOT EXISTS hub_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            logger: logger)
        var applied: Set<Int> = []
        for try await version in try await client.query("SELECT version FROM hub_migrations", logger: logger)
            .decode(Int.self)
        {
            applied.insert(version)
        }
        var done: [String] = []
        for migration in HubSchema.migrations where !applied.contains(migration.version) {
            let logger = logger
            try await client.withTransaction(logger: logger) { connection in
                for statement in Self.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO hub_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
            }
            done.append(migration.name)
        }
        return done
    }

    /// A migration's statements, split at the semicolons that end a line
    /// outside a dollar-quoted block.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inDollarBlock = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line + "\n"
            if line.contains("$$") { inDollarBlock.toggle() }
            if !inDollarBlock, line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                statements.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
        return statements
    }

    /// Enrols a kiosk and returns its key, shown once: the hub keeps only
    /// its SHA-256. Enrolling again replaces nothing (an error).
    public func enrol(kiosk: String, timeZone: String) async throws -> String {
        let key = SecretToken.make(prefix: "mzk_")
        let digest = Data(SHA256.hash(data: Data(key.utf8)))
        try await client.query(
            "INSERT INTO kiosks (id, key_sha256, time_zone) VALUES (\(kiosk), \(digest), \(timeZone))", logger: logger)
        return key
    }

    /// The kiosk a key belongs to, if any.
    public func kiosk(forKey key: String) async throws -> String? {
        let digest = Data(SHA256.hash(data: Data(key.utf8)))
        for try await id in try await client.query(
            "SELECT id FROM kiosks WHERE key_sha256 = \(digest)", logger: logger
        ).decode(String.self) {
            return id
        }
        return nil
    }
}

extension HubStore {
    /// Runs `body` with the pool running, and stops the pool after (a
    /// store's pool runs once: one `whileRunning` or `run` per store).
    public func whileRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        let pool = Task { await run() }
        defer { pool.cancel() }
        return try await body()
    }
}
