import Foundation
public import MizanCore
import MizanLedger

/// A short day at a kiosk, against the real daemon: two households, three
/// materials, then what each earned and the day's totals.
public enum Demo {
    public static let households: [(CardUID, String)] = [
        (CardUID("0A1B2C3D4E")!, "Umm Khalil"),
        (CardUID("1122334455")!, "Abu Sami"),
    ]

    /// The demo's households and the pilot's prices, in a fresh ledger.
    static func register(_ ledger: Ledger, actor: String) throws {
        let setUp = LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: 1_700_000_000_000), synchronized: true)
        for (card, name) in households {
            try ledger.registerHousehold(card: card, name: name, actor: actor, at: setUp)
        }
        try ledger.publishPrices(
            PriceTable(
                version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0),
                ratesPerKilogram: ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50]),
            actor: "municipality", at: setUp
        )
    }

    /// Runs the demo and returns what to print; throws if the kiosk could
    /// not be brought up.
    /// With `screens`, what each household saw on the screen is also
    /// written there as PNGs (when Chromium is installed).
    public static func run(daemonPath: String, screens: String? = nil, say: (String) -> Void) throws -> Bool {
        let kiosk = try LiveKiosk(daemonPath: daemonPath)
        defer { kiosk.shutdown() }
        try kiosk.prepareLedger { try register($0, actor: "demo") }
        say("Starting mizand on the simulator (state in \(kiosk.stateDirectory))…")
        try kiosk.startDaemon()
        guard kiosk.waitForLog("mizand ready") else {
            say("mizand did not become ready:\n\(kiosk.log)")
            return false
        }
        try kiosk.startWeb()
        let url = "http://127.0.0.1:\(kiosk.screenPort)/"
        if kiosk.waitForWebLog("household screen on \(url)") {
            say("The household screen, live while the demo runs: \(url) (open it in a browser on this machine)")
        } else {
            say("mizan-web did not serve the household screen:\n\(kiosk.webLog)")
        }
        let browser =
            screens != nil && HeadlessBrowser.isInstalled ? try? HeadlessBrowser(width: 800, height: 480) : nil
        defer { browser?.close() }
        try browser?.navigate(url)
        var shot = 0
        func screenshot() {
            guard let browser, let screens else { return }
            let state = (try? browser.text(ScreenTour.shownState)) ?? "unknown"
            shot += 1
            let path = screens + "/\(shot < 10 ? "0" : "")\(shot)-\(state).png"
            do {
                try FileManager.default.createDirectory(atPath: screens, withIntermediateDirectories: true)
                try browser.screenshot().write(to: URL(fileURLWithPath: path))
                say("  the screen shows \(state): \(path)")
            } catch {
                say("  (no screenshot: \(error))")
            }
        }
        kiosk.wait(seconds: 2)
        let script: [(CardUID, [(String, Int64)])] = [
            (households[0].0, [("plastic", 1_250), ("metal", 2_000)]),
            (households[1].0, [("paper", 3_000), ("plastic", 500)]),
        ]
        for (card, deposits) in script {
            let name = households.first { $0.0 == card }?.1 ?? card.hex
            say("\n\(name) taps card \(card)")
            kiosk.tap(card)
            kiosk.wait(seconds: 0.5)
            screenshot()
            for (bin, grams) in deposits {
                say("  drops \(grams) g into the \(bin) bin")
                kiosk.deposit(grams, into: bin)
                screenshot()
            }
            kiosk.tap(card)
            kiosk.wait(seconds: 1)
            screenshot()
        }
        _ = kiosk.stopDaemon()
        say("\nWhat the kiosk did (from mizand's log):")
        for line in kiosk.log.split(separator: "\n")
        where line.contains("deposit ") || line.contains("session ") || line.contains("feedback") {
            say("  " + line.replacingOccurrences(of: "<6>", with: ""))
        }
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        say("\nWhat each household earned:")
        for (card, name) in households {
            guard let household = try ledger.household(card: card) else { continue }
            say("  \(name) (\(card)): \(ledger.currency.format(minorUnits: try ledger.balance(of: household.id)))")
        }
        let today = ledger.calendar.day(
            of: WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)))
        say("\nThe day's totals:")
        say(
            TotalsTable.render(
                TotalsReport(kioskID: ledger.kioskID, days: [try ledger.totals(for: today)]), currency: ledger.currency)
        )
        let verified = try ledger.verify().ok
        say(verified ? "The ledger verifies (hash chains, balances, integrity)." : "THE LEDGER DOES NOT VERIFY")
        return verified
    }
}
