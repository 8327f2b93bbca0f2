import ArgumentParser
import Foundation
import MizanCore
import MizanConfiguration
import MizanDaemon
import MizanLedger

extension HouseholdsCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a household's card (audited).",
            discussion: """
                Give the card's UID, or --tap and tap the card on the kiosk's reader (the daemon must be running).
                Examples:
                  mizanctl households add 0A1B2C3D4E --name "Umm Khalil"
                  mizanctl households add --tap --name "أم خليل"
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var socket: SocketOptions
        @Argument(help: "The card UID (hex), unless --tap.") var card: String?
        @Option(help: "The household's name as the cooperative knows it.") var name: String
        @Flag(help: "Wait for a card to be tapped on the reader and register that one.") var tap = false
        @Option(help: "With --tap: how long to wait for the card, in seconds.") var timeout = 60
        @Flag(help: "Print the new household as JSON.") var json = false

        func validate() throws {
            if tap == (card != nil) { throw ValidationError("give a card UID or --tap, not both and not neither") }
            if let card, CardUID(card) == nil {
                throw ValidationError("\"\(card)\" is not a card UID (2 to 32 hex digits)")
            }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if let problem = FreeText.problem(with: trimmed, as: "the name", limits: FreeText.name) {
                throw ValidationError(problem)
            }
        }

        func run() throws {
            let uid: CardUID
            if let card, let parsed = CardUID(card) {
                uid = parsed
            } else {
                if !json { print("Tap the card on the kiosk's reader (waiting \(timeout) s)…") }
                uid = try CardListener(socket: socket).nextCard(timeout: .seconds(timeout)).card
            }
            let ledger = try ledger.openForWriting()
            let household = try ledgerCall { () throws(LedgerError) in
                try ledger.registerHousehold(
                    card: uid, name: name.trimmingCharacters(in: .whitespaces), actor: Operator.actor,
                    at: Operator.clock)
            }
            if json { return try printJSON(household) }
            print("registered card \(uid) as household \(household.id.rawValue): \(Bidi.isolate(household.name))")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Register many households from a CSV file, all or none (audited).",
            discussion: """
                The first line names the columns card_uid and name (others are ignored). The whole file is checked first:
                every bad line is named with its number and nothing is imported unless every line is good.
                Example:
                  mizanctl households import households.csv
                """
        )

        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "Check the file and say what would be imported, without writing anything.") var dryRun = false

        func run() throws {
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int,
                size > HouseholdCSV.maximumFileBytes
            {
                throw CommandFailure(
                    "\(file) is \(size / 1024) KiB, larger than a households file can be (\(HouseholdCSV.maximumFileBytes / 1024 / 1024) MiB); nothing was imported"
                )
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("cannot read \(file): \(String(cString: strerror(errno)))")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure("\(file) is not UTF-8 text")
            }
            let ledger = try dryRun ? ledger.openForReading() : ledger.openForWriting()
            let registered = Set(try ledgerCall { () throws(LedgerError) in try ledger.households() }.map(\.card))
            switch HouseholdCSV.read(text, registered: registered) {
            case let .failure(list):
                for problem in list.problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
                throw CommandFailure(
                    "\(list.problems.count) problem\(list.problems.count == 1 ? "" : "s") in \(file); nothing was imported"
                )
            case let .success(rows):
                if dryRun {
                    print("\(file): \(rows.count) households would be imported; nothing was written")
                    return
                }
                let households = try ledgerCall { () throws(LedgerError) in
                    try ledger.registerHouseholds(
                        rows.map { ($0.card, $0.name) }, actor: Operator.actor, at: Operator.clock)
                }
                print("imported \(households.count) households from \(file)")
            }
        }
    }

    struct Block: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Block a card: its taps are refused until it is unblocked (audited).",
            discussion: "Example:\n  mizanctl households block 0A1B2C3D4E"
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The card UID (hex).") var card: String

        func run() throws {
            try setStatus(card, .blocked, ledger: ledger)
            print("card \(card.uppercased()) blocked")
        }
    }

    struct Unblock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unblock a card (audited).",
            discussion: "Example:\n  mizanctl households unblock 0A1B2C3D4E"
        )
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The card UID (hex).") var card: String

        func run() throws {
            try setStatus(card, .active, ledger: ledger)
            print("card \(card.uppercased()) unblocked")
        }
    }
}

private func setStatus(_ card: String, _ status: HouseholdStatus, ledger options: LedgerOptions) throws {
    guard let uid = CardUID(card) else { throw CommandFailure("\"\(card)\" is not a card UID (2 to 32 hex digits)") }
    let ledger = try options.openForWriting()
    try ledgerCall { () throws(LedgerError) in
        try ledger.setHouseholdStatus(card: uid, to: status, actor: Operator.actor, at: Operator.clock)
    }
}
