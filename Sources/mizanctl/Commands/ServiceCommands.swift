import ArgumentParser
import Foundation

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Service mode for emptying the bins: no deposits are recorded; zero is set again when it ends.",
        discussion: "Examples:\n  mizanctl service begin\n  mizanctl service end",
        subcommands: [Begin.self, End.self]
    )

    struct Begin: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take the kiosk out of service to empty the bins (audited).",
            discussion: "Example:\n  mizanctl service begin"
        )
        @OptionGroup var socket: SocketOptions
        func run() throws {
            print(try socket.send(.serviceBegin).message ?? "service mode")
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put the kiosk back in service; zero is set at the next rest (audited).",
            discussion: "Example:\n  mizanctl service end"
        )
        @OptionGroup var socket: SocketOptions
        func run() throws {
            print(try socket.send(.serviceEnd).message ?? "service mode ended")
        }
    }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Exercise the kiosk's outputs so a technician can see and hear them (audited).",
        discussion: "Examples:\n  mizanctl test leds\n  mizanctl test buzzer",
        subcommands: [Leds.self, Buzzer.self]
    )

    struct Leds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Blink the green and red lights for three seconds.",
            discussion: "Example:\n  mizanctl test leds"
        )
        @OptionGroup var socket: SocketOptions
        func run() throws {
            print(try socket.send(.testLeds).message ?? "")
        }
    }

    struct Buzzer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Beep the buzzer twice.",
            discussion: "Example:\n  mizanctl test buzzer"
        )
        @OptionGroup var socket: SocketOptions
        func run() throws {
            print(try socket.send(.testBuzzer).message ?? "")
        }
    }
}

struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the daemon read prices from the ledger again now (as SIGHUP does; audited).",
        discussion: "Households need no reload: each tap reads the ledger.\nExample:\n  mizanctl reload"
    )

    @OptionGroup var socket: SocketOptions

    func run() throws {
        print(try socket.send(.reload).message ?? "")
    }
}
