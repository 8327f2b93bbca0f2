import ArgumentParser
import Foundation
import MizanCore
import MizanLedger

struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "The cooperatives' access tokens for the HTTP service (kept only as hashes; audited).",
        subcommands: [Create.self, Revoke.self, List.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token for a cooperative and show it, once.",
            discussion: """
                Give the token to the cooperative; it is not stored and cannot be shown again (create another if it is lost).
                Example:
                  mizanctl tokens create "Beni Zeid Olive Cooperative"
                """
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The cooperative's name, as the pull log will show it.") var cooperative: String

        func validate() throws {
            let trimmed = cooperative.trimmingCharacters(in: .whitespaces)
            if let problem = FreeText.problem(with: trimmed, as: "the cooperative's name", limits: FreeText.name) {
                throw ValidationError(problem)
            }
        }

        func run() throws {
            let ledger = try ledger.openForWriting()
            let created = try ledgerCall { () throws(LedgerError) in
                try ledger.createCooperativeToken(
                    cooperative: cooperative.trimmingCharacters(in: .whitespaces), actor: Operator.actor,
                    at: Operator.clock)
            }
            print("token \(created.id) for \(Bidi.isolate(cooperative)) (shown only now; keep it secret):")
            print(created.token)
            print(
                "use it as: curl -H 'Authorization: Bearer \(created.token)' http://KIOSK:8080/api/v1/totals?day=YYYY-MM-DD"
            )
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke every active token of a cooperative; it stops working at once.",
            discussion: "Example:\n  mizanctl tokens revoke \"Beni Zeid Olive Cooperative\""
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The cooperative's name.") var cooperative: String

        func run() throws {
            let ledger = try ledger.openForWriting()
            let count = try ledgerCall { () throws(LedgerError) in
                try ledger.revokeCooperativeTokens(cooperative: cooperative, actor: Operator.actor, at: Operator.clock)
            }
            print("revoked \(count) token\(count == 1 ? "" : "s") of \(Bidi.isolate(cooperative))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every token: its cooperative, when it was made and by whom, whether it is revoked.",
            discussion: "Example:\n  mizanctl tokens list --json"
        )
        @OptionGroup var ledger: LedgerOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() throws {
            let ledger = try ledger.openForReading()
            let tokens = try ledgerCall { () throws(LedgerError) in try ledger.cooperativeTokens() }
            if json { return try printJSON(tokens) }
            if tokens.isEmpty { print("no tokens; create one with: mizanctl tokens create COOPERATIVE") }
            for token in tokens {
                let state =
                    token.revokedAt.map { "revoked \(WallClockTime(millisecondsSinceEpoch: $0).iso8601)" } ?? "active"
                print(
                    "\(token.id)  \(Bidi.isolate(token.cooperative))  created \(WallClockTime(millisecondsSinceEpoch: token.createdAt).iso8601) by \(token.createdBy)  \(state)"
                )
            }
        }
    }
}
