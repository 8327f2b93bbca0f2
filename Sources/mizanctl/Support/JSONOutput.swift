import Foundation

/// JSON as every `--json` prints it: pretty, keys sorted, so that output is
/// stable for scripts and diffs. `snakeCase` for the control protocol's
/// types, whose Swift names are camelCase and whose wire names are not.
func printJSON(_ value: some Encodable, snakeCase: Bool = false) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    do {
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    } catch {
        throw CommandFailure("could not encode the output as JSON: \(error)")
    }
}

/// One JSON object on one line, snake_case keys sorted, for the live
/// streams' `--json` (a line per update, for scripts to read as they come).
enum JSONOutput {
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw CommandFailure("could not encode the output as JSON: \(error)")
        }
    }
}
