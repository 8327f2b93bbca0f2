import Foundation
import Glibc
import Synchronization

/// A load generator for the cooperatives' service: clients on threads of
/// their own, each on one kept-alive HTTP/1.1 connection, asking for the
/// same URL as fast as answers come.
final class HTTPLoad: Sendable {
    private let running = Atomic<Bool>(true)
    private let answered = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)

    init(port: Int, path: String, token: String, clients: Int) {
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8)
        for index in 0..<clients {
            let thread = Thread { [self] in
                run(port: port, request: request)
                finished.add(1, ordering: .relaxed)
            }
            thread.name = "mizan-http-load-\(index)"
            thread.start()
        }
    }

    var requestsAnswered: Int { answered.load(ordering: .relaxed) }
    var requestsFailed: Int { failed.load(ordering: .relaxed) }

    func stop(clients: Int) {
        running.store(false, ordering: .relaxed)
        while finished.load(ordering: .relaxed) < clients { usleep(10_000) }
    }

    private func run(port: Int, request: [UInt8]) {
        while running.load(ordering: .relaxed) {
            let descriptor = connect(port)
            guard descriptor >= 0 else {
                failed.add(1, ordering: .relaxed)
                usleep(100_000)
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var pending: [UInt8] = []
            exchange: while running.load(ordering: .relaxed) {
                guard
                    request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) })
                        == request.count
                else { break }
                // Read the head, then exactly Content-Length bytes of body.
                var expected: Int?
                var headEnd = 0
                while true {
                    if expected == nil, let end = Self.headEnd(pending) {
                        headEnd = end
                        expected = Self.contentLength(pending[..<end])
                        if pending.prefix(12).elementsEqual(Array("HTTP/1.1 200".utf8)) == false {
                            failed.add(1, ordering: .relaxed)
                        }
                    }
                    if let expected, pending.count >= headEnd + expected {
                        pending.removeFirst(headEnd + expected)
                        answered.add(1, ordering: .relaxed)
                        break
                    }
                    let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                    if count <= 0 { break exchange }
                    pending += buffer[0..<count]
                }
            }
            close(descriptor)
        }
    }

    private func connect(_ port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    static func contentLength(_ head: ArraySlice<UInt8>) -> Int {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        guard let range = text.range(of: "content-length:") else { return 0 }
        let digits = text[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
        return Int(digits) ?? 0
    }
}
