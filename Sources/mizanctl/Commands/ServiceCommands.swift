import ArgumentParser
import Foundation
import MizanControl

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "Service mode for emptying the bins: no deposits are recorded; zero is set again when it ends.",
        discussion: "Examples:\n  mizanctl service begin\n  mizanctl service end",
        subcommands: [Begin.self, End.self]
    )

    struct Begin: DaemonAction {
        static let configuration = CommandConfiguration(
            abstract: "Take the kiosk out of service to empty the bins (audited).",
            discussion: "Example:\n  mizanctl service begin")
        static let action = ControlCommand.serviceBegin
        @OptionGroup var socket: SocketOptions
    }

    struct End: DaemonAction {
        static let configuration = CommandConfiguration(
            abstract: "Put the kiosk back in service; zero is set at the next rest (audited).",
            discussion: "Example:\n  mizanctl service end")
        static let action = ControlCommand.serviceEnd
        @OptionGroup var socket: SocketOptions
    }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Exercise the kiosk's outputs so a technician can see and hear them (audited).",
        discussion: "Examples:\n  mizanctl test leds\n  mizanctl test buzzer",
        subcommands: [Leds.self, Buzzer.self]
    )

    struct Leds: DaemonAction {
        static let configuration = CommandConfiguration(
            abstract: "Blink the green and red lights for three seconds.",
            discussion: "Example:\n  mizanctl test leds")
        static let action = ControlCommand.testLeds
        @OptionGroup var socket: SocketOptions
    }

    struct Buzzer: DaemonAction {
        static let configuration = CommandConfiguration(
            abstract: "Beep the buzzer twice.",
            discussion: "Example:\n  mizanctl test buzzer")
        static let action = ControlCommand.testBuzzer
        @OptionGroup var socket: SocketOptions
    }
}

struct ReloadCommand: DaemonAction {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the daemon read prices from the ledger again now (as SIGHUP does; audited).",
        discussion: "Households need no reload: each tap reads the ledger.\nExample:\n  mizanctl reload")
    static let action = ControlCommand.reload
    @OptionGroup var socket: SocketOptions
}

/// A technician's action that is one request to the daemon: sent, and its
/// answer printed.
protocol DaemonAction: ParsableCommand {
    static var action: ControlCommand { get }
    var socket: SocketOptions { get }
}

extension DaemonAction {
    func run() throws {
        print(try socket.send(Self.action).message ?? "\(Self.action.rawValue): done")
    }
}
