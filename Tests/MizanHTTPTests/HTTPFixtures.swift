import Foundation
import MizanControl
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import MizanCore
import MizanHTTP
import MizanLedger

/// A ledger with deposits on both of Hebron's daylight-saving days of 2026,
/// a cooperative's token, and the HTTP service on a free loopback port.
final class ServedLedger: @unchecked Sendable {
    let directory: String
    let path: String
    let ledger: Ledger
    let server: CooperativeServer
    private(set) var port = 0
    let token: String
    let pulls = PullLog()

    static let card = CardUID("0A1B2C3D4E")!

    /// A loopback port of the system's choosing; wrong tokens counted for an
    /// hour, so a slow machine cannot see the window pass mid-test.
    static var settings: CooperativeServer.Settings {
        var settings = CooperativeServer.Settings(host: "127.0.0.1", port: 0)
        settings.failedTokenWindow = .seconds(3600)
        return settings
    }

    private init(inService: Bool) throws {
        directory = FileManager.default.temporaryDirectory.path + "/mizan-http-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/ledger.sqlite"
        ledger = try Ledger.open(path: path, kioskID: "bz-01")
        let setUp = Self.clock("2026-03-01T08:00:00Z")
        let household = try ledger.registerHousehold(card: Self.card, name: "أم خليل", actor: "tech", at: setUp).id
        try ledger.publishPrices(
            PriceTable(
                version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0),
                ratesPerKilogram: ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50]),
            actor: "municipality", at: setUp
        )
        let deposits: [(MaterialID, Int64, String)] = [
            ("plastic", 1_250, "2026-03-27T21:30:00Z"), ("metal", 2_000, "2026-03-28T06:00:00Z"),
            ("paper", 3_000, "2026-03-28T20:59:00Z"), ("glass", 900, "2026-03-28T21:01:00Z"),
            ("plastic", 700, "2026-10-24T21:30:00Z"), ("organic", 4_000, "2026-10-24T21:59:00Z"),
        ]
        for (index, (material, grams, time)) in deposits.enumerated() {
            let rate: Int64 =
                ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50][material.rawValue] ?? 0
            let value = grams * rate
            try ledger.commitDeposit(
                DepositRecord(
                    id: DepositID(kioskID: "bz-01", sequence: Int64(index + 1)), session: nil, household: household,
                    bin: BinID(rawValue: material.rawValue), material: material,
                    binsOpened: [BinID(rawValue: material.rawValue)],
                    baseline: Grams(0), final: Grams(grams), net: Grams(grams), creditedGrams: Grams(grams),
                    priceVersion: 1, ratePerKilogram: rate, credit: value / 1000, currencyCode: "XBZ",
                    carryIn: .zero, carryOut: CreditCarry(thousandths: value % 1000)!, reason: .credited,
                    lidOpenedAt: .origin, lidClosedAt: nil, decidedAt: .origin
                ), at: Self.clock(time))
        }
        token = try ledger.createCooperativeToken(
            cooperative: "Olive Cooperative", actor: "tech", at: Self.clock("2026-11-01T08:00:00Z")
        ).token
        let pulls = pulls
        server = try CooperativeServer(
            ledgerPath: path, settings: Self.settings,
            health: {
                var status = KioskStatusReport(kiosk: "bz-01", startedAtMs: 1_700_000_000_000, divisionG: 10)
                status.inService = inService
                status.faults = inService ? [] : ["scale: sensor_silent"]
                return status
            },
            clock: { WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) },
            log: { text, fields in pulls.append(text, fields) }
        )
    }

    /// A served ledger, listening.
    static func make(inService: Bool = true) async throws -> ServedLedger {
        let served = try ServedLedger(inService: inService)
        served.port = try await served.server.start()
        return served
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func clock(_ iso: String) -> LedgerClockReading {
        let date = ISO8601DateFormatter().date(from: iso) ?? Date(timeIntervalSince1970: 0)
        return LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1000)), synchronized: true)
    }

    struct Reply {
        let status: Int
        let body: String
        let headers: [String: String]
    }

    /// A request over loopback, with the token unless told otherwise.
    func get(_ target: String, token: String?? = .none, method: String = "GET") async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(target)")!)
        request.httpMethod = method
        let bearer: String? =
            switch token {
            case .none: self.token
            case let .some(value): value
            }
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] { headers["\(key)".lowercased()] = "\(value)" }
        return Reply(status: http?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self), headers: headers)
    }
}

final class PullLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(String, [String: String])] = []

    func append(_ text: String, _ fields: [String: String]) {
        lock.withLock { entries.append((text, fields)) }
    }

    var all: [(String, [String: String])] { lock.withLock { entries } }
}

/// The real mizanctl built beside the tests.
enum Mizanctl {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("mizanctl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
