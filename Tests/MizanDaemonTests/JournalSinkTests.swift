import Foundation
import Testing
@testable import MizanDaemon

@Suite("journald's native protocol")
struct JournalSinkTests {
    @Test func singleLineValuesAreKeyEqualsValueLines() {
        let datagram = JournalSink.encode(
            priority: 6, message: "deposit D1 credited", fields: ["MIZAN_EVENT": "deposit"])
        #expect(
            String(decoding: datagram, as: UTF8.self)
                == "MESSAGE=deposit D1 credited\nPRIORITY=6\nSYSLOG_IDENTIFIER=mizand\nMIZAN_EVENT=deposit\n")
    }

    @Test func aValueWithANewlineIsSentWithItsLength() {
        let datagram = JournalSink.encode(priority: 3, message: "two\nlines", fields: [:])
        let expected: [UInt8] = Array("MESSAGE\n".utf8) + [9, 0, 0, 0, 0, 0, 0, 0] + Array("two\nlines\n".utf8)
        #expect(Array(datagram.prefix(expected.count)) == expected)
    }

    @Test(arguments: [
        ("MIZAN_EVENT", true), ("MIZAN_NET_G", true), ("_PID", false), ("mizan_event", false), ("1ST", false),
        ("A-B", false),
    ])
    func fieldNamesFollowJournaldsRule(name: String, valid: Bool) {
        #expect(JournalSink.isValidFieldName(name) == valid)
    }

    @Test func aStreamThatIsNotStderrIsNotTheJournal() {
        #expect(!JournalSink.stderrIs("1:1"))
        #expect(!JournalSink.stderrIs("garbage"))
        #expect(JournalSink.fromEnvironment([:]) == nil)
    }
}
