import Foundation
public import Hummingbird
import MizanLedger
import MizanReplication
import NIOCore

/// The hub's HTTP endpoints:
///   POST /api/v1/links      a kiosk's push, `Authorization: Bearer KIOSK_KEY`
///   GET  /api/v1/health     the hub answers and its database too
public enum HubRoutes {
    /// The most one push may carry.
    public static let maximumBodyBytes = 8 << 20
    public static let maximumLinks = 2_000

    public static func router(store: HubStore) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
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
        router.get("/api/v1/health") { _, _ -> Response in
            try await store.client.query("SELECT 1")
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{\"ok\":true}\n")))
        }
        return router
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
