import Foundation
import HTTPTypes
public import Hummingbird
import MizanCore
import NIOCore

/// The cooperatives' redemption desk:
///   GET  /desk, /desk/desk.js, /desk/desk.css          the page
///   POST /desk/login {token}  →  an HttpOnly, SameSite=Strict cookie
///   POST /desk/logout
///   GET  /desk/api/me                                   who is logged in
///   GET  /desk/api/household?card=UID                   name, balance, PIN state
///   POST /desk/api/redeem {card, amount, pin, key}      amount typed in major units
///   POST /desk/api/void {seq, key}
///   GET  /desk/receipt/SEQ                              printable
/// Every POST needs `X-Mizan-Desk: 1` (a header another site's form cannot send).
public enum HubDeskRoutes {
    static let cookie = "mizan_cashier"
    static let currency = Currency.beniZeidCredit

    public static func add(to router: Router<BasicRequestContext>, store: HubStore) {
        router.get("/desk") { _, _ in page(DeskPage.html, type: "text/html; charset=utf-8") }
        router.get("/desk/desk.js") { _, _ in page(DeskPage.script, type: "text/javascript; charset=utf-8") }
        router.get("/desk/desk.css") { _, _ in page(DeskPage.style, type: "text/css; charset=utf-8") }
        router.post("/desk/login") { request, _ -> Response in
            guard request.headers[deskHeader] == "1" else { return refusal(.badRequest("X-Mizan-Desk")) }
            struct Login: Decodable { let token: String }
            guard let body = try? await request.body.collect(upTo: 4_096),
                let login = try? JSONDecoder().decode(Login.self, from: Data(buffer: body)),
                let cashier = try await store.cashier(forToken: login.token)
            else {
                return HubRoutes.json(["error": "unknown or revoked cashier login"], status: .unauthorized)
            }
            var response = HubRoutes.json(["cashier": cashier.id, "cooperative": cashier.cooperative])
            response.headers[.setCookie] =
                "\(cookie)=\(login.token); Path=/desk; HttpOnly; SameSite=Strict; Max-Age=43200"
            return response
        }
        router.post("/desk/logout") { request, _ -> Response in
            var response = HubRoutes.json(["ok": "true"])
            response.headers[.setCookie] = "\(cookie)=; Path=/desk; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }
        func cashierOnly(
            _ method: HTTPRequest.Method, _ path: RouterPath,
            _ body: @escaping @Sendable (Request, Cashier) async throws -> Response
        ) {
            router.on(path, method: method) { request, _ -> Response in
                if method == .post, request.headers[deskHeader] != "1" {
                    return refusal(.badRequest("X-Mizan-Desk"))
                }
                guard let token = token(request), let cashier = try await store.cashier(forToken: token) else {
                    return HubRoutes.json(["error": "log in again (unknown or revoked login)"], status: .unauthorized)
                }
                return try await body(request, cashier)
            }
        }
        cashierOnly(.get, "/desk/api/me") { _, cashier in
            HubRoutes.json(["cashier": cashier.id, "cooperative": cashier.cooperative])
        }
        cashierOnly(.get, "/desk/api/household") { request, _ in
            guard let card = request.uri.queryParameters["card"].flatMap({ CardUID($0)?.hex }) else {
                return refusal(.badRequest("card=UID (hex digits)"))
            }
            guard let statement = try await store.statement(card: card) else {
                return HubRoutes.json(["error": "no household with card \(card) at the hub"], status: .notFound)
            }
            return HubRoutes.json(statement)
        }
        cashierOnly(.post, "/desk/api/redeem") { request, cashier in
            struct Redeem: Decodable { let card, amount, pin, key: String }
            guard let body = try? await request.body.collect(upTo: 4_096),
                let asked = try? JSONDecoder().decode(Redeem.self, from: Data(buffer: body)),
                let card = CardUID(asked.card)?.hex
            else { return refusal(.badRequest("{card, amount, pin, key}")) }
            guard let amount = currency.minorUnits(typed: asked.amount), amount > 0 else {
                return refusal(.badRequest("the amount \(asked.amount)"))
            }
            return answer(
                try await store.redeem(by: cashier, card: card, amount: amount, pin: asked.pin, key: asked.key))
        }
        cashierOnly(.post, "/desk/api/void") { request, cashier in
            struct Void: Decodable { let seq: Int64, key: String }
            guard let body = try? await request.body.collect(upTo: 4_096),
                let asked = try? JSONDecoder().decode(Void.self, from: Data(buffer: body))
            else { return refusal(.badRequest("{seq, key}")) }
            return answer(try await store.void(by: cashier, seq: asked.seq, key: asked.key))
        }
        cashierOnly(.get, "/desk/receipt/:seq") { request, cashier in
            guard let seq = request.uri.path.split(separator: "/").last.flatMap({ Int64($0) }),
                let receipt = try await store.receipt(seq: seq), receipt.cooperative == cashier.cooperative
            else { return HubRoutes.json(["error": "no such receipt of this cooperative"], status: .notFound) }
            let name = try await store.statement(card: receipt.card)?.name
            return page(
                ReceiptPage.render(receipt, household: name, currency: currency), type: "text/html; charset=utf-8")
        }
    }

    static let deskHeader = HTTPField.Name("X-Mizan-Desk")!

    static func token(_ request: Request) -> String? {
        if let bearer = HubRoutes.bearer(request) { return bearer }
        for part in (request.headers[.cookie] ?? "").split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix(cookie + "=") { return String(pair.dropFirst(cookie.count + 1)) }
        }
        return nil
    }

    static func answer(_ outcome: DeskOutcome) -> Response {
        switch outcome {
        case let .done(receipt): HubRoutes.json(DeskAnswer(receipt: receipt, repeated: false))
        case let .repeated(receipt): HubRoutes.json(DeskAnswer(receipt: receipt, repeated: true))
        case let .refused(why): refusal(why)
        }
    }

    struct DeskAnswer: Encodable {
        let receipt: Receipt
        let repeated: Bool
    }

    static func refusal(_ why: DeskRefusal) -> Response {
        let (arabic, english) = why.message(currency: currency)
        return HubRoutes.json(
            ["refused": why.code, "message_ar": arabic, "message_en": english],
            status: HTTPResponse.Status(code: why.status))
    }

    static func page(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentSecurityPolicy] = DeskPage.policy
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
