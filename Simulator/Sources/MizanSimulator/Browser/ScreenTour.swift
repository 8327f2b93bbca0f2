public import Foundation
public import MizanCore

/// One state of the household screen as the browser showed it.
public struct ScreenObservation: Sendable {
    public let state: String
    public let language: String
    public let direction: String
    public let title: String
    /// The title's and lines' markup: names and numbers in `<bdi>`.
    public let markup: String
    public let lines: [String]
    /// Each figure's value by its element id (`figure-balance`, …).
    public let figures: [String: String]
    public let advice: String
    public let loadedFonts: [String]
    public let screenshot: Data
}

/// A household's visit played through the real daemon on the simulator,
/// watched in headless Chromium at the screen's size: every state of the
/// screen, its DOM and a screenshot. The live test checks what it saw;
/// `mizan-sim screens` writes the screenshots for the documentation.
public final class ScreenTour {
    public let kiosk: LiveKiosk
    public let url: String
    public let browser: HeadlessBrowser
    public private(set) var seen: [String: ScreenObservation] = [:]
    /// Each (state, balance shown) the page went through, in order, recorded
    /// in the page itself by a MutationObserver: nothing shown between two
    /// polls escapes it.
    public private(set) var history: [(state: String, balance: String?)] = []
    private let progress: (String) -> Void

    public init(
        kiosk: LiveKiosk, screenPort: Int, width: Int = 800, height: Int = 480, language: String = "ar",
        progress: @escaping (String) -> Void = { _ in }
    ) throws {
        self.kiosk = kiosk
        url = "http://127.0.0.1:\(screenPort)/?lang=\(language)"
        browser = try HeadlessBrowser(width: width, height: height)
        self.progress = progress
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The visit: welcome, a credited deposit, one below the minimum,
    /// goodbye; an unknown card; a donation; the daemon killed in the
    /// middle of a second visit, and back.
    public func run(household card: CardUID, unknownCard: CardUID) throws {
        try browser.navigate(url)
        try expect("waiting", timeout: .seconds(20))
        _ = try browser.evaluate(
            """
            window.mizanHistory = [];
            (function () {
              const note = function () {
                const balance = document.getElementById("figure-balance");
                const entry = { state: document.body.dataset.state, balance: balance ? balance.querySelector(".value").textContent : null };
                const last = window.mizanHistory[window.mizanHistory.length - 1];
                if (!last || last.state !== entry.state || last.balance !== entry.balance) window.mizanHistory.push(entry);
              };
              new MutationObserver(note).observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
              note();
            })();
            """)
        kiosk.tap(card)
        try expect("welcome")
        kiosk.open("plastic")
        try expect("bin_open")
        drop(1_250, thenClose: "plastic")
        try expect("weighing")
        try expect("credited")
        kiosk.open("metal")
        _ = try browser.wait(until: "\(Self.shownState) === 'bin_open'")
        drop(40, thenClose: "metal")
        try expect("rejected")
        kiosk.tap(card)
        try expect("goodbye")
        try expect("waiting")
        kiosk.tap(unknownCard)
        try expect("refused")
        try expect("waiting")
        kiosk.open("glass")
        drop(900, thenClose: "glass")
        try expect("donation")
        try expect("waiting")
        readHistory()
        // Mid-session: the household is at the kiosk when mizand dies. On
        // its restart the daemon closes the interrupted session.
        kiosk.tap(card)
        try expect("welcome")
        progress("killing mizand (SIGKILL) under the page, mid-session")
        _ = kiosk.stopDaemon(signal: SIGKILL)
        try expect("out_of_service", timeout: .seconds(20))
        try kiosk.startDaemon()
        try expect("waiting", timeout: .seconds(40))
        progress("the page recovered by itself")
    }

    /// Items dropped into an open bin and its lid closed, as a household
    /// does; the screen is left to be watched (no wait for the result).
    private func drop(_ grams: Int64, thenClose bin: String) {
        kiosk.wait(seconds: 0.6)
        kiosk.drop(grams: grams)
        kiosk.wait(seconds: 0.8)
        kiosk.close(bin)
    }

    /// The state the page shows, as a script expression; null while it loads.
    public static let shownState = "(document.body && document.body.dataset.state)"

    /// Waits for the page to show `state` with its words written (a page
    /// just loaded may carry the state before its script filled the title:
    /// a slow machine, or a sanitized build, shows that moment), then records it.
    public func expect(_ state: String, timeout: Duration = .seconds(15)) throws {
        let shown = "\(Self.shownState) === '\(state)' && document.getElementById('title').textContent !== ''"
        guard try browser.wait(until: shown, timeout: timeout) else {
            let showing = try browser.text(Self.shownState)
            throw Failure(description: "the screen did not show \(state) within \(timeout) (it shows \(showing))")
        }
        seen[state] = try observe()
        progress("screen: \(state)")
    }

    private func observe() throws -> ScreenObservation {
        let json = try browser.text(
            """
            JSON.stringify({
              state: document.body.dataset.state, language: document.documentElement.lang,
              direction: document.documentElement.dir, title: document.getElementById("title").textContent,
              markup: document.getElementById("title").innerHTML + document.getElementById("lines").innerHTML
                + document.getElementById("figures").innerHTML,
              lines: Array.from(document.querySelectorAll("#lines .line")).map(function (p) { return p.textContent; }),
              figures: Object.fromEntries(Array.from(document.querySelectorAll(".figure")).map(function (f) {
                return [f.id, f.querySelector(".value").textContent]; })),
              advice: document.getElementById("advice").textContent,
              fonts: Array.from(document.fonts).filter(function (f) { return f.status === "loaded"; })
                .map(function (f) { return f.family; })
            })
            """)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        return ScreenObservation(
            state: object["state"] as? String ?? "", language: object["language"] as? String ?? "",
            direction: object["direction"] as? String ?? "", title: object["title"] as? String ?? "",
            markup: object["markup"] as? String ?? "", lines: object["lines"] as? [String] ?? [],
            figures: object["figures"] as? [String: String] ?? [:], advice: object["advice"] as? String ?? "",
            loadedFonts: object["fonts"] as? [String] ?? [], screenshot: try browser.screenshot())
    }

    private func readHistory() {
        let json = (try? browser.text("JSON.stringify(window.mizanHistory || [])")) ?? "[]"
        let entries = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]) ?? []
        history = entries.map { ($0["state"] as? String ?? "", $0["balance"] as? String) }
    }

    /// Writes each state's screenshot as `STATE.png` into `directory`.
    public func writeScreenshots(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (state, observation) in seen {
            try observation.screenshot.write(to: URL(fileURLWithPath: directory + "/\(state).png"))
        }
    }
}

extension ScreenTour {
    public static let household = CardUID("0A1B2C3D4E")!
    public static let stranger = CardUID("0F0E0D0C0B")!

    /// A kiosk for the tour on a fresh ledger: one household, prices for
    /// every bin, the daemon and the web process running.
    public static func liveKiosk(daemonPath: String) throws -> LiveKiosk {
        let kiosk = try LiveKiosk(daemonPath: daemonPath)
        try kiosk.prepareLedger(
            household: household, name: "أم خليل",
            rates: ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50], actor: "screen-tour")
        try kiosk.startDaemon()
        guard kiosk.waitForLog("mizand ready", timeout: .seconds(20)) else {
            throw Failure(description: "mizand did not come into service:\n\(kiosk.log)")
        }
        try kiosk.startWeb()
        guard kiosk.waitForWebLog("household screen on http://127.0.0.1:\(kiosk.screenPort)/") else {
            throw Failure(description: "mizan-web did not serve the screen:\n\(kiosk.webLog)")
        }
        return kiosk
    }
}
