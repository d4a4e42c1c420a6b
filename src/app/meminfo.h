/* meminfo: how much memory the machine can still give, so that a cell that
 * needs gigabytes can refuse up front with one line instead of being killed
 * halfway by the kernel's out-of-memory killer. */
#ifndef NB_MEMINFO_H
#define NB_MEMINFO_H

#include <stdint.h>

/* MemAvailable from /proc/meminfo, in bytes; -1 where it cannot be read
 * (not Linux, or a kernel older than 3.14). */
int64_t meminfo_available_bytes(void);

/* The smaller of MemAvailable and what the process's limits (RLIMIT_AS,
 * RLIMIT_DATA) still allow; -1 when neither is known. */
int64_t meminfo_usable_bytes(void);

/* 0 when `bytes` are available (or nobody can tell), else -1 with error.h
 * set to "needs 4.3 GB of memory, 1.2 GB available" (ERR_NOMEM). */
int meminfo_require(uint64_t bytes);

#endif
