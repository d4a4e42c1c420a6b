/* meminfo: reads MemAvailable, the kernel's estimate of what can be
 * allocated without swapping (free memory plus reclaimable caches). */
#include "meminfo.h"

#include <stdio.h>
#include <string.h>

#include "error.h"

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

int meminfo_require(uint64_t bytes) {
    int64_t available = meminfo_available_bytes();
    if (available < 0 || bytes <= (uint64_t)available) return 0;
    return nb_error_set(ERR_NOMEM, "needs %.1f GB of memory, %.1f GB available", (double)bytes / 1e9,
                     (double)available / 1e9);
}
