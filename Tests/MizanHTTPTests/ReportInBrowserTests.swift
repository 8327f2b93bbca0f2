import Foundation
import Testing
@testable import MizanHTTP

/// The report page in a real headless Chromium (Debian's package, which
/// the README's set-up installs): it loads without a failed request or a
/// console message, shows the day's figures, and renders to a screenshot.
@Suite("The report page in a headless browser", .serialized)
struct ReportInBrowserTests {
    static let chromium = "/usr/bin/chromium"

    /// Runs Chromium on a thread of its own: a Swift concurrency thread
    /// blocked on it could be the one the server needs to answer.
    static func chrome(_ arguments: [String]) async throws -> (output: String, errors: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runChrome(arguments) })
            }
        }
    }

    static func runChrome(_ arguments: [String]) throws -> (output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        // Root in CI: Chromium's sandbox needs an unprivileged user.
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + FileManager.default.temporaryDirectory.path
                    + "/mizan-chromium-\(UUID().uuidString.prefix(8))",
            ] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: chromium), "needs Chromium (make setup installs it)"))
    func theReportPageLoadsAndShowsTheDaysFigures() async throws {
        let served = try await ServedLedger.make()
        let url = "http://127.0.0.1:\(served.port)/report?day=2026-03-28&token=\(served.token)"
        let dom = try await Self.chrome(["--dump-dom", url])
        #expect(dom.output.contains("<html lang=\"ar\" dir=\"rtl\">"), "\(dom.output.prefix(500))")
        #expect(dom.output.contains("<bdi>20.50 XBZ</bdi>"))
        #expect(dom.output.contains("<b id=\"households\">1</b>"))
        #expect(dom.output.contains("id=\"row-metal\""))
        #expect(dom.output.contains("<svg id=\"chart\""))
        for problem in ["CONSOLE", "net::ERR", "Failed to load resource", "Uncaught"] {
            #expect(!dom.errors.contains(problem), "\(problem) in Chromium's log:\n\(dom.errors)")
        }

        let screenshot =
            FileManager.default.temporaryDirectory.path + "/mizan-report-\(UUID().uuidString.prefix(8)).png"
        defer { try? FileManager.default.removeItem(atPath: screenshot) }
        _ = try await Self.chrome(["--screenshot=\(screenshot)", "--window-size=412,1100", url])
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a nearly empty screenshot: \(png.count) bytes")
        if let keep = ProcessInfo.processInfo.environment["MIZAN_KEEP_SCREENSHOT"] {
            try png.write(to: URL(fileURLWithPath: keep))
        }
        // Every request the browser made was answered: no 401, no 404.
        #expect(served.server.refusedRequests == 0)
    }

    @Test func anUnknownPathIsCountedAsRefused() async throws {
        let served = try await ServedLedger.make()
        #expect(try await served.get("/favicon.ico").status == 404)
        #expect(served.server.refusedRequests == 1)
    }
}
