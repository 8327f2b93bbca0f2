import Foundation
import Testing

@testable import MizanCore

struct SecretTokenTests {
    @Test(arguments: [0, 1, 2, 3, 31, 32])
    func base64URLIsFoundationsWithoutPaddingAndUnsafeCharacters(_ count: Int) {
        let bytes = (0..<count).map { UInt8(($0 * 97 + 251) % 256) }
        let expected = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(SecretToken.base64URL(bytes) == expected)
    }

    @Test func tokensAreLongPrefixedAndNeverRepeat() {
        let tokens = (0..<100).map { _ in SecretToken.make(prefix: "mzk_") }
        #expect(Set(tokens).count == 100)
        #expect(tokens.allSatisfy { $0.hasPrefix("mzk_") && $0.count == 4 + 43 })
    }
}
