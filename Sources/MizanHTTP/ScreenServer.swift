import Foundation
import Hummingbird
public import MizanCore
public import MizanScreen
import NIOCore

/// The household screen's HTTP service: loopback only, read-only, no
/// token (it shows what the kiosk's own screen shows). Endpoints, all GET:
///   /                 the page (`?lang=ar|en`)
///   /screen.css, /screen.js
///   /fonts/NAME.ttf   Noto Sans Arabic and Noto Sans from the font directory
///   /voice/NAME.ogg   recorded prompts, when the voice directory has them
///   /events           Server-Sent Events: the state now, each change, a heartbeat
///   /snapshot         the state now as JSON (`?lang=`)
/// Every answer forbids any other origin (`Content-Security-Policy:
/// default-src 'self'`), and a request naming another host is refused, so a
/// page elsewhere cannot reach it through DNS rebinding.
public final class ScreenServer: Sendable {
    public struct Settings: Sendable {
        public var port: Int
        public var language: ScreenLanguage = .arabic
        public var digits: DigitSystem = .arabicIndic
        /// Where Debian's fonts-noto-core puts its files.
        public var fontDirectory = "/usr/share/fonts/truetype/noto"
        /// Recorded prompts (`welcome.ogg`, `credited.ogg`, …); none when nil.
        public var voiceDirectory: String?

        public init(port: Int) {
            self.port = port
        }
    }

    /// The fonts the page uses, served from `fontDirectory`.
    public static let fonts = ScreenStyle.fontFiles

    public static let policy = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    let settings: Settings
    let feed: ScreenFeed
    let texts: [ScreenLanguage: ScreenText]
    /// The prompts found in the voice directory at start-up.
    public let voices: [String]
    private let runner: HTTPServiceRunner
    private let boundPort = Locked(0)

    public init(
        settings: Settings, feed: ScreenFeed, currency: Currency, materials: [String: MaterialNames]
    ) {
        self.settings = settings
        self.feed = feed
        var texts: [ScreenLanguage: ScreenText] = [:]
        for language in ScreenLanguage.allCases {
            texts[language] = ScreenText(
                language: language, digits: settings.digits, currency: currency, materials: materials)
        }
        self.texts = texts
        voices = settings.voiceDirectory.map(Self.prompts(in:)) ?? []
        runner = HTTPServiceRunner(host: "127.0.0.1", port: settings.port, name: "household screen")
    }

    /// The fonts missing from the font directory (the page would fall back
    /// to whatever the browser has): named at start-up, in the log.
    public var missingFonts: [String] {
        Self.fonts.filter { !FileManager.default.isReadableFile(atPath: settings.fontDirectory + "/" + $0) }
    }

    @discardableResult
    public func start(timeout: Duration = .seconds(10)) throws -> Int {
        let port = try runner.start(routes(), timeout: timeout)
        boundPort.set(port)
        return port
    }

    @discardableResult
    public func start() async throws -> Int {
        let port = try await runner.start(routes())
        boundPort.set(port)
        return port
    }

    public func stop() {
        runner.stop()
    }

    /// Prompt files: lower-case names of letters, digits, `_` and `-`, ending in .ogg.
    static func prompts(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(".ogg") else { return nil }
            let base = String(name.dropLast(4))
            return isPromptName(base) ? base : nil
        }.sorted()
    }

    static func isPromptName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            }
    }

    func text(_ request: Request) -> ScreenText? {
        guard let requested = request.uri.queryParameters["lang"] else { return texts[settings.language] }
        return ScreenLanguage(rawValue: String(requested)).flatMap { texts[$0] }
    }
}
