import Foundation
import MizanControl
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// The daemon's typed event stream, as the web process and a technician
/// follow it: what each household was shown, with the deposit it is about,
/// and "credited" only once the ledger holds the deposit.
extension LiveDaemonTests {
    @Test func theEventStreamCarriesEachFeedbackAfterItsCommit() throws {
        let kiosk = try runningKiosk()
        defer { kiosk.shutdown() }

        let events = Locked<[KioskEventReport]>([])
        let following = Locked(true)
        let socket = kiosk.controlSocket
        let follower = Thread {
            try? ControlClient.stream(ControlRequest(.events), to: socket, timeout: .seconds(5)) { response in
                if let event = response.event { events.update { $0.append(event) } }
                return following.value
            }
        }
        follower.start()
        kiosk.wait(seconds: 0.5)
        kiosk.tap(Self.cardA)
        kiosk.deposit(1_250, into: "plastic")
        kiosk.wait(seconds: 0.7)  // away longer than the presence gap
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("closed (card_tapped_again)"), "\(kiosk.log)")
        kiosk.tap(LiveDaemonTests.unknownCard)
        #expect(kiosk.waitForLog("refused (unknown_card)"), "\(kiosk.log)")
        kiosk.wait(seconds: 0.5)
        following.set(false)

        let seen = events.value
        let feedback = seen.compactMap(\.feedback)
        #expect(
            feedback.map(\.outcome) == [.sessionOpened, .credited, .sessionClosed, .tapRefused],
            "\(seen.map(\.message))")
        let credited = try #require(seen.first { $0.feedback?.outcome == .credited })
        #expect(credited.feedback?.depositId == "sim-live-D1")
        #expect(credited.feedback?.creditMinor == 375)
        #expect(credited.feedback?.grams == 1_250)
        #expect(credited.kind == "feedback")
        // The deposit's own line (written once committed) comes first.
        let committed = try #require(seen.first { $0.kind == "deposit" }, "\(seen.map(\.message))")
        #expect(committed.sequence < credited.sequence)
        #expect(committed.message.contains("sim-live-D1"))
        let refused = try #require(seen.first { $0.feedback?.outcome == .tapRefused })
        #expect(refused.feedback?.reason == "unknown_card")
        #expect(refused.feedback?.card == LiveDaemonTests.unknownCard.description)
        #expect(kiosk.stopDaemon() == 0)
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        #expect(try ledger.balance(of: HouseholdID(1)) == 375)
    }
}
