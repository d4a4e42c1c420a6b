/* meminfo: reads MemAvailable, the kernel's estimate of what can be
 * allocated without swapping (free memory plus reclaimable caches). */
#include "meminfo.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "memory_limit.h"

int64_t meminfo_available_bytes(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) return -1;
    char line[256];
    int64_t bytes = -1;
    while (fgets(line, sizeof line, f)) {
        long long kib;
        if (sscanf(line, "MemAvailable: %lld kB", &kib) == 1) {
            bytes = (int64_t)kib * 1024;
            break;
        }
    }
    fclose(f);
    return bytes;
}

int64_t meminfo_usable_bytes(void) {
    int64_t available = meminfo_available_bytes();
    int64_t headroom = nb_memory_headroom(); /* ulimit -v, ulimit -d */
    if (headroom >= 0 && (available < 0 || headroom < available)) available = headroom;
    return available;
}

int meminfo_require(uint64_t bytes) {
    int64_t available = meminfo_usable_bytes();
    if (available < 0 || bytes <= (uint64_t)available) return 0;
    /* GB as before; MB where a limit (ulimit -v) makes the numbers small */
    bool gb = bytes >= 1000000000u;
    double unit = gb ? 1e9 : 1e6;
    return nb_error_set(ERR_NOMEM, "needs %.1f %s of memory, %.1f %s available", (double)bytes / unit,
                        gb ? "GB" : "MB", (double)available / unit, gb ? "GB" : "MB");
}
