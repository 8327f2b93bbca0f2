import Foundation
import Glibc

/// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
enum Colour {
    enum Name: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
    }

    static let enabled: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        return isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
    }()

    static func paint(_ text: String, _ colour: Name, _ enabled: Bool = Colour.enabled) -> String {
        enabled ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }
}
