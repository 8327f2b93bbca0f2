public import Foundation

extension ControlRequest {
    /// Why a request line was refused, in the words the client is sent.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Reads one request line as the daemon does: one JSON object naming a
    /// known command.
    public static func parse(line: Data) throws(Refusal) -> (ControlCommand, ControlRequest) {
        guard let request = try? JSONDecoder().decode(ControlRequest.self, from: line) else {
            throw Refusal(description: "a request is one JSON object per line, e.g. {\"command\":\"status\"}")
        }
        guard let command = ControlCommand(rawValue: request.command) else {
            let known = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            throw Refusal(description: "unknown command; known: \(known)")
        }
        return (command, request)
    }
}
