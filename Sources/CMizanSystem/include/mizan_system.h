#ifndef MIZAN_SYSTEM_H
#define MIZAN_SYSTEM_H

/// 1 when the kernel's clock is synchronised (NTP, chrony, timesyncd),
/// 0 when it is not, -1 when it cannot be asked.
int mizan_clock_synchronized(void);

#endif
