import Foundation
import MizanCore

/// The household screen's page: the frame the script fills in, the
/// waiting screen's four steps, the sprite, and — in data attributes, as
/// JSON — the state to show first and the out-of-service screen the page
/// falls back to by itself. Everything it loads comes from the same
/// origin: /screen.css, /screen.js, /fonts/…, /voice/….
public enum ScreenPage {
    public static func render(
        text: ScreenText, home: ScreenLanguage, initial: ScreenMessage, voices: [String]
    ) -> String {
        let other: ScreenLanguage = text.language == .arabic ? .english : .arabic
        let steps = text.steps.enumerated().map { index, step in
            """
            <li><svg><use href="#\(step.icon)"/></svg><b><bdi>\(text.numbers.localize(String(index + 1)))</bdi></b>\(escape(step.text))</li>
            """
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="\(text.language.rawValue)" dir="\(text.language.direction)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">
            <title>\(text.language == .arabic ? "ميزان" : "Mizan")</title>
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/screen.css">
            <script src="/screen.js" defer></script>
            </head>
            <body data-state="\(initial.state.rawValue)" data-lang="\(text.language.rawValue)" data-home="\(home.rawValue)" data-voices="\(escape(voices.joined(separator: " ")))" data-initial="\(escape(json(initial)))" data-offline="\(escape(json(text.message(ScreenView(.outOfService)))))">
            \(ScreenIcons.sprite)
            <main>
            <header id="band"><svg aria-hidden="true"><use id="icon" href="#\(initial.icon)"/></svg><h1 id="title"></h1></header>
            <section id="content">
            <div id="lines"></div>
            <div id="figures"></div>
            <p id="advice"></p>
            <ol id="steps">
            \(steps)
            </ol>
            </section>
            </main>
            <a id="switch" href="/?lang=\(other.rawValue)">\(other == .english ? "English" : "عربي")</a>
            </body>
            </html>

            """
    }

    /// A scale pan in the screen's blue.
    public static let favicon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1f3a5f"/><path d="M12 46h40M18 46l4-18h20l4 18M32 28V14M24 14h16" fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round"/></svg>
        """

    public static func json(_ message: ScreenMessage) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(message)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Text for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
