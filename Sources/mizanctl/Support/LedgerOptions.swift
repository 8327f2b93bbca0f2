import ArgumentParser
import MizanLedger

/// Where the ledger is: the daemon's state directory, or a file.
struct LedgerOptions: ParsableArguments {
    static let defaultStateDirectory = "/var/lib/mizan"

    @Option(name: .customLong("state-dir"), help: "The daemon's state directory, holding ledger.sqlite.")
    var stateDirectory = LedgerOptions.defaultStateDirectory

    @Option(name: .customLong("db"), help: "The ledger file (overrides --state-dir).")
    var database: String?

    @Option(
        name: .customLong("time-zone"), help: "Local time zone for days (default: the one the ledger was created with)."
    )
    var timeZone: String?

    var path: String { database ?? "\(stateDirectory)/ledger.sqlite" }

    /// Opens the ledger read-only: safe while the daemon writes.
    func openForReading() throws -> Ledger {
        do {
            return try Ledger.openExisting(path: path, readOnly: true, timeZone: timeZone)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    func openForWriting() throws -> Ledger {
        do {
            return try Ledger.openExisting(path: path, readOnly: false, timeZone: timeZone)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// Runs a ledger operation, turning its error into a clear failure.
func ledgerCall<T>(_ body: () throws(LedgerError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(error.description)
    }
}
