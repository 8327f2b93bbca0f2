import Foundation
import Testing
@testable import MizanHTTP
@testable import MizanLedger

@Suite("The cooperatives' HTTP service over loopback", .serialized)
struct CooperativeServiceTests {
    @Test(arguments: [
        "day=2026-03-28", "day=2026-10-24", "from=2026-03-27&to=2026-03-29", "from=2026-10-23&to=2026-10-26",
    ])
    func totalsAreExactlyWhatMizanctlPrints(query: String) async throws {
        let served = try await ServedLedger.make()
        let reply = try await served.get("/api/v1/totals?\(query)")
        #expect(reply.status == 200, "\(reply.body)")
        #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
        var arguments = ["totals", "--format", "json", "--db", served.path]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=")
            arguments += ["--\(parts[0])", String(parts[1])]
        }
        let mizanctl = try Mizanctl.run(arguments)
        #expect(mizanctl.status == 0)
        #expect(reply.body == mizanctl.output)
    }

    @Test func theDaylightSavingDaysHaveTheirLengthAndTheirDeposits() async throws {
        let served = try await ServedLedger.make()
        let spring =
            try JSONSerialization.jsonObject(
                with: Data(try await served.get("/api/v1/totals?day=2026-03-28").body.utf8)) as? [String: Any]
        let day = (spring?["days"] as? [[String: Any]])?.first
        #expect(day?["hours"] as? Int == 23)
        // 06:00Z and 20:59Z (23:59 summer time) are on the 28th; 21:01Z is already the 29th locally.
        #expect((day?["total"] as? [String: Any])?["deposits"] as? Int == 2)
        let autumn =
            try JSONSerialization.jsonObject(
                with: Data(try await served.get("/api/v1/totals?day=2026-10-24").body.utf8)) as? [String: Any]
        #expect(((autumn?["days"] as? [[String: Any]])?.first?["hours"]) as? Int == 25)
    }

    @Test func csvParsesWithTheSameFigures() async throws {
        let served = try await ServedLedger.make()
        let reply = try await served.get("/api/v1/totals?from=2026-03-27&to=2026-03-29&format=csv")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(reply.body.hasPrefix("\u{FEFF}"))
        let rows = reply.body.dropFirst().split(separator: "\r\n", omittingEmptySubsequences: true).map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = try #require(rows.first).map(String.init)
        #expect(header == TotalsCSV.header)
        #expect(rows.dropFirst().allSatisfy { $0.count == header.count }, "\(reply.body)")
        let mizanctl = try Mizanctl.run([
            "totals", "--format", "csv", "--from", "2026-03-27", "--to", "2026-03-29", "--db", served.path,
        ])
        #expect(reply.body == mizanctl.output)
    }

    @Test func tokensAreEnforcedAndARevokedOneStopsWorking() async throws {
        let served = try await ServedLedger.make()
        let missing = try await served.get("/api/v1/health", token: .some(nil))
        #expect(missing.status == 401)
        #expect(missing.headers["www-authenticate"]?.contains("Bearer") == true)
        #expect(try await served.get("/api/v1/health", token: "mzn_not-a-real-token").status == 401)
        let health = try await served.get("/api/v1/health")
        #expect(health.status == 200, "\(health.body)")
        #expect(health.body.contains("\"in_service\" : true"))
        // A person's bookmark carries the token in the query.
        #expect(try await served.get("/report?token=\(served.token)", token: .some(nil)).status == 200)
        #expect(
            served.pulls.all.contains {
                $0.1["MIZAN_COOPERATIVE"] == "Olive Cooperative" && $0.1["MIZAN_ENDPOINT"] == "health"
            })

        try served.ledger.revokeCooperativeTokens(
            cooperative: "Olive Cooperative", actor: "tech", at: ServedLedger.clock("2026-11-02T08:00:00Z"))
        #expect(try await served.get("/api/v1/health").status == 401)
    }

    @Test func guessingTokensIsSlowedDown() async throws {
        let served = try await ServedLedger.make()
        for _ in 0..<AccessGate().failuresAllowed {
            #expect(try await served.get("/api/v1/health", token: "mzn_guess").status == 401)
        }
        // The guesser waits out the window…
        #expect(try await served.get("/api/v1/health", token: "mzn_guess").status == 429)
        // …but a cooperative behind the same address (one NAT) is let in.
        #expect(try await served.get("/api/v1/health").status == 200)
        #expect(try await served.get("/api/v1/health", token: "mzn_guess_again").status == 429)
    }

    /// A parameter holding control characters once broke the error body's
    /// JSON; `+026-11-30` was taken as year 26; HEAD got 404.
    @Test func refusalsAreValidJSONDatesAreExactAndHeadIsAnswered() async throws {
        let served = try await ServedLedger.make()
        for target in [
            "/api/v1/totals?day=%01%1B%5B2J%22%5C%0A", "/api/v1/totals?day=%2B026-11-30",
            "/api/v1/totals?from=2026-11-01&to=%EF%BC%92026-11-30",
            "/api/v1/totals?format=%00%22x",
        ] {
            let reply = try await served.get(target)
            #expect(reply.status == 400, "\(target): \(reply.body)")
            let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
            #expect(object?["status"] as? Int == 400, "\(target): \(reply.body)")
            #expect((object?["error"] as? String)?.isEmpty == false, "\(target): \(reply.body)")
        }
        let head = try await served.get("/api/v1/health", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-type"]?.hasPrefix("application/json") == true, "\(head.headers)")
        #expect(try await served.get("/api/v1/health", token: .some(nil), method: "HEAD").status == 401)
        #expect(try await served.get("/nowhere", method: "HEAD").status == 404)
    }

    @Test(arguments: [
        ("/api/v1/totals?day=2026-02-30", 400, "not a date"),
        ("/api/v1/totals?day=28-03-2026", 400, "not a date"),
        ("/api/v1/totals?day=..%2F..%2Fetc%2Fpasswd", 400, "not a date"),
        ("/api/v1/totals?from=2026-03-29&to=2026-03-01", 400, "after"),
        ("/api/v1/totals?from=2020-01-01&to=2026-01-01", 400, "at most 366 days"),
        // 367 calendar days across a spring-forward day (23 hours long) are 367, not 366.
        ("/api/v1/totals?from=2026-03-27&to=2027-03-28", 400, "this one is 367"),
        ("/api/v1/totals?from=2026-03-01", 400, "both from= and to="),
        ("/api/v1/totals?day=2026-03-28&from=2026-03-01&to=2026-03-02", 400, "not both"),
        ("/api/v1/totals?day=2026-03-28&format=xml", 400, "json or csv"),
        ("/api/v1/../../etc/passwd", 404, ""),
        ("/api/v1/totals/../../ledger.sqlite", 404, ""),
        ("/ledger.sqlite", 404, ""),
    ])
    func malformedRequestsGetAClearClientError(target: String, status: Int, words: String) async throws {
        let served = try await ServedLedger.make()
        let before = try served.ledger.export()
        let reply = try await served.get(target)
        #expect(reply.status == status, "\(target): \(reply.status) \(reply.body)")
        #expect(words.isEmpty || reply.body.contains(words), "\(reply.body)")
        // And nothing else happened.
        #expect(try served.ledger.export().tables == before.tables)
    }

    @Test func aFullYearAcrossSpringForwardIsServed() async throws {
        let served = try await ServedLedger.make()
        let reply = try await served.get("/api/v1/totals?from=2026-03-28&to=2027-03-28")
        #expect(reply.status == 200, "\(reply.body)")
    }

    @Test func nothingWrites() async throws {
        let served = try await ServedLedger.make()
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let reply = try await served.get("/api/v1/totals?day=2026-03-28", method: method)
            #expect((400..<500).contains(reply.status), "\(method): \(reply.status)")
        }
    }

    @Test func chainHeadsAreThoseOfTheTotals() async throws {
        let served = try await ServedLedger.make()
        let reply = try await served.get("/api/v1/chain-heads?from=2026-03-27&to=2026-03-29")
        #expect(reply.status == 200)
        let heads = try TotalsReport.chainHeads(
            inReport: try await served.get("/api/v1/totals?from=2026-03-27&to=2026-03-29").body, kiosk: "bz-01")
        #expect(!heads.isEmpty)
        for head in heads { #expect(reply.body.contains(head.hash)) }
        #expect(reply.body.contains("mizan.chain-heads.v1"))
    }

    @Test func theReportPageIsArabicFirstWithAnEnglishSwitch() async throws {
        let served = try await ServedLedger.make(inService: false)
        let arabic = try await served.get("/report?day=2026-03-28")
        #expect(arabic.status == 200)
        #expect(arabic.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(arabic.body.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(arabic.body.contains("الجهاز خارج الخدمة: scale: sensor_silent"))
        #expect(arabic.body.contains("<b id=\"credit\"><bdi>20.50 XBZ</bdi></b>"), "\(arabic.body)")
        #expect(arabic.body.contains("<b id=\"households\">1</b>"))
        #expect(arabic.body.contains("<svg id=\"chart\""))
        #expect(!arabic.body.contains("http://") && !arabic.body.contains("https://"), "no external assets")
        #expect(arabic.body.contains("lang=en&amp;day=2026-03-28"))
        let english = try await served.get("/report?day=2026-03-28&lang=en")
        #expect(english.body.contains("<html lang=\"en\" dir=\"ltr\">"))
        #expect(english.body.contains("Kilograms per material, last 30 days"))
    }
}
