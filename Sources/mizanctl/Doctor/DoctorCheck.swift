/// One thing a technician would otherwise check by hand, and what to do
/// about it.
struct DoctorCheck: Encodable, Equatable {
    enum Outcome: String, Encodable {
        case ok
        case warning
        case failure
    }

    let name: String
    let outcome: Outcome
    let detail: String
    /// One sentence; empty when all is well.
    let fix: String

    static func ok(_ name: String, _ detail: String) -> DoctorCheck {
        DoctorCheck(name: name, outcome: .ok, detail: detail, fix: "")
    }

    static func warning(_ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(name: name, outcome: .warning, detail: detail, fix: fix)
    }

    static func failure(_ name: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(name: name, outcome: .failure, detail: detail, fix: fix)
    }
}
