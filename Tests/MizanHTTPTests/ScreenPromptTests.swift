import Foundation
import Testing

@testable import MizanHTTP

/// The voice prompts a technician puts in `voice_dir`: only plain names
/// are served, so a request can never name another file.
struct ScreenPromptTests {
    @Test func onlyPlainOggNamesInTheDirectoryArePrompts() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/mizan-voice-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in [
            "credited.ogg", "rejected-below_minimum.ogg", "Welcome.ogg", "notes.txt", "..ogg", "a b.ogg", ".ogg",
        ] {
            try Data("OggS".utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        #expect(ScreenServer.prompts(in: directory) == ["credited", "rejected-below_minimum"])
        #expect(ScreenServer.prompts(in: directory + "/missing").isEmpty)
        #expect(!ScreenServer.isPromptName("../etc/passwd"))
        #expect(!ScreenServer.isPromptName(String(repeating: "a", count: 65)))
    }

    @Test func onlyTheLoopbackIsAHostTheScreenAnswers() {
        #expect(ScreenGuard.isLoopback("127.0.0.1:8090"))
        #expect(ScreenGuard.isLoopback("localhost"))
        #expect(!ScreenGuard.isLoopback("evil.example:8090"))
        #expect(!ScreenGuard.isLoopback("127.0.0.1.evil.example"))
        #expect(!ScreenGuard.isLoopback(nil))
    }
}
