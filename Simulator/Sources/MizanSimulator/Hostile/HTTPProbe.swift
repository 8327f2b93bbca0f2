import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One polite HTTP request, waited for (at most 10 s): the cooperative's
/// side of the hostile replay and the live tests.
public enum HTTPProbe {
    public static func fetch(_ url: String, token: String?, method: String = "GET") -> (status: Int, body: String) {
        guard let address = URL(string: url) else { return (0, "not a URL: \(url)") }
        var request = URLRequest(url: address)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String) = (0, "")
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return result
    }
}
