// Commits deposits in a loop and reports each one on stdout only after the
// ledger returned, so that a parent that kills this process at a random
// moment knows exactly which deposits must have survived.
//
// usage: ledger-crash-child DATABASE FIRST-SEQUENCE
import Foundation
import MizanCore
import MizanLedger

let arguments = CommandLine.arguments
guard arguments.count == 3, let first = Int64(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: ledger-crash-child DATABASE FIRST-SEQUENCE\n".utf8))
    exit(2)
}

do {
    let ledger = try Ledger.open(path: arguments[1], kioskID: "crash")
    let household = HouseholdID(1)
    var sequence = first
    while true {
        let grams = 200 + sequence % 977
        let value = grams * 300
        let record = DepositRecord(
            id: DepositID(kioskID: "crash", sequence: sequence), session: nil, household: household,
            bin: "plastic", material: "plastic", binsOpened: ["plastic"], baseline: Grams(0), final: Grams(grams),
            net: Grams(grams), creditedGrams: Grams(grams), priceVersion: 1, ratePerKilogram: 300, credit: value / 1000,
            currencyCode: "XBZ", carryIn: .zero, carryOut: CreditCarry(thousandths: value % 1000) ?? .zero,
            reason: .credited, lidOpenedAt: .origin, lidClosedAt: nil, decidedAt: .origin
        )
        let now = WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        let commit = try ledger.commitDeposit(record, at: LedgerClockReading(wall: now, synchronized: true))
        // A retried commit after a restart must be a no-op.
        if sequence % 7 == 0 {
            _ = try ledger.commitDeposit(record, at: LedgerClockReading(wall: now, synchronized: true))
        }
        // Unbuffered: the line leaves the process before the next commit.
        FileHandle.standardOutput.write(Data("committed \(record.id) \(commit.credit)\n".utf8))
        sequence += 1
    }
} catch {
    FileHandle.standardError.write(Data("ledger-crash-child: \(error)\n".utf8))
    exit(1)
}
