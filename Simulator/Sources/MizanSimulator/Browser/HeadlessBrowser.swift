public import Foundation
import Glibc

/// Debian's Chromium, headless, driven over the DevTools protocol on a
/// pipe (`--remote-debugging-pipe`: commands on its descriptor 3, answers
/// on 4, each a JSON object ended by a NUL). It loads a page at a given
/// size, evaluates script in it, takes screenshots, and records every
/// request the page makes and every console message or uncaught error.
public final class HeadlessBrowser: @unchecked Sendable {
    public static let chromium = "/usr/bin/chromium"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: chromium) }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let pid: pid_t
    private let commands: Int32
    private let answers: Int32
    private let profile: String
    private var nextID = 0
    private var pending: [UInt8] = []
    private var session: String?
    private var closed = false
    /// Every URL the page asked for, in order.
    public private(set) var requests: [String] = []
    /// Console messages, uncaught exceptions and the browser's log entries
    /// (failed loads, policy violations).
    public private(set) var problems: [String] = []

    public init(width: Int, height: Int) throws {
        profile = FileManager.default.temporaryDirectory.path + "/mizan-chromium-\(UUID().uuidString.prefix(8))"
        var toBrowser: [Int32] = [0, 0]
        var fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else {
            throw Failure(description: "pipes for Chromium: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Root in CI: Chromium's sandbox needs an unprivileged user.
        let arguments = [
            Self.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--remote-debugging-pipe", "--user-data-dir=\(profile)", "--window-size=\(width),\(height)",
            "--hide-scrollbars", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-default-apps", "--disable-sync", "about:blank",
        ]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, Self.chromium, &actions, nil, &argv, environ)
        Glibc.close(toBrowser[0])
        Glibc.close(fromBrowser[1])
        guard spawned == 0 else {
            Glibc.close(toBrowser[1])
            Glibc.close(fromBrowser[0])
            throw Failure(description: "starting \(Self.chromium): \(String(cString: strerror(spawned)))")
        }
        pid = child
        commands = toBrowser[1]
        answers = fromBrowser[0]
        let target = try send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no page target") }
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        session = attached["sessionId"] as? String
        for domain in ["Page.enable", "Network.enable", "Runtime.enable", "Log.enable"] {
            _ = try send(domain, [:])
        }
        _ = try send(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
    }

    deinit {
        close()
    }

    public func close() {
        guard !closed else { return }
        closed = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        Glibc.close(commands)
        Glibc.close(answers)
        try? FileManager.default.removeItem(atPath: profile)
    }

    public func navigate(_ url: String) throws {
        _ = try send("Page.navigate", ["url": url])
    }

    /// The value of a script expression (strings, numbers, booleans; JSON otherwise).
    public func evaluate(_ expression: String) throws -> Any? {
        let answer = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        if let exception = answer["exceptionDetails"] { problems.append("evaluating \(expression): \(exception)") }
        return (answer["result"] as? [String: Any])?["value"]
    }

    public func text(_ expression: String) throws -> String {
        (try evaluate(expression)).map { "\($0)" } ?? ""
    }

    /// Evaluates `condition` every 50 ms until it is true; false after `timeout`.
    public func wait(until condition: String, timeout: Duration = .seconds(15)) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try evaluate(condition) as? Bool == true { return true }
            usleep(50_000)
        }
        return false
    }

    /// Types `text` into the focused element as a keyboard does (a USB card
    /// reader "types" the card's number), then Enter when `enter`.
    public func type(_ text: String, enter: Bool = true) throws {
        try send("Input.insertText", ["text": text])
        guard enter else { return }
        for type in ["keyDown", "keyUp"] {
            var key: [String: Any] = ["type": type, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13]
            if type == "keyDown" { key["text"] = "\r" }
            try send("Input.dispatchKeyEvent", key)
        }
    }

    /// A PNG of the viewport.
    public func screenshot() throws -> Data {
        let answer = try send("Page.captureScreenshot", ["format": "png"])
        guard let encoded = answer["data"] as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "Chromium returned no screenshot")
        }
        return data
    }

    /// Sends one command and reads until its answer, recording the events on the way.
    @discardableResult
    private func send(_ method: String, _ parameters: [String: Any]) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if let session, !method.hasPrefix("Target.") { message["sessionId"] = session }
        let data = try JSONSerialization.data(withJSONObject: message) + [0]
        let written = data.withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw Failure(description: "writing to Chromium (\(method)): \(String(cString: strerror(errno)))")
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            while let end = pending.firstIndex(of: 0) {
                let object = try? JSONSerialization.jsonObject(with: Data(pending[..<end])) as? [String: Any]
                pending.removeSubrange(...end)
                guard let object else { continue }
                if object["id"] as? Int == nextID {
                    if let error = object["error"] { throw Failure(description: "\(method): \(error)") }
                    return object["result"] as? [String: Any] ?? [:]
                }
                record(object)
            }
            var descriptor = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw Failure(description: "Chromium did not answer \(method) in 30 s") }
            guard poll(&descriptor, 1, 200) >= 0 || errno == EINTR else {
                throw Failure(description: "waiting for Chromium: \(String(cString: strerror(errno)))")
            }
            guard descriptor.revents != 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = read(answers, &buffer, buffer.count)
            guard count > 0 else { throw Failure(description: "Chromium closed its pipe (\(method))") }
            pending += buffer[0..<count]
        }
    }

    private func record(_ event: [String: Any]) {
        let parameters = event["params"] as? [String: Any] ?? [:]
        switch event["method"] as? String {
        case "Network.requestWillBeSent":
            if let url = (parameters["request"] as? [String: Any])?["url"] as? String { requests.append(url) }
        case "Runtime.consoleAPICalled":
            let arguments = (parameters["args"] as? [[String: Any]] ?? []).map {
                "\($0["value"] ?? $0["description"] ?? "")"
            }
            problems.append("console.\(parameters["type"] ?? ""): \(arguments.joined(separator: " "))")
        case "Runtime.exceptionThrown":
            problems.append("uncaught: \(parameters["exceptionDetails"] ?? "")")
        case "Log.entryAdded":
            let entry = parameters["entry"] as? [String: Any] ?? [:]
            problems.append("log \(entry["level"] ?? ""): \(entry["text"] ?? "") \(entry["url"] ?? "")")
        default:
            break
        }
    }
}
