import Foundation
import HTTPTypes
import Hummingbird
import MizanScreen
import NIOCore

extension ScreenServer {
    func routes() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ScreenGuard())
        router.get("/") { [self] request, _ in
            guard let text = text(request) else { return Self.refuse(.badRequest, "lang= is ar or en") }
            let page = ScreenPage.render(
                text: text, home: settings.language, initial: text.message(feed.view), voices: voices)
            return Self.answer(ByteBuffer(string: page), type: "text/html; charset=utf-8")
        }
        router.get("/screen.css") { _, _ in
            Self.answer(ByteBuffer(string: ScreenStyle.css), type: "text/css; charset=utf-8")
        }
        router.get("/screen.js") { _, _ in
            Self.answer(ByteBuffer(string: ScreenScript.javascript), type: "text/javascript; charset=utf-8")
        }
        router.get("/favicon.svg") { _, _ in
            Self.answer(ByteBuffer(string: ScreenPage.favicon), type: "image/svg+xml", cache: "max-age=86400")
        }
        // Browsers ask for it whatever the page says: no icon, and no error in their log.
        router.get("/favicon.ico") { _, _ in
            Response(status: .noContent, headers: Self.headers(type: "image/x-icon"))
        }
        router.get("/fonts/:name") { [self] _, context in
            let name = context.parameters.get("name") ?? ""
            guard Self.fonts.contains(name),
                let data = FileManager.default.contents(atPath: settings.fontDirectory + "/" + name)
            else { return Self.refuse(.notFound, "no such font") }
            return Self.answer(ByteBuffer(bytes: data), type: "font/ttf", cache: "max-age=86400")
        }
        router.get("/voice/:name") { [self] _, context in
            let file = context.parameters.get("name") ?? ""
            let base = file.hasSuffix(".ogg") ? String(file.dropLast(4)) : ""
            guard voices.contains(base), let directory = settings.voiceDirectory,
                let data = FileManager.default.contents(atPath: directory + "/" + base + ".ogg")
            else { return Self.refuse(.notFound, "no such prompt") }
            return Self.answer(ByteBuffer(bytes: data), type: "audio/ogg")
        }
        router.get("/snapshot") { [self] request, _ in
            guard let text = text(request) else { return Self.refuse(.badRequest, "lang= is ar or en") }
            return Self.answer(
                ByteBuffer(string: ScreenPage.json(text.message(feed.view)) + "\n"),
                type: "application/json; charset=utf-8")
        }
        router.get("/events") { [self] request, _ in
            guard let text = text(request) else { return Self.refuse(.badRequest, "lang= is ar or en") }
            guard let updates = feed.subscribe() else {
                return Self.refuse(.serviceUnavailable, "too many pages follow the screen already")
            }
            var headers = Self.headers(type: "text/event-stream; charset=utf-8")
            headers[.cacheControl] = "no-store"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    // A browser waits this long before it connects again by itself.
                    try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                    for await update in updates {
                        switch update {
                        case let .view(view):
                            let data = ScreenPage.json(text.message(view))
                            try await writer.write(ByteBuffer(string: "event: screen\ndata: \(data)\n\n"))
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: "event: heartbeat\ndata: {}\n\n"))
                        }
                    }
                    try await writer.finish(nil)
                })
        }
        return router
    }

    static func headers(type: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentSecurityPolicy] = policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return headers
    }

    static func answer(_ body: ByteBuffer, type: String, cache: String = "no-store") -> Response {
        var headers = headers(type: type)
        headers[.cacheControl] = cache
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    static func refuse(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var headers = headers(type: "text/plain; charset=utf-8")
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// Only requests addressed to the loopback by name or number: a page on
/// another site that rebinds its own name to 127.0.0.1 sends its own
/// name as the host, and is refused. Unknown paths get the same headers.
struct ScreenGuard: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.isLoopback(request.head.authority) else {
            return ScreenServer.refuse(.misdirectedRequest, "the household screen answers on 127.0.0.1 only")
        }
        do {
            var response = try await next(request, context)
            if response.headers[.contentSecurityPolicy] == nil {
                response.headers[.contentSecurityPolicy] = ScreenServer.policy
            }
            return response
        } catch let error as HTTPError {
            return ScreenServer.refuse(error.status, error.body ?? "refused")
        }
    }

    static func isLoopback(_ authority: String?) -> Bool {
        guard let authority else { return false }
        let host = authority.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return host == "127.0.0.1" || host == "localhost"
    }
}
