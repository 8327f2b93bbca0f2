import ArgumentParser
import MizanControl
import Foundation

struct ZeroCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zero",
        abstract: "Set the scale's zero to the empty platform at rest (audited).",
        discussion: """
            Refused while a session or a lid is open, while the platform moves, and beyond ±4 % of Max from the start-up zero
            (then empty the bins in service mode instead: zero is set again when service mode ends).
            Example:
              mizanctl zero
            """
    )

    @OptionGroup var socket: SocketOptions

    func run() throws {
        print(try socket.send(.zero).message ?? "zero set")
    }
}

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Two-point calibration of an HX711 load cell with a known mass (audited; kept across restarts).",
        discussion: """
            Without --step, a guided procedure: it puts the kiosk in service mode, asks for the empty platform, then for
            the reference mass, and ends service mode if it began it.
            Examples:
              mizanctl calibrate --reference-g 5000
            For scripts, run the two steps yourself, in service mode:
              mizanctl service begin
              mizanctl calibrate --step empty
              mizanctl calibrate --step loaded --reference-g 5000
              mizanctl service end
            A serial indicator is calibrated on the indicator itself; mizand refuses to calibrate it.
            """
    )

    enum Step: String, ExpressibleByArgument, CaseIterable {
        case empty
        case loaded
    }

    @OptionGroup var socket: SocketOptions
    @Option(help: "Run one step only: empty or loaded.") var step: Step?
    @Option(name: .customLong("reference-g"), help: "The reference mass in grams (e.g. 5000 for a 5 kg test weight).")
    var referenceGrams: Int64?

    func validate() throws {
        if let referenceGrams, referenceGrams <= 0 || referenceGrams > 10_000_000 {
            throw ValidationError("--reference-g must be between 1 and 10000000 grams")
        }
        if step == .loaded, referenceGrams == nil {
            throw ValidationError("--step loaded needs --reference-g")
        }
    }

    func run() throws {
        switch step {
        case .empty:
            print(try socket.send(.calibrateEmpty).message ?? "")
        case .loaded:
            print(try socket.send(.calibrateLoaded, referenceGrams: referenceGrams).message ?? "")
        case nil:
            try guided()
        }
    }

    private func guided() throws {
        let wasInServiceMode = try socket.status().inServiceMode
        if !wasInServiceMode {
            print(try socket.send(.serviceBegin).message ?? "service mode")
        }
        defer {
            if !wasInServiceMode, let reply = try? socket.send(.serviceEnd) { print(reply.message ?? "") }
        }
        try repeatUntilDone("Take everything off the platform, keep it still, then press Enter.") {
            try socket.send(.calibrateEmpty)
        }
        var reference = referenceGrams
        while reference == nil {
            print("The reference mass in grams (e.g. 5000): ", terminator: "")
            guard let line = readLine() else { throw CommandFailure("calibration abandoned") }
            reference = Int64(line.trimmingCharacters(in: .whitespaces)).flatMap { $0 > 0 ? $0 : nil }
        }
        try repeatUntilDone(
            "Place the \(reference ?? 0) g reference mass in the middle of the platform, keep it still, then press Enter."
        ) {
            try socket.send(.calibrateLoaded, referenceGrams: reference)
        }
        print("Take the reference mass off the platform.")
    }

    /// Asks, waits for Enter, runs the step; on a refusal says why and asks again (q quits).
    private func repeatUntilDone(_ prompt: String, _ step: () throws -> ControlResponse) throws {
        while true {
            print(prompt + " (q to quit)")
            guard let line = readLine(), line.lowercased() != "q" else {
                throw CommandFailure("calibration abandoned; the old calibration stays")
            }
            print("measuring for 2 s…")
            do {
                print(try step().message ?? "")
                return
            } catch let failure as CommandFailure {
                print("not accepted: \(failure.message)")
            }
        }
    }
}
