import Crypto
import Foundation
public import Hummingbird
import MizanCore
import MizanLedger
import MizanReplication
import NIOCore

/// The hub's HTTP endpoints:
///   POST /api/v1/links      a kiosk's push, `Authorization: Bearer KIOSK_KEY`
///   GET  /api/v1/health     the hub answers and its database too
/// and, for the municipality (`Authorization: Bearer MUNICIPALITY_TOKEN`):
///   GET  /api/v1/balances   each household's balance across kiosks, by card
///   GET  /api/v1/totals?day=YYYY-MM-DD[&format=csv]   each kiosk's day (mizan.fleet-totals.v1)
///   GET  /api/v1/anomalies  everything flagged for a person
///   GET  /api/v1/chain-heads  where each kiosk's chain stands at the hub
///   GET  /api/v1/settlement?cooperative=ID&from=…&to=…[&format=csv]   what a cooperative took
///   GET  /api/v1/statement?card=UID   a household's earnings by kiosk, spending by cooperative
///   GET  /municipality?token=…[&lang=en][&day=YYYY-MM-DD]   the page
///   GET  /municipality/settlement?token=…&cooperative=…&from=…&to=…   the settlement's page
///   GET  /municipality/statement?token=…&card=UID   a household's statement, as a page
/// and the cooperatives' redemption desk (HubDeskRoutes).
public enum HubRoutes {
    /// The most one push may carry.
    public static let maximumBodyBytes = 8 << 20
    public static let maximumLinks = 2_000

    /// `municipalityToken`: the token the municipality's reads need (nil:
    /// the reads are not served).
    public static func router(
        store: HubStore, municipalityToken: String?, silence: Duration = .seconds(24 * 3600)
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let municipality = municipalityToken.map { Data(SHA256.hash(data: Data($0.utf8))) }
        func reading(
            _ path: RouterPath, _ body: @escaping @Sendable (Request) async throws -> Response
        ) {
            router.get(path) { request, _ -> Response in
                guard let municipality,
                    let token = bearer(request) ?? request.uri.queryParameters["token"].map(String.init),
                    Data(SHA256.hash(data: Data(token.utf8))) == municipality
                else {
                    return json(["error": "the municipality's token is required"], status: .unauthorized)
                }
                return try await body(request)
            }
        }
        reading("/api/v1/balances") { _ in json(["schema": "mizan.hub-balances.v1"], and: try await store.balances()) }
        reading("/api/v1/chain-heads") { _ in
            json(["schema": "mizan.hub-chain-heads.v1"], and: try await store.chainHeads())
        }
        reading("/api/v1/anomalies") { _ in
            json(["schema": "mizan.hub-anomalies.v1"], and: try await store.anomalies())
        }
        reading("/municipality") { request in
            let language =
                MunicipalityPage.Language(rawValue: request.uri.queryParameters["lang"].map(String.init) ?? "ar")
                ?? .arabic
            let day: LocalDay
            if let asked = request.uri.queryParameters["day"].flatMap({ LocalDay($0) }) {
                day = asked
            } else {
                day = try await store.today()
            }
            let facts = MunicipalityPage.Facts(
                day: day.description, totals: try await store.fleetTotals(day: day),
                days: try await store.days(upTo: day.description, count: 30),
                kiosks: try await store.kioskHealth(silence: silence), anomalies: try await store.anomalies())
            var query = "lang=\(language == .arabic ? "en" : "ar")&day=\(day)"
            if let token = request.uri.queryParameters["token"] {
                query += "&token=\(String(token).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }
            return municipalityPage(MunicipalityPage.render(facts, language: language, switchQuery: query))
        }
        reading("/api/v1/totals") { request in
            guard let day = request.uri.queryParameters["day"].flatMap({ LocalDay($0) }) else {
                return json(["error": "day=YYYY-MM-DD is required"], status: .badRequest)
            }
            let totals = try await store.fleetTotals(day: day)
            if request.uri.queryParameters["format"] == "csv" {
                return csv(TotalsCSV.render(totals.kiosks, kioskColumn: true), named: "mizan-village-\(day).csv")
            }
            return json(totals)
        }
        router.post("/api/v1/links") { request, _ -> Response in
            guard let key = bearer(request), let kiosk = try await store.kiosk(forKey: key) else {
                return json(PushAnswer(head: 0, error: "unknown kiosk key (mizan-hub enrol)"), status: .unauthorized)
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: maximumBodyBytes)
            } catch {
                return json(
                    PushAnswer(head: 0, error: "a push is at most \(maximumBodyBytes) bytes"), status: .contentTooLarge)
            }
            guard let push = try? JSONDecoder().decode(LinkPush.self, from: Data(buffer: body)) else {
                return json(PushAnswer(head: 0, error: "the body is not a push of journal links"), status: .badRequest)
            }
            guard push.links.count <= maximumLinks else {
                return json(
                    PushAnswer(head: 0, error: "a push is at most \(maximumLinks) links"), status: .contentTooLarge)
            }
            if let profile = push.profile {
                do {
                    try await store.keepProfile(profile, of: kiosk)
                } catch let problem as HubError {
                    return json(PushAnswer(head: 0, error: problem.description), status: .unprocessableContent)
                }
            }
            switch try await store.ingest(kiosk: kiosk, links: push.links) {
            case let .accepted(head, inserted, duplicates):
                return json(PushAnswer(head: head, inserted: inserted, duplicates: duplicates))
            case let .fork(head, seq, detail):
                return json(PushAnswer(head: head, refused: "fork", seq: seq, error: detail), status: .conflict)
            case let .brokenChain(head, seq, problem):
                return json(
                    PushAnswer(head: head, refused: "broken_chain", seq: seq, error: problem), status: .conflict)
            }
        }
        reading("/api/v1/settlement") { request in
            guard let settlement = try await askedSettlement(request, in: store) else { return settlementRequired }
            if request.uri.queryParameters["format"] == "csv" {
                return csv(
                    settlement.csv,
                    named: "mizan-settlement-\(settlement.cooperative)-\(settlement.from)-\(settlement.to).csv")
            }
            return json(settlement)
        }
        reading("/api/v1/statement") { request in
            guard let card = request.uri.queryParameters["card"].flatMap({ CardUID($0)?.hex }) else {
                return json(["error": "card=UID is required"], status: .badRequest)
            }
            guard let statement = try await store.statement(card: card) else {
                return json(["error": "no household with card \(card) at the hub"], status: .notFound)
            }
            return json(statement)
        }
        reading("/municipality/settlement") { request in
            guard let settlement = try await askedSettlement(request, in: store) else { return settlementRequired }
            return municipalityPage(SpendingPages.settlement(settlement, currency: .beniZeidCredit))
        }
        reading("/municipality/statement") { request in
            guard let card = request.uri.queryParameters["card"].flatMap({ CardUID($0)?.hex }),
                let statement = try await store.statement(card: card)
            else { return json(["error": "card=UID of a household the hub knows is required"], status: .notFound) }
            return municipalityPage(SpendingPages.statement(statement, currency: .beniZeidCredit))
        }
        // A kiosk's screen asks for a household's balance across the village, with the kiosk's key.
        router.get("/api/v1/kiosk/village-balance") { request, _ -> Response in
            guard let key = bearer(request), let kiosk = try await store.kiosk(forKey: key) else {
                return json(["error": "unknown kiosk key (mizan-hub enrol)"], status: .unauthorized)
            }
            guard let card = request.uri.queryParameters["card"].flatMap({ CardUID($0)?.hex }) else {
                return json(["error": "card=UID is required"], status: .badRequest)
            }
            guard let statement = try await store.statement(card: card) else {
                return json(["error": "no household with card \(card) at the hub"], status: .notFound)
            }
            return json(
                VillageBalance(
                    card: card, balance: statement.balance,
                    earnedHere: statement.earned.first { $0.kiosk == kiosk }?.amount ?? 0))
        }
        HubDeskRoutes.add(to: router, store: store)
        router.get("/api/v1/health") { _, _ -> Response in
            try await store.client.query("SELECT 1")
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{\"ok\":true}\n")))
        }
        return router
    }

    /// The settlement a request's `cooperative`, `from` and `to` ask for;
    /// nil when they are missing or out of order.
    static func askedSettlement(_ request: Request, in store: HubStore) async throws -> Settlement? {
        let query = request.uri.queryParameters
        guard let cooperative = query["cooperative"].map(String.init),
            let from = query["from"].flatMap({ LocalDay($0) }), let to = query["to"].flatMap({ LocalDay($0) }),
            from <= to
        else { return nil }
        return try await store.settlement(cooperative: cooperative, from: from, to: to)
    }

    static var settlementRequired: Response {
        json(["error": "cooperative=ID&from=YYYY-MM-DD&to=YYYY-MM-DD are required"], status: .badRequest)
    }

    /// A spreadsheet to save: UTF-8 (the text carries its byte-order mark).
    static func csv(_ text: String, named name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// One of the municipality's pages (no script, inline style only).
    static func municipalityPage(_ html: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = MunicipalityPage.policy
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// `{…fields, "rows": [...]}`.
    static func json(_ fields: [String: String], and rows: some Encodable & Sendable) -> Response {
        return json(Envelope(fields: fields, rows: rows))
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst(7))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A JSON object of a few named strings and `rows`.
struct Envelope<Rows: Encodable>: Encodable {
    let fields: [String: String]
    let rows: Rows
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in fields { try container.encode(value, forKey: Key(name)) }
        try container.encode(rows, forKey: Key("rows"))
    }
    struct Key: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
