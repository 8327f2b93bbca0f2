import Foundation
import MizanFuzz
import Testing

/// Every fuzz target's committed corpus (the seeds, and every input the
/// fuzzer once broke a property with) replayed through its check: a fixed
/// crash stays fixed without a fuzzer.
@Suite("Fuzz corpora replayed")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    @Test(arguments: FuzzTarget.all.map(\.name))
    func theCorpusKeepsTheProperty(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let replayed = try FuzzCorpus.replay(target, paths: [Self.corpus.appendingPathComponent(name).path])
        #expect(replayed.inputs >= 3, "\(name) has too few seeds to start from")
        #expect(replayed.failures.isEmpty, "\(replayed.failures)")
    }

    @Test func everyTargetIsNamedOnceAndStatesItsProperty() {
        #expect(Set(FuzzTarget.all.map(\.name)).count == FuzzTarget.all.count)
        #expect(FuzzTarget.all.allSatisfy { !$0.property.isEmpty })
    }
}
