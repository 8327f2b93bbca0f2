public import Foundation

/// One line from the daemon on the control socket: an answer, a status
/// update, an event, or a keep-alive.
public struct ControlResponse: Codable, Sendable, Hashable {
    public var ok: Bool
    public var error: String?
    public var message: String?
    public var status: KioskStatusReport?
    public var event: KioskEventReport?
    /// A stream's sign of life while nothing happens.
    public var keepalive: Bool?
    public var calibration: CalibrationReport?

    public init(ok: Bool) {
        self.ok = ok
    }

    public static func failure(_ error: String) -> ControlResponse {
        var response = ControlResponse(ok: false)
        response.error = error
        return response
    }

    public static func success(_ message: String, calibration: CalibrationReport? = nil) -> ControlResponse {
        var response = ControlResponse(ok: true)
        response.message = message
        response.calibration = calibration
        return response
    }

    public static func carrying(_ status: KioskStatusReport) -> ControlResponse {
        var response = ControlResponse(ok: true)
        response.status = status
        return response
    }

    public static func carrying(_ event: KioskEventReport) -> ControlResponse {
        var response = ControlResponse(ok: true)
        response.event = event
        return response
    }

    /// A stream's sign of life.
    public static var keepalive: ControlResponse {
        var response = ControlResponse(ok: true)
        response.keepalive = true
        return response
    }

    /// snake_case keys, sorted: one line of JSON.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data(#"{"error":"the answer could not be encoded","ok":false}"#.utf8)
        return Array(data) + [0x0A]
    }

    public static func decode(_ line: Data) throws -> ControlResponse {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ControlResponse.self, from: line)
    }
}

/// A two-point calibration's figures (the loaded ones once its second step is done).
public struct CalibrationReport: Codable, Sendable, Hashable {
    public var emptyCounts: Int64
    public var loadedCounts: Int64?
    public var referenceG: Int64?

    public init(emptyCounts: Int64, loadedCounts: Int64? = nil, referenceG: Int64? = nil) {
        self.emptyCounts = emptyCounts
        self.loadedCounts = loadedCounts
        self.referenceG = referenceG
    }
}
