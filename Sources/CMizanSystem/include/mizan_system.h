#ifndef MIZAN_SYSTEM_H
#define MIZAN_SYSTEM_H

/// 1 when the kernel's clock is synchronised (NTP, chrony, timesyncd),
/// 0 when it is not, -1 when it cannot be asked.
int mizan_clock_synchronized(void);

/// The process on the other end of a Unix socket (SO_PEERCRED): 0 on
/// success, -1 with errno.
int mizan_peer_credentials(int socket, int *pid, unsigned int *uid, unsigned int *gid);

/// The supplementary groups of the process on the other end of a Unix
/// socket, as the kernel recorded them at connect (SO_PEERGROUPS, Linux
/// 4.13+; no /proc, so it works under ProtectProc=invisible). Writes at most
/// *count groups and sets *count to how many there are: 0 on success, -1
/// with errno (ERANGE: *count says how many are needed).
int mizan_peer_groups(int socket, unsigned int *groups, int *count);

/// Names the calling thread for the kernel (top -H, /proc/PID/task/*/comm);
/// at most 15 bytes are kept. 0 on success, -1 with errno.
int mizan_set_thread_name(const char *name);

#endif
