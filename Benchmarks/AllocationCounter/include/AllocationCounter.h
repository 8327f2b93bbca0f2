#ifndef MIZAN_ALLOCATION_COUNTER_H
#define MIZAN_ALLOCATION_COUNTER_H

#include <stdint.h>

/// Heap allocations made by this process since it started (all threads).
uint64_t mizan_allocation_count(void);
/// Bytes requested from the heap by this process since it started.
uint64_t mizan_allocated_bytes(void);

#endif
