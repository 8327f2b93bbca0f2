import Foundation

/// The web process's log: one line per entry on stderr, which the journal
/// takes with the unit's name; structured fields follow as KEY=value.
enum WebLog {
    static func write(_ message: String, _ fields: [String: String] = [:]) {
        let extra = fields.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        FileHandle.standardError.write(Data("\(message)\(extra)\n".utf8))
    }
}
