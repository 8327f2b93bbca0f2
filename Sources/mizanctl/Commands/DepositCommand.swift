import ArgumentParser
import Foundation
import MizanCore
import MizanLedger

struct DepositCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deposit",
        abstract: "Corrections to a recorded deposit.",
        subcommands: [Reverse.self]
    )

    struct Reverse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take back a deposit's credit with a reversal entry (audited; refused twice, never an edit).",
            discussion: """
                The deposit stays in the ledger as it was; a new entry moves its credit back from the household.
                Example:
                  mizanctl deposit reverse sim-live-D17 --reason "stones in the glass bin, confirmed by the cooperative"
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The deposit id, as households show and the log print it.") var id: String
        @Option(help: "Why, in words the cooperative will understand later.") var reason: String
        @Flag(help: "Print the reversal as JSON.") var json = false

        func validate() throws {
            if let problem = FreeText.problem(with: reason, as: "--reason", limits: FreeText.reason) {
                throw ValidationError(problem)
            }
            if reason.trimmingCharacters(in: .whitespaces).count < 5 {
                throw ValidationError("--reason must say why (at least 5 characters)")
            }
        }

        func run() throws {
            let ledger = try ledger.openForWriting()
            let reversal = try ledgerCall { () throws(LedgerError) in
                try ledger.reverseDeposit(id, reason: reason, actor: Operator.actor, at: Operator.clock)
            }
            if json {
                return try printJSON([
                    "deposit": reversal.deposit, "entry_id": String(reversal.entryID),
                    "amount_minor_units": String(reversal.amount), "household_id": String(reversal.household.rawValue),
                ])
            }
            print(
                "reversed deposit \(id): \(ledger.currency.format(minorUnits: reversal.amount)) taken back from household \(reversal.household.rawValue) (entry \(reversal.entryID))"
            )
        }
    }
}
