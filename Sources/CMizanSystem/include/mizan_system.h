#ifndef MIZAN_SYSTEM_H
#define MIZAN_SYSTEM_H

/// 1 when the kernel's clock is synchronised (NTP, chrony, timesyncd),
/// 0 when it is not, -1 when it cannot be asked.
int mizan_clock_synchronized(void);

/// The process on the other end of a Unix socket (SO_PEERCRED): 0 on
/// success, -1 with errno.
int mizan_peer_credentials(int socket, int *pid, unsigned int *uid, unsigned int *gid);

/// Names the calling thread for the kernel (top -H, /proc/PID/task/*/comm);
/// at most 15 bytes are kept. 0 on success, -1 with errno.
int mizan_set_thread_name(const char *name);

#endif
