import Foundation
import Hummingbird
import MizanCore
import MizanLedger
import NIOCore

/// The endpoints, all GET, all behind a cooperative's token:
///   /api/v1/totals?day=YYYY-MM-DD | from=…&to=… [&format=csv]
///   /api/v1/chain-heads?day=… | from=…&to=…
///   /api/v1/health
///   /report?lang=ar|en[&day=…]
extension CooperativeServer {
    func routes() -> Router<CooperativeContext> {
        let router = Router(context: CooperativeContext.self)
        router.add(middleware: RefusalCounter(refusals: refusals))
        /// GET, and HEAD answered as GET would be, without the body
        /// (monitoring tools and browsers' checks ask with HEAD).
        func route(_ path: RouterPath, _ handler: @escaping @Sendable (Request, CooperativeContext) throws -> Response)
        {
            router.get(path, use: handler)
            router.head(path) { request, context in
                let response = try handler(request, context)
                return Response(status: response.status, headers: response.headers, body: .init())
            }
        }
        route("/api/v1/totals") { [self] request, context in
            try respond(request, context) { cooperative in
                let report = try totalsReport(request)
                if value(request, "format") == "csv" {
                    log(
                        "\(cooperative) pulled totals \(report.days.first?.day ?? "")…\(report.days.last?.day ?? "") as CSV",
                        pullFields(cooperative, "totals"))
                    return Self.body(TotalsCSV.render(report), type: "text/csv; charset=utf-8")
                }
                guard value(request, "format") == nil || value(request, "format") == "json" else {
                    throw Refusal(.badRequest, "format= is json or csv")
                }
                log(
                    "\(cooperative) pulled totals \(report.days.first?.day ?? "")…\(report.days.last?.day ?? "")",
                    pullFields(cooperative, "totals"))
                return Self.body(report.json(), type: "application/json; charset=utf-8")
            }
        }
        route("/api/v1/chain-heads") { [self] request, context in
            try respond(request, context) { cooperative in
                let report = try totalsReport(request)
                let heads = report.days.map { day in
                    ChainHeadOfDay(day: day.day, seq: day.chainHead?.seq, hash: day.chainHead?.hash)
                }
                log("\(cooperative) pulled chain heads", pullFields(cooperative, "chain-heads"))
                return try Self.json(ChainHeads(kioskID: ledger.kioskID, days: heads))
            }
        }
        route("/api/v1/health") { [self] request, context in
            try respond(request, context) { cooperative in
                log("\(cooperative) pulled the kiosk's health", pullFields(cooperative, "health"))
                return try Self.json(currentHealth())
            }
        }
        route("/report") { [self] request, context in
            try respond(request, context) { cooperative in
                let page = try reportPage(request)
                log("\(cooperative) opened the report page", pullFields(cooperative, "report"))
                return Self.body(page, type: "text/html; charset=utf-8")
            }
        }
        return router
    }

    /// The token check and the refusals, around every endpoint.
    private func respond(
        _ request: Request, _ context: CooperativeContext, _ body: (String) throws -> Response
    ) throws -> Response {
        let header = request.headers[.authorization]
        let bearer = header.flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let token = bearer ?? value(request, "token")
        switch gate.decide(token: token, client: context.client, lookup: { try ledger.cooperative(forToken: $0) }) {
        case .tooManyAttempts:
            return refuse(.tooManyRequests, "too many requests without a valid token; wait a minute")
        case .unauthorized:
            var response = refuse(
                .unauthorized, "a cooperative's token is required: Authorization: Bearer TOKEN (mizanctl tokens create)"
            )
            response.headers[.wwwAuthenticate] = "Bearer realm=\"mizan\""
            return response
        case let .allowed(cooperative):
            do {
                return try body(cooperative)
            } catch let refusal as Refusal {
                return refuse(refusal.status, refusal.message)
            } catch {
                return refuse(.internalServerError, "the ledger could not be read: \(error)")
            }
        }
    }

    struct Refusal: Error {
        let status: HTTPResponse.Status
        let message: String
        init(_ status: HTTPResponse.Status, _ message: String) {
            self.status = status
            self.message = message
        }
    }

    func value(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init)
    }

    private func pullFields(_ cooperative: String, _ endpoint: String) -> [String: String] {
        ["MIZAN_EVENT": "pull", "MIZAN_COOPERATIVE": cooperative, "MIZAN_ENDPOINT": endpoint]
    }

    func range(_ request: Request) throws -> DayRange {
        let today = ledger.calendar.day(of: clock())
        do {
            return try DayRange.parse(
                day: value(request, "day"), from: value(request, "from"), to: value(request, "to"), today: today)
        } catch {
            throw Refusal(.badRequest, error.description)
        }
    }

    func totalsReport(_ request: Request) throws -> TotalsReport {
        let days = try range(request)
        return TotalsReport(kioskID: ledger.kioskID, days: try ledger.totals(from: days.first, through: days.last))
    }

    func currentHealth() throws -> Health {
        let monthAgo = ledger.calendar.day(of: clock()).adding(days: -30)
        let faults = try ledger.faultLog(since: ledger.calendar.interval(of: monthAgo).start)
        let since = faults.last.map { WallClockTime(millisecondsSinceEpoch: $0.recordedAt).iso8601 }
        // No status: the daemon is not running (or not answering) — not in service.
        guard let status = health() else {
            return Health(kioskID: ledger.kioskID, inService: false, faults: ["mizand_unreachable"], since: since)
        }
        return Health(
            kioskID: ledger.kioskID, inService: status.inService, faults: status.faults,
            since: since ?? WallClockTime(millisecondsSinceEpoch: status.startedAtMs).iso8601
        )
    }

    func reportPage(_ request: Request) throws -> String {
        let language = ReportPage.Language(rawValue: value(request, "lang") ?? "ar") ?? .arabic
        let days = try range(request)
        let today = try ledger.totals(for: days.last)
        // The 30 days up to the day shown.
        let start = days.last.adding(days: -29)
        let history = try ledger.totals(from: start, through: days.last)
        let health = try currentHealth()
        var query = "lang=\(language == .arabic ? "en" : "ar")&day=\(days.last)"
        if let token = value(request, "token") {
            query += "&token=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        let currency = ledger.currency
        return ReportPage.render(
            kioskID: ledger.kioskID, today: today, history: history,
            health: .init(
                inService: health.inService, faults: health.faults.joined(separator: ", "), since: health.since),
            language: language, currency: { currency.format(minorUnits: $0) }, currencyCode: currency.code,
            switchQuery: query
        )
    }

    struct Health: Encodable {
        var schema = "mizan.health.v1"
        let kioskID: String
        let inService: Bool
        let faults: [String]
        let since: String?
        enum CodingKeys: String, CodingKey {
            case schema, kioskID = "kiosk_id", inService = "in_service", faults, since
        }
    }

    struct ChainHeadOfDay: Encodable {
        let day: String
        let seq: Int64?
        let hash: String?
    }

    struct ChainHeads: Encodable {
        var schema = "mizan.chain-heads.v1"
        let kioskID: String
        let days: [ChainHeadOfDay]
        enum CodingKeys: String, CodingKey {
            case schema, kioskID = "kiosk_id", days
        }
    }

    static func body(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return body(
            String(decoding: try encoder.encode(value), as: UTF8.self) + "\n", type: "application/json; charset=utf-8",
            status: status)
    }

    func refuse(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Self.problem(status, message)
    }

    /// `{"error": …, "status": …}`, encoded by a JSON encoder: a message
    /// that quotes a parameter holding control characters stays valid JSON.
    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        struct Problem: Encodable {
            let error: String
            let status: Int
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data =
            (try? encoder.encode(Problem(error: message, status: status.code)))
            ?? Data("{\"status\":\(status.code)}".utf8)
        return body(
            String(decoding: data, as: UTF8.self) + "\n", type: "application/json; charset=utf-8", status: status)
    }
}

/// Counts every answer in the 4xx and 5xx ranges, unknown paths included,
/// so that a test can tell a page loaded without a single failed request.
struct RefusalCounter: RouterMiddleware {
    typealias Context = CooperativeContext
    let refusals: Locked<Int>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            if response.status.code >= 400 { refusals.update { $0 += 1 } }
            return response
        } catch {
            refusals.update { $0 += 1 }
            throw error
        }
    }
}
