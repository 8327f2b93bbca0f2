import Glibc
import MizanPOSIX

/// Waits, without waking meanwhile, until any of several input lines has
/// edges to read or `timeout` has passed: one poll over their readiness
/// descriptors, so a thread watching many lines sleeps on all of them.
///
/// - Returns: whether any line became ready (false: the time ran out).
public func waitForEdges(on inputs: [any DigitalInput], timeout: Duration) throws(GPIOError) -> Bool {
    var wanted = inputs.map { pollfd(fd: $0.readinessDescriptor, events: Int16(POLLIN), revents: 0) }
    // Rounded up: a deadline 0.4 ms away must not become a busy poll of 0 ms.
    let milliseconds = Int32(clamping: (max(.zero, timeout).nanoseconds + 999_999) / 1_000_000)
    let ready = retryingEINTR { poll(&wanted, nfds_t(wanted.count), milliseconds) }
    guard ready >= 0 else {
        throw GPIOError(
            line: inputs.map(\.address.description).joined(separator: ", "), operation: "waiting for an edge",
            errno: errno)
    }
    return ready > 0
}
