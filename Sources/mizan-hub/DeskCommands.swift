import ArgumentParser
import Foundation
import MizanCore
import MizanHub

/// The administrator's side of the redemption desk.
extension MizanHubCommand {
    struct AddCooperative: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cooperative-add", abstract: "Add a cooperative that accepts the village's credit.")
        @OptionGroup var database: Database
        @Argument(help: "Its id (a-z, 0-9, -).") var id: String
        @Argument(help: "Its name, as receipts show it.") var name: String

        func run() async throws {
            let store = HubStore(database.connection)
            try await store.whileRunning { try await store.addCooperative(id: id, name: name) }
            print("cooperative \(id) added")
        }
    }

    struct AddCashier: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cashier-add", abstract: "Give a cashier a login and print its token, once.")
        @OptionGroup var database: Database
        @Argument(help: "The cashier's id (one per person).") var id: String
        @Option(help: "The cashier's cooperative.") var cooperative: String

        func run() async throws {
            let store = HubStore(database.connection)
            print(try await store.whileRunning { try await store.addCashier(id: id, cooperative: cooperative) })
        }
    }

    struct RevokeCashier: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cashier-revoke", abstract: "Revoke a cashier's login at once (their history stays).")
        @OptionGroup var database: Database
        @Argument(help: "The cashier's id.") var id: String

        func run() async throws {
            let store = HubStore(database.connection)
            guard try await store.whileRunning({ try await store.revokeCashier(id: id) }) else {
                throw ValidationError("no cashier \(id) with a login to revoke")
            }
            print("cashier \(id) revoked")
        }
    }

    struct SetPIN: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pin-set",
            abstract: "Set a household's redemption PIN (read from standard input, 4 to 8 digits); clears a lock.")
        @OptionGroup var database: Database
        @Argument(help: "The household's card UID.") var card: String

        func run() async throws {
            guard let pin = readLine(strippingNewline: true), PINHash.isAcceptable(pin) else {
                throw ValidationError("a PIN is 4 to 8 digits, on standard input")
            }
            let store = HubStore(database.connection)
            try await store.whileRunning { try await store.setPIN(card: card, pin: pin) }
            print("PIN set for card \(card)")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check the redemptions' chain, voids and that no card spent more than it earned; with --against, that a saved settlement's head is still in the chain."
        )
        @OptionGroup var database: Database
        @Option(help: "A saved settlement report (JSON).") var against: String?

        func run() async throws {
            var head: Settlement.SettlementHead?
            if let against {
                guard let data = FileManager.default.contents(atPath: against),
                    let saved = try? JSONDecoder().decode(Settlement.self, from: data)
                else { throw ValidationError("\(against) is not a saved mizan.settlement.v1 report") }
                head = saved.chainHead
            }
            let store = HubStore(database.connection)
            let problems = try await store.whileRunning { try await store.verifyRedemptions(against: head) }
            if problems.isEmpty {
                print("ok: the redemptions' chain holds\(head.map { "; the report's head \($0.seq) is in it" } ?? "")")
            } else {
                for problem in problems { print("problem: \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
