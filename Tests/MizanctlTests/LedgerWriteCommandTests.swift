import Foundation
import Testing
@testable import MizanCore
@testable import MizanLedger

/// The technician's commands that change the ledger, run as the real
/// `mizanctl` against a real ledger file: each is audited, none edits
/// history.
@Suite("mizanctl: households, prices, reversals, events")
struct LedgerWriteCommandTests {
    func run(_ sample: SampleLedger, _ arguments: String...) throws -> CommandResult {
        try Mizanctl.run(arguments + ["--db", sample.path])
    }

    /// A new kiosk's ledger made before the daemon's first start, from its
    /// configuration: households and prices go in before anyone deposits.
    @Test func aLedgerIsCreatedFromTheConfigurationOnceAndOnlyOnce() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/mizan-init-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/mizan.yaml"
        try """
        kiosk: {id: bz-school, time_zone: Asia/Hebron}
        scale: {driver: serial, serial: {device: /dev/ttyUSB0}}
        bins: [{id: plastic, line: "name:LID_PLASTIC"}, {id: metal, line: "name:LID_METAL"}]
        card_reader: {driver: rdm6300, device: /dev/ttyUSB1}
        outputs: {green: "name:LED_GREEN", red: "name:LED_RED", buzzer: "name:BUZZER"}
        paths: {state_dir: \(directory)/state, control_socket: \(directory)/control.sock}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let created = try Mizanctl.run(["ledger", "init", "--config", config])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("bz-school"), "\(created.stdout)")
        let path = directory + "/state/ledger.sqlite"
        #expect(
            try Mizanctl.run(["households", "add", "0A1B2C3D4E", "--name", "Umm Khalil", "--db", path]).status == 0)
        #expect(try Mizanctl.run(["prices", "set", "plastic", "300", "--from", "now", "--db", path]).status == 0)
        let again = try Mizanctl.run(["ledger", "init", "--config", config])
        #expect(again.status == 2 && again.stderr.contains("already stands"), "\(again.stderr)")
        let ledger = try Ledger.openExisting(path: path, readOnly: true)
        #expect(ledger.kioskID == "bz-school")
        #expect(try ledger.households().count == 1)
        #expect(try ledger.auditLog(kind: .action).contains { $0.summary == "ledger created for kiosk bz-school" })
        #expect(try ledger.verify().ok)
        // Even an empty file is a ledger lost, not room for a new one.
        let empty = directory + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(try Mizanctl.run(["ledger", "init", "--config", config, "--db", empty]).status == 2)
    }

    @Test func aHouseholdIsAddedBlockedAndUnblockedWithEachChangeAudited() throws {
        let sample = try SampleLedger()
        let add = try run(sample, "households", "add", "A1B2C3D4E5", "--name", "أم خليل")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("registered card A1B2C3D4E5 as household 3"))
        let again = try run(sample, "households", "add", "a1b2c3d4e5", "--name", "Someone else")
        #expect(again.status == 2)
        #expect(again.stderr.contains("already registered"))
        #expect(try run(sample, "households", "block", "A1B2C3D4E5").status == 0)
        let lookup = try sample.ledger.lookup(
            card: CardUID("A1B2C3D4E5")!, at: SampleLedger.clock("2026-04-01T00:00:00Z"))
        #expect(lookup == .blocked(HouseholdID(3)))
        #expect(try run(sample, "households", "unblock", "A1B2C3D4E5").status == 0)
        let audit = try sample.ledger.auditLog(kind: .household).map(\.summary)
        #expect(audit.contains("registered card A1B2C3D4E5 for أم خليل"))
        #expect(audit.contains("card A1B2C3D4E5 blocked"))
        #expect(audit.contains("card A1B2C3D4E5 unblocked"))
        #expect(try sample.ledger.auditLog(kind: .household).last?.actor.hasPrefix("uid \(getuid())") == true)
        let missing = try run(sample, "households", "block", "FFFF0000")
        #expect(missing.status == 2 && missing.stderr.contains("not registered"))
        let neither = try run(sample, "households", "add", "--name", "x")
        #expect(neither.status == 2)
    }

    /// A NUL in an imported name once cut the stored name short of what
    /// the audit hash covered, and `ledger verify` failed for good.
    @Test func hostileTextIsRefusedEverywhereItEntersAndTheLedgerStillVerifies() throws {
        let sample = try SampleLedger()
        let csv = sample.directory + "/hostile.csv"
        let names = [
            "Umm\u{0}Khalil", "\u{1B}]8;;http://x\u{7}Click\u{1B}]8;;\u{7}", "abc\u{202E}fed", "Abu \u{2066}Ali",
            "C1\u{85}control", String(repeating: "ب", count: 300), String(repeating: "e\u{301}", count: 121),
            "\u{0653}ب",
        ]
        var text = "card_uid,name\n"
        for (index, name) in names.enumerated() { text += "C0FFEE000\(index),\"\(name)\"\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
        let refused = try run(sample, "households", "import", csv)
        #expect(refused.status == 2)
        for (line, words) in [
            (2, "a NUL byte"), (3, "an escape sequence"), (4, "a bidirectional control"),
            (5, "a bidirectional control"),
            (6, "a C1 control character"), (7, "longer than 400 bytes"), (8, "longer than 120 characters"),
            (9, "begins with a combining mark"),
        ] {
            #expect(
                refused.stderr.contains("line \(line): the name") && refused.stderr.contains(words),
                "line \(line): \(refused.stderr)")
        }
        #expect(try sample.ledger.households().count == 2)

        // The same rules at every other door: add, token names, reversal reasons…
        let add = try run(sample, "households", "add", "C0FFEE00AA", "--name", "Umm\u{1B}[2JKhalil")
        #expect(add.status == 2 && add.stderr.contains("an escape sequence"), "\(add.stderr)")
        let token = try run(sample, "tokens", "create", "Olive\u{202E}Coop")
        #expect(token.status == 2 && token.stderr.contains("a bidirectional control"), "\(token.stderr)")
        let reverse = try run(sample, "deposit", "reverse", "bz-01-D1", "--reason", "stones\u{7} in the bin")
        #expect(reverse.status == 2 && reverse.stderr.contains("a control character"), "\(reverse.stderr)")
        // …and at the ledger itself, whoever calls it.
        #expect(throws: LedgerError.self) {
            try sample.ledger.registerHousehold(
                card: CardUID("C0FFEE00BB")!, name: "a\u{0}b", actor: "test",
                at: SampleLedger.clock("2026-04-01T00:00:00Z"))
        }
        #expect(try sample.ledger.verify().ok)

        // Arabic with its own marks and a name with combining accents pass.
        let good = try run(sample, "households", "add", "C0FFEE00CC", "--name", "أمّ خليل الحدّاد")
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try sample.ledger.verify().ok)
    }

    /// A 50 MB one-line file once took 1 GB of memory to read.
    @Test func anOversizedFileOrRecordIsRefusedWithoutBeingHeldWhole() throws {
        let sample = try SampleLedger()
        let huge = sample.directory + "/huge.csv"
        let handle = try #require(
            FileManager.default.createFile(atPath: huge, contents: Data("card_uid,name\n".utf8))
                ? FileHandle(forWritingAtPath: huge) : nil)
        handle.seekToEndOfFile()
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<50 { handle.write(chunk) }
        try handle.close()
        let refused = try run(sample, "households", "import", huge)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("larger than a households file can be"), "\(refused.stderr)")

        let long = sample.directory + "/long.csv"
        try ("card_uid,name\nC0FFEE0001," + String(repeating: "ب", count: 10_000) + "\nC0FFEE0002,Abu Ali\n").write(
            toFile: long, atomically: true, encoding: .utf8)
        let line = try run(sample, "households", "import", long)
        #expect(line.status == 2)
        #expect(line.stderr.contains("line 2: the line is longer than 4096 characters"), "\(line.stderr)")
        #expect(try sample.ledger.households().count == 2)
    }

    @Test func anImportIsAllOrNothingAndNamesEveryBadLine() throws {
        let sample = try SampleLedger()
        let directory = sample.directory
        let bad = directory + "/bad.csv"
        try """
        card_uid,name
        C0FFEE0001,"Haddad, Samira"
        not-a-card,Abu Ali
        C0FFEE0001,Twice
        0A1B2C3D4E,Already here
        C0FFEE0002,
        """.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try run(sample, "households", "import", bad)
        #expect(refused.status == 2)
        for line in [
            "line 3: \"not-a-card\" is not a card UID", "line 4: card C0FFEE0001 appears already on line 2",
            "line 5: card 0A1B2C3D4E is already registered", "line 6: the name is empty",
        ] {
            #expect(refused.stderr.contains(line), "\(line) missing: \(refused.stderr)")
        }
        #expect(refused.stderr.contains("nothing was imported"))
        #expect(try sample.ledger.households().count == 2)

        let good = directory + "/good.csv"
        try "\u{FEFF}name,card_uid,street\r\n\"Haddad, Samira\",C0FFEE0001,Main\r\nأبو علي,C0FFEE0002,\r\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        let dry = try run(sample, "households", "import", good, "--dry-run")
        #expect(dry.status == 0 && dry.stdout.contains("2 households would be imported"), "\(dry.stderr)")
        #expect(try sample.ledger.households().count == 2)
        let imported = try run(sample, "households", "import", good)
        #expect(imported.status == 0, "\(imported.stderr)")
        let names = try sample.ledger.households().map(\.name)
        #expect(names == ["Umm Khalil", "Abu Sami", "Haddad, Samira", "أبو علي"])
    }

    @Test func aPriceChangeIsANewVersionFromItsTimeAndNeverReachesBack() throws {
        let sample = try SampleLedger()
        let set = try run(sample, "prices", "set", "plastic", "350", "--from", "2030-01-01")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("published price version 2"))
        let schedule = try sample.ledger.priceSchedule()
        #expect(schedule.tables.map(\.version) == [1, 2])
        #expect(schedule.tables[1].ratesPerKilogram["plastic"] == 350)
        #expect(schedule.tables[1].ratesPerKilogram["metal"] == 800)
        // 2030-01-01 local midnight in Hebron is 22:00 UTC the day before.
        #expect(schedule.tables[1].effectiveFrom.iso8601.hasPrefix("2029-12-31T22:00:00"))
        let show = try run(sample, "prices", "show", "--at", "2030-06-01")
        #expect(show.stdout.contains("version 2") && show.stdout.contains("3.50 XBZ per kg"), "\(show.stdout)")
        let json = try run(sample, "prices", "show", "--json")
        #expect(json.stdout.contains("\"schema\" : \"mizan.prices.v1\""))
        let past = try run(sample, "prices", "set", "metal", "900", "--from", "2026-01-01")
        #expect(past.status == 2 && past.stderr.contains("never retroactive"), "\(past.stderr)")
        let unknown = try run(sample, "prices", "set", "gold", "9000", "--from", "now")
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown material"))
        #expect(try sample.ledger.auditLog(kind: .price).count == 2)
    }

    @Test func aDepositIsReversedOnceWithItsReason() throws {
        let sample = try SampleLedger()
        let reverse = try run(sample, "deposit", "reverse", "bz-01-D2", "--reason", "it was not metal")
        #expect(reverse.status == 0, "\(reverse.stderr)")
        #expect(reverse.stdout.contains("reversed deposit bz-01-D2: 16.00 XBZ taken back from household 1"))
        let twice = try run(sample, "deposit", "reverse", "bz-01-D2", "--reason", "it was not metal")
        #expect(twice.status == 2 && twice.stderr.contains("already reversed"))
        let nothing = try run(sample, "deposit", "reverse", "bz-01-D5", "--reason", "below the minimum")
        #expect(nothing.status == 2 && nothing.stderr.contains("nothing to reverse"))
        #expect(try sample.ledger.verify().ok)
    }

    @Test func eventsAreFilteredByKindAndTime() throws {
        let sample = try SampleLedger()
        try sample.ledger.recordFault(
            "scale: sensor_silent", raised: true, at: SampleLedger.clock("2026-03-29T08:00:00Z"))
        try sample.ledger.recordFault(
            "scale: sensor_silent", raised: false, at: SampleLedger.clock("2026-03-29T08:05:00Z"))
        let all = try run(sample, "events")
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("fault         mizand: scale: sensor_silent raised: out of service"))
        #expect(all.stdout.contains("reversal      tech: reversed deposit bz-01-D3: paper was wet"))
        let faults = try run(sample, "events", "--kind", "fault", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(faults.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "mizan.events.v1")
        #expect((object["events"] as? [[String: Any]])?.count == 2)
        let window = try run(sample, "events", "--since", "2026-03-29T08:01:00Z", "--until", "2026-03-29T09:00:00Z")
        #expect(window.stdout.contains("cleared") && !window.stdout.contains("raised"), "\(window.stdout)")
        #expect(!window.stdout.contains("paper was wet"))
        let earlier = try run(sample, "events", "--until", "2026-03-28T17:00:00Z", "--kind", "reversal")
        #expect(earlier.stdout.contains("paper was wet"), "\(earlier.stdout)")
        let badKind = try run(sample, "events", "--kind", "weather")
        #expect(badKind.status == 2 && badKind.stderr.contains("unknown kind"))
    }

    @Test func aTokenIsShownOnceKeptAsAHashAndRevoked() throws {
        let sample = try SampleLedger()
        let created = try run(sample, "tokens", "create", "Olive Cooperative")
        #expect(created.status == 0, "\(created.stderr)")
        let token = try #require(created.stdout.split(separator: "\n").first { $0.hasPrefix("mzn_") }.map(String.init))
        #expect(try sample.ledger.cooperative(forToken: token) == "Olive Cooperative")
        // Only the hash is in the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sample.path))
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        let list = try run(sample, "tokens", "list")
        #expect(
            list.stdout.contains("Olive Cooperative") && list.stdout.contains("active") && !list.stdout.contains(token))
        #expect(try run(sample, "tokens", "revoke", "Olive Cooperative").status == 0)
        #expect(try sample.ledger.cooperative(forToken: token) == nil)
        let again = try run(sample, "tokens", "revoke", "Olive Cooperative")
        #expect(again.status == 2 && again.stderr.contains("no active token"))
        #expect(
            try sample.ledger.auditLog(kind: .configuration).map(\.summary).contains(
                "HTTP token 1 of cooperative Olive Cooperative revoked"))
    }
}
