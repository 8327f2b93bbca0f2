import CMizanSystem
import Foundation
import Glibc

/// Who is on the other end of a Unix socket, as the kernel says
/// (SO_PEERCRED), and which groups that process is in.
public struct PeerCredentials: Sendable, Hashable {
    public let pid: Int32
    public let uid: UInt32
    public let gid: UInt32
    public let groups: Set<UInt32>

    static func of(socket: Int32) -> PeerCredentials? {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        guard mizan_peer_credentials(socket, &pid, &uid, &gid) == 0 else { return nil }
        guard let groups = supplementaryGroups(of: socket) else { return nil }
        return PeerCredentials(pid: pid, uid: uid, gid: gid, groups: groups.union([gid]))
    }

    /// The peer's supplementary groups from the socket itself
    /// (SO_PEERGROUPS): /proc/PID/status is hidden from the daemon under
    /// the unit's ProtectProc=invisible, and the PID may be reused.
    static func supplementaryGroups(of socket: Int32) -> Set<UInt32>? {
        var groups = [UInt32](repeating: 0, count: 64)
        while true {
            var count = Int32(groups.count)
            if mizan_peer_groups(socket, &groups, &count) == 0 {
                return Set(groups.prefix(Int(count)))
            }
            guard errno == ERANGE, Int(count) > groups.count else { return nil }
            groups = [UInt32](repeating: 0, count: Int(count))
        }
    }

    /// "uid 1001 (amira)", for the audit log.
    public var actor: String { SystemUser.actor(uid) }

    public static func groupID(named name: String) -> UInt32? {
        guard let entry = getgrnam(name) else { return nil }
        return entry.pointee.gr_gid
    }
}

/// Who may do what on the control socket: reading (status, events) for the
/// `mizan` group, actions for the technicians' group; root may do both.
public struct ControlPolicy: Sendable {
    public let readerGroup: UInt32?
    public let technicianGroup: UInt32?

    public init(readerGroupName: String = "mizan", technicianGroupName: String = "mizan-tech") {
        readerGroup = PeerCredentials.groupID(named: readerGroupName)
        technicianGroup = PeerCredentials.groupID(named: technicianGroupName)
    }

    public init(readerGroup: UInt32?, technicianGroup: UInt32?) {
        self.readerGroup = readerGroup
        self.technicianGroup = technicianGroup
    }

    public func mayRead(_ peer: PeerCredentials) -> Bool {
        peer.uid == 0 || peer.uid == getuid() || mayAct(peer) || readerGroup.map(peer.groups.contains) == true
    }

    public func mayAct(_ peer: PeerCredentials) -> Bool {
        peer.uid == 0 || technicianGroup.map(peer.groups.contains) == true
    }
}
