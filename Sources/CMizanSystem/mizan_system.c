// Asks the kernel whether its clock is synchronised: adjtimex returns
// TIME_ERROR (and sets STA_UNSYNC) until an NTP daemon has disciplined it.
#define _GNU_SOURCE
#include "mizan_system.h"

#include <sys/prctl.h>
#include <sys/socket.h>

#include <sys/timex.h>

int mizan_clock_synchronized(void) {
    struct timex status = {0};
    int state = adjtimex(&status);
    if (state < 0) {
        return -1;
    }
    return state != TIME_ERROR && !(status.status & STA_UNSYNC);
}

int mizan_peer_credentials(int socket, int *pid, unsigned int *uid, unsigned int *gid) {
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &length) < 0) {
        return -1;
    }
    *pid = credentials.pid;
    *uid = credentials.uid;
    *gid = credentials.gid;
    return 0;
}

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

int mizan_peer_groups(int socket, unsigned int *groups, int *count) {
    socklen_t length = (socklen_t)(*count) * sizeof(gid_t);
    int result = getsockopt(socket, SOL_SOCKET, SO_PEERGROUPS, groups, &length);
    *count = (int)(length / sizeof(gid_t));
    return result < 0 ? -1 : 0;
}

int mizan_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
