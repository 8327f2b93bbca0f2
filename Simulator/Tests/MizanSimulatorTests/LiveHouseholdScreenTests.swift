import Foundation
import Glibc
import Testing
@testable import MizanCore
@testable import MizanHTTP
@testable import MizanLedger
@testable import MizanScreen
@testable import MizanSimulator

/// The household screen with the real daemon on the simulator, the web
/// process serving it, and headless Chromium at 800×480 showing it: a
/// visit played through, checked in the page's DOM at each step.
extension LiveDaemonTests {
    @Test(.enabled(if: HeadlessBrowser.isInstalled, "needs Chromium (make setup installs it)"))
    func aHouseholdsVisitIsShownInArabicStepByStepAndThePageHealsItself() throws {
        let kiosk = try ScreenTour.liveKiosk(daemonPath: Self.daemonPath)
        defer { kiosk.shutdown() }
        let tour = try ScreenTour(kiosk: kiosk, screenPort: kiosk.screenPort)
        defer { tour.browser.close() }
        try tour.run(household: ScreenTour.household, unknownCard: ScreenTour.stranger)
        let seen = tour.seen

        // Every state of the screen was shown, in Arabic, right to left.
        #expect(Set(seen.keys) == Set(ScreenState.allCases.map(\.rawValue)), "\(seen.keys.sorted())")
        for observation in seen.values {
            #expect(observation.language == "ar" && observation.direction == "rtl", "\(observation.state)")
            #expect(!observation.title.isEmpty, "\(observation.state)")
        }
        #expect(seen["waiting"]?.title == "أهلاً بكم في ميزان")
        #expect(seen["welcome"]?.markup.contains("<bdi>أم خليل</bdi>") == true, "\(seen["welcome"]?.markup ?? "")")
        #expect(seen["bin_open"]?.title == "بلاستيك")
        #expect(seen["weighing"]?.title == "جارٍ الوزن…")
        #expect(seen["weighing"]?.figures.isEmpty == true)

        // The credited deposit: 1.25 kg of plastic at 3.00/kg → 3.75, in Arabic-Indic digits.
        let credited = try #require(seen["credited"])
        #expect(credited.title == "أُضيف الرصيد")
        #expect(credited.lines.contains("بلاستيك: ١٫٢٥ كغ"), "\(credited.lines)")
        #expect(credited.markup.contains("<bdi>١٫٢٥ كغ</bdi>"), "\(credited.markup)")
        #expect(credited.figures["figure-deposit"] == "٣٫٧٥")
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let household = try #require(try ledger.household(card: ScreenTour.household))
        let balance = try ledger.balance(of: household.id)
        #expect(balance == 375)
        #expect(credited.figures["figure-balance"] == ScreenNumbers(.arabicIndic).amount(balance, in: .beniZeidCredit))

        // Below the minimum: why, and what to do next; no balance.
        let rejected = try #require(seen["rejected"])
        #expect(rejected.lines.first == "الكمية قليلة جداً", "\(rejected.lines)")
        #expect(rejected.advice == "اجمع كمية أكبر وأحضرها في المرة القادمة")
        #expect(rejected.figures["figure-balance"] == nil)

        #expect(seen["goodbye"]?.figures["figure-session"] == "٣٫٧٥")
        #expect(seen["refused"]?.lines.first == "هذه البطاقة غير مسجلة")
        #expect(seen["donation"]?.title == "شكراً لتبرعك")
        #expect(seen["out_of_service"]?.advice.contains("جهازاً آخر") == true)

        // The balance appeared only on the credited and goodbye screens —
        // after the commit — never while weighing.
        #expect(tour.history.contains { $0.state == "weighing" }, "\(tour.history)")
        for entry in tour.history where entry.balance != nil {
            #expect(["credited", "goodbye"].contains(entry.state), "a balance on \(entry.state): \(tour.history)")
        }

        // Served fonts, nothing but the loopback, nothing in the console.
        #expect(credited.loadedFonts.contains("Mizan Arabic"), "\(credited.loadedFonts)")
        let foreign = tour.browser.requests.filter {
            !$0.hasPrefix("http://127.0.0.1:\(kiosk.screenPort)/") && !$0.hasPrefix("about:")
        }
        #expect(foreign.isEmpty, "requests beyond the loopback: \(foreign)")
        #expect(tour.browser.requests.contains { $0.hasSuffix("/fonts/NotoSansArabic-Regular.ttf") })
        #expect(tour.browser.problems.isEmpty, "\(tour.browser.problems)")
        #expect(
            tour.browser.requests.filter { $0.hasSuffix("/?lang=ar") }.count == 1,
            "the page was reloaded: \(tour.browser.requests)")

        // The technicians' English, left to right (the digits stay the configured ones).
        try tour.browser.navigate("http://127.0.0.1:\(kiosk.screenPort)/?lang=en")
        try tour.expect("waiting")
        let english = try #require(tour.seen["waiting"])
        #expect(english.language == "en" && english.direction == "ltr", "\(english)")
        #expect(english.title == "Welcome to Mizan")
    }

    /// The web process itself gone: the page hears nothing, says "out of
    /// service" after 30 s, and is back as soon as the process is, with no
    /// reload and nobody touching it.
    @Test(.enabled(if: HeadlessBrowser.isInstalled, "needs Chromium (make setup installs it)"))
    func thePageSaysOutOfServiceWhenItHearsNothingAndRecoversWhenTheWebProcessIsBack() throws {
        let kiosk = try ScreenTour.liveKiosk(daemonPath: Self.daemonPath)
        defer { kiosk.shutdown() }
        let tour = try ScreenTour(kiosk: kiosk, screenPort: kiosk.screenPort)
        defer { tour.browser.close() }
        try tour.browser.navigate(tour.url)
        try tour.expect("waiting", timeout: .seconds(20))
        kiosk.stopWeb(signal: SIGKILL)
        let silence = Double(ScreenScript.silenceMs) / 1_000
        kiosk.wait(seconds: silence - 5)
        #expect(try tour.browser.text(ScreenTour.shownState) == "waiting")
        try tour.expect("out_of_service", timeout: .seconds(15))
        try kiosk.startWeb()
        try tour.expect("waiting", timeout: .seconds(40))
        kiosk.tap(ScreenTour.household)
        try tour.expect("welcome")
        #expect(tour.browser.requests.filter { $0.hasSuffix("/?lang=ar") }.count == 1, "\(tour.browser.requests)")
    }

    @Test func theScreenServesOnlyTheLoopbackWithItsPolicyAndRefusesOtherHosts() throws {
        let kiosk = try ScreenTour.liveKiosk(daemonPath: Self.daemonPath)
        defer { kiosk.shutdown() }
        let base = "127.0.0.1:\(kiosk.screenPort)"
        let page = try LoopbackTCP.exchange(
            port: kiosk.screenPort, "GET / HTTP/1.1\r\nHost: \(base)\r\nConnection: close\r\n\r\n")
        #expect(page.hasPrefix("HTTP/1.1 200"), "\(page.prefix(300))")
        #expect(page.lowercased().contains("content-security-policy: default-src 'self'"), "\(page.prefix(600))")
        let rebound = try LoopbackTCP.exchange(
            port: kiosk.screenPort, "GET /snapshot HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n")
        #expect(rebound.hasPrefix("HTTP/1.1 421"), "\(rebound.prefix(300))")
        let traversal = try LoopbackTCP.exchange(
            port: kiosk.screenPort,
            "GET /fonts/..%2F..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: \(base)\r\nConnection: close\r\n\r\n")
        #expect(traversal.hasPrefix("HTTP/1.1 404"), "\(traversal.prefix(300))")
        let post = try LoopbackTCP.exchange(
            port: kiosk.screenPort,
            "POST /events HTTP/1.1\r\nHost: \(base)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(!post.hasPrefix("HTTP/1.1 2"), "\(post.prefix(300))")
        let snapshot = try LoopbackTCP.exchange(
            port: kiosk.screenPort, "GET /snapshot?lang=en HTTP/1.1\r\nHost: \(base)\r\nConnection: close\r\n\r\n")
        #expect(snapshot.contains("\"schema\":\"mizan.screen.v1\""), "\(snapshot)")
        // Pages that follow and never read hold at most 8 streams; a ninth is told why.
        var followers: [LoopbackTCP] = []
        for _ in 0..<ScreenFeed.maximumSubscribers {
            let follower = try LoopbackTCP(port: kiosk.screenPort)
            follower.send("GET /events HTTP/1.1\r\nHost: \(base)\r\n\r\n")
            followers.append(follower)
        }
        kiosk.wait(seconds: 0.5)
        let ninth = try LoopbackTCP.exchange(
            port: kiosk.screenPort, "GET /events HTTP/1.1\r\nHost: \(base)\r\nConnection: close\r\n\r\n")
        #expect(ninth.hasPrefix("HTTP/1.1 503"), "\(ninth.prefix(300))")
        followers.removeAll()
        // A page that left is noticed at the next heartbeat (every 5 s) that cannot be written;
        // on a loaded machine that can take a little longer, so ask again until 30 s have passed.
        var answer = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while !answer.hasPrefix("HTTP/1.1 200"), ContinuousClock.now < deadline {
            kiosk.wait(seconds: 1)
            let again = try LoopbackTCP(port: kiosk.screenPort)
            again.send("GET /events HTTP/1.1\r\nHost: \(base)\r\n\r\n")
            if case let .data(bytes) = again.receive(timeout: .seconds(3)) {
                answer = String(decoding: bytes, as: UTF8.self)
            }
        }
        #expect(
            answer.hasPrefix("HTTP/1.1 200"),
            "a page could not follow the screen after the others left: \(answer.prefix(200))")

        // The screen is not on any other address of the board.
        #expect(kiosk.webLog.contains("household screen on http://127.0.0.1:\(kiosk.screenPort)/"))
        #expect(try LoopbackTCP.listeners(port: kiosk.screenPort).allSatisfy { $0 == "127.0.0.1" })
    }
}
