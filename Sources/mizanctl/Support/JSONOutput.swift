import Foundation

/// JSON as every `--json` prints it: pretty, keys sorted, so that output is
/// stable for scripts and diffs.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    } catch {
        throw CommandFailure("could not encode the output as JSON: \(error)")
    }
}
