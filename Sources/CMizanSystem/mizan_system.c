// Asks the kernel whether its clock is synchronised: adjtimex returns
// TIME_ERROR (and sets STA_UNSYNC) until an NTP daemon has disciplined it.
#include "mizan_system.h"

#include <sys/timex.h>

int mizan_clock_synchronized(void) {
    struct timex status = {0};
    int state = adjtimex(&status);
    if (state < 0) {
        return -1;
    }
    return state != TIME_ERROR && !(status.status & STA_UNSYNC);
}
