import Foundation
import MizanCore
import MizanLedger

/// A simulated kiosk that keeps running with the real daemon, driven by
/// typed commands, so that a technician can try `mizanctl` (doctor, watch,
/// households add --tap, calibrate's refusals, …) without any hardware.
public enum InteractiveKiosk {
    public static let help = """
        Commands (one per line):
          tap CARD              a card enters the reader's field and leaves (e.g. tap 0A1B2C3D4E)
          deposit GRAMS BIN     open the lid, drop GRAMS, close it (e.g. deposit 1250 plastic)
          open BIN | close BIN  a lid alone
          drop GRAMS            put a load on the platform without a lid (e.g. drop 70000 to overload it)
          empty                 take everything off the platform
          unplug scale|reader   pull the cable; plug scale|reader puts it back
          log                   the daemon's log so far
          quit                  stop the daemon and the simulator
        """

    public static func run(
        daemonPath: String, stateDirectory: String?, input: () -> String?, say: (String) -> Void
    ) throws {
        let kiosk = try LiveKiosk(daemonPath: daemonPath, stateDirectory: stateDirectory)
        defer { kiosk.shutdown() }
        try kiosk.prepareLedger { try Demo.register($0, actor: "simulator") }
        try kiosk.startDaemon()
        guard kiosk.waitForLog("mizand ready") else {
            say("mizand did not become ready:\n\(kiosk.log)")
            return
        }
        say(
            """
            A simulated kiosk is running with the real mizand.
              configuration: \(kiosk.configurationPath)
              control socket: \(kiosk.stateDirectory)/control.sock
              ledger: \(kiosk.ledgerPath)
            In another terminal, for example:
              mizanctl doctor --config \(kiosk.configurationPath)
              mizanctl watch --socket \(kiosk.stateDirectory)/control.sock
            Registered cards: \(Demo.households.map { "\($0.0) (\($0.1))" }.joined(separator: ", "))
            \(help)
            """)
        while let line = input() {
            let words = line.split(separator: " ").map(String.init)
            guard let command = words.first else { continue }
            switch (command, words.count) {
            case ("quit", _), ("exit", _):
                kiosk.stopDaemon()
                say("stopped")
                return
            case ("tap", 2):
                guard let card = CardUID(words[1]) else {
                    say("not a card UID: \(words[1])")
                    continue
                }
                kiosk.tap(card)
            case ("deposit", 3):
                guard let grams = Int64(words[1]) else {
                    say("not grams: \(words[1])")
                    continue
                }
                kiosk.deposit(grams, into: words[2])
            case ("open", 2): kiosk.open(words[1])
            case ("close", 2): kiosk.close(words[1])
            case ("drop", 2):
                guard let grams = Int64(words[1]) else {
                    say("not grams: \(words[1])")
                    continue
                }
                kiosk.drop(grams: grams)
            case ("empty", 1): kiosk.emptyPlatform()
            case ("unplug", 2), ("plug", 2):
                let device = words[1] == "scale" ? kiosk.scaleDevice : words[1] == "reader" ? kiosk.cardDevice : nil
                guard let device else {
                    say("unplug or plug scale or reader")
                    continue
                }
                if command == "unplug" { device.unplug() } else { try device.plugIn() }
            case ("log", 1): say(kiosk.log)
            default:
                say("? \(line)\n\(help)")
                continue
            }
            say("ok")
        }
        kiosk.stopDaemon()
    }
}
