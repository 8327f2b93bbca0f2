import Foundation
import MizanControl

/// A line on the control socket, as the daemon reads it.
enum ControlRequestTarget {
    static let target = FuzzTarget(
        name: "control-request",
        property: "no trap; an accepted request, encoded again, is accepted as the same command and request"
    ) { bytes in
        guard let (command, request) = try? ControlRequest.parse(line: Data(bytes)) else { return nil }
        guard let encoded = try? JSONEncoder().encode(request) else { return "\(request) cannot be encoded" }
        guard let (again, requestAgain) = try? ControlRequest.parse(line: encoded) else {
            return "\(request) encoded as \(String(decoding: encoded, as: UTF8.self)) is refused"
        }
        return again == command && requestAgain == request ? nil : "\(request) reads back as \(requestAgain)"
    }
}
