import Testing

@testable import MizanSimulator

/// The power-cut run's judge: what it calls lost, doubled and unexplained
/// when a recovered ledger is compared with the acknowledgements.
@Suite("Power cuts: the audit of a recovered ledger")
struct PowerCutAuditTests {
    typealias Deposit = PowerCutLedgerSnapshot.Deposit

    func audit() -> PowerCutAudit {
        var audit = PowerCutAudit()
        audit.record(
            PowerCutMark.read(
                """
                starting
                ready 2000
                checked
                drop 1 210
                acked 1 vm-kiosk-D1 210
                drop 2 220
                acked 2 vm-kiosk-D2 220
                drop 3 230
                acked 3 vm-kio
                """))
        return audit
    }

    func snapshot(_ deposits: [Deposit]) -> PowerCutLedgerSnapshot {
        PowerCutLedgerSnapshot(boot: 2, verified: true, problems: [], inService: true, deposits: deposits)
    }

    @Test func aLineCutByThePowerIsNoAcknowledgement() {
        let audit = audit()
        #expect(audit.drops == [1: 210, 2: 220, 3: 230])
        #expect(audit.acknowledged.keys.sorted() == [1, 2])
        #expect(audit.nextDrop == 4)
    }

    @Test func everyAcknowledgedDepositPresentOnceIsClean() {
        let findings = audit().check(
            snapshot([
                Deposit(id: "vm-kiosk-D1", netGrams: 210, reason: "credited"),
                Deposit(id: "vm-kiosk-D2", netGrams: 220, reason: "credited"),
                // Committed, never acknowledged: the cut came between.
                Deposit(id: "vm-kiosk-D3", netGrams: 230, reason: "credited"),
            ]))
        #expect(findings.clean)
        #expect(findings.creditedInLedger == 3)
    }

    @Test func aMissingOrChangedCreditIsLost() {
        let findings = audit().check(
            snapshot([Deposit(id: "vm-kiosk-D2", netGrams: 200, reason: "credited")]))
        #expect(findings.lost.count == 2, "\(findings.lost)")
        #expect(findings.lost.contains { $0.contains("vm-kiosk-D1") && $0.contains("gone") })
        #expect(findings.lost.contains { $0.contains("vm-kiosk-D2") && $0.contains("200 g") })
    }

    @Test func aDropCreditedTwiceIsDoubledAndAStrangerIsUnexplained() {
        let findings = audit().check(
            snapshot([
                Deposit(id: "vm-kiosk-D1", netGrams: 210, reason: "credited"),
                Deposit(id: "vm-kiosk-D2", netGrams: 220, reason: "credited"),
                Deposit(id: "vm-kiosk-D3", netGrams: 220, reason: "credited"),
                Deposit(id: "vm-kiosk-D4", netGrams: 990, reason: "credited"),
                Deposit(id: "vm-kiosk-D5", netGrams: 40, reason: "below_minimum"),
            ]))
        #expect(findings.doubled == ["deposit vm-kiosk-D3 (220 g) repeats drop 2"])
        #expect(findings.unexplained == ["deposit vm-kiosk-D4 (990 g) matches no drop"])
        #expect(findings.otherOutcomes == ["below_minimum": 1])
        #expect(!findings.clean)
    }

    @Test func eachDropWeighsItsOwnMultipleOfTheDivision() {
        let grams = (1...280).map(PowerCutAudit.grams(ofDrop:))
        #expect(Set(grams).count == 280)
        #expect(grams.allSatisfy { $0 % 10 == 0 && $0 >= 200 && $0 < 3_000 })
    }
}
