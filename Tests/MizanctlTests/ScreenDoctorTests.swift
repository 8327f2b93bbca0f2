import Foundation
import MizanConfiguration
import Testing

@testable import mizanctl

/// The doctor's look at the household screen's files.
struct ScreenDoctorTests {
    @Test func missingFontsAreAFailureWithTheFixAndPromptsAreCounted() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/mizan-doctor-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/voice", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var screen = DaemonConfiguration.Screen()
        screen.fontDirectory = directory
        let missing = SystemChecks.screen(screen, fonts: ["NotoSansArabic-Regular.ttf"])
        #expect(missing.outcome == .failure)
        #expect(missing.fix.contains("fonts-noto-core"))

        try Data("ttf".utf8).write(to: URL(fileURLWithPath: directory + "/NotoSansArabic-Regular.ttf"))
        screen.voiceDirectory = directory + "/voice"
        let silent = SystemChecks.screen(screen, fonts: ["NotoSansArabic-Regular.ttf"])
        #expect(silent.outcome == .warning, "\(silent)")
        try Data("OggS".utf8).write(to: URL(fileURLWithPath: directory + "/voice/credited.ogg"))
        let ready = SystemChecks.screen(screen, fonts: ["NotoSansArabic-Regular.ttf"])
        #expect(ready.outcome == .ok && ready.detail.contains("1 voice prompts"), "\(ready)")
    }
}
