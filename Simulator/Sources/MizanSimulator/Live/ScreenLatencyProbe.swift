import Foundation
import MizanCore
import MizanHardware
import Synchronization
import MizanPOSIX

/// Follows the household screen's event stream as the kiosk's browser does
/// and times each credited screen from the sample that decided its deposit
/// (both on CLOCK_MONOTONIC, one machine): what a household waits between
/// the scale settling and seeing its credit.
public final class ScreenLatencyProbe: @unchecked Sendable {
    private let connection: LoopbackTCP
    private let latencies = Guarded<[Int64]>([])
    private let running = Atomic<Bool>(true)

    public init(port: Int) throws {
        connection = try LoopbackTCP(port: port)
        connection.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n")
        let thread = Thread { [self] in follow() }
        thread.name = "mizan-bench-sse"
        thread.start()
    }

    /// Microseconds from the deciding sample to the credited screen's event, sorted.
    public var microseconds: [Int64] { latencies.withLock { $0.sorted() } }

    public func stop() {
        running.store(false, ordering: .relaxed)
    }

    private func follow() {
        var pending = ""
        while running.load(ordering: .relaxed) {
            guard case let .data(bytes) = connection.receive(timeout: .milliseconds(200)) else { continue }
            let arrived = MonotonicClock.now().nanoseconds
            pending += String(decoding: bytes, as: UTF8.self)
            while let end = pending.range(of: "\n\n") {
                let frame = pending[..<end.lowerBound]
                pending.removeSubrange(..<end.upperBound)
                guard frame.contains("\"state\":\"credited\""),
                    let marker = frame.range(of: "\"decided_monotonic_ns\":"),
                    let decided = Int64(frame[marker.upperBound...].prefix { $0.isNumber })
                else { continue }
                latencies.withLock { $0.append((arrived - decided) / 1_000) }
            }
        }
    }
}
