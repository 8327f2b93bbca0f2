/// Requests no browser or script sends: broken request lines, bad
/// encodings, smuggling attempts. Each must be refused (4xx) or the
/// connection closed, never answered with a 2xx or a 5xx.
enum MalformedHTTP {
    static let requests: [(what: String, bytes: String)] = [
        ("a request line of garbage", "GARBAGE\r\n\r\n"),
        ("no HTTP version", "GET /api/v1/health\r\n\r\n"),
        ("HTTP/9.9", "GET /api/v1/health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n"),
        ("a NUL in the path", "GET /api/v1/he\u{0}alth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        ("a bare LF inside a header", "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\nX-A: b\r\n\r\n"),
        ("a header without a colon", "GET /api/v1/health HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"),
        (
            "Content-Length and chunked together",
            "POST /api/v1/totals HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
        ),
        ("a negative Content-Length", "POST /api/v1/totals HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n"),
        (
            "a chunk size that is not hex",
            "POST /api/v1/totals HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
        ),
        ("a path of 20,000 slashes", "GET " + String(repeating: "/", count: 20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("a method of 5,000 letters", String(repeating: "G", count: 5_000) + " / HTTP/1.1\r\n\r\n"),
        ("invalid UTF-8 in the query", "GET /api/v1/totals?day=\u{FF}\u{FE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
    ]

    /// The status line's code, or nil when the service closed without one.
    static func status(of answer: String) -> Int? {
        guard answer.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(answer.dropFirst(9).prefix(3))
    }
}
