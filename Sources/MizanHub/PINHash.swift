import Crypto
import Foundation
import _CryptoExtras

/// A household's redemption PIN kept as scrypt: `scrypt$LOGN$R$P$SALT$KEY`
/// (salt and key base64). The card alone is easily copied (EM4100), so the
/// PIN is what spends; a few digits are few guesses, so the hash is slow and
/// the desk locks a card after a few wrong ones.
public enum PINHash {
    /// 2^14 rounds × 8 × 1: 16 MB and tens of milliseconds a check (BoringSSL
    /// refuses 32 MB and more without a memory limit swift-crypto passes).
    public static let defaultLogRounds = 14

    /// 4 to 8 ASCII digits.
    public static func isAcceptable(_ pin: String) -> Bool {
        (4...8).contains(pin.utf8.count) && pin.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    public static func make(_ pin: String, logRounds: Int = defaultLogRounds) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let key = try derive(pin, salt: salt, logRounds: logRounds, blockSize: 8, parallelism: 1)
        return "scrypt$\(logRounds)$8$1$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    /// Whether `pin` is the one `stored` was made from; false for anything
    /// that is not a hash this type made.
    public static func matches(_ pin: String, _ stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logRounds = Int(parts[1]), (10...14).contains(logRounds),
            let blockSize = Int(parts[2]), (1...16).contains(blockSize), let parallelism = Int(parts[3]),
            (1...4).contains(parallelism), let salt = Data(base64Encoded: parts[4]),
            let expected = Data(base64Encoded: parts[5]),
            let key = try? derive(
                pin, salt: [UInt8](salt), logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        else { return false }
        // Compared in constant time: how much of a guess matched must not show.
        return key.count == expected.count && zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(
        _ pin: String, salt: [UInt8], logRounds: Int, blockSize: Int, parallelism: Int
    ) throws
        -> Data
    {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(pin.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logRounds, blockSize: blockSize,
            parallelism: parallelism)
        return key.withUnsafeBytes { Data($0) }
    }
}
