/* memory_limit: headroom under the process's limits (see memory_limit.h). */
#include "nbreplay/memory_limit.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cpu_blas_buffer.h"
#include "error.h"

/* VmSize and VmData from /proc/self/status, in bytes; -1 when unreadable.
 * Read with open/read: this runs before the C library's stdio may be used
 * (the program's preinit) and must not allocate. */
static void current_usage(int64_t *vm_size, int64_t *vm_data) {
    *vm_size = *vm_data = -1;
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return;
    buf[n] = '\0';
    for (char *line = buf; *line;) {
        long long kib;
        if (sscanf(line, "VmSize: %lld kB", &kib) == 1) *vm_size = kib * 1024;
        if (sscanf(line, "VmData: %lld kB", &kib) == 1) *vm_data = kib * 1024;
        while (*line && *line != '\n') line++;
        if (*line) line++;
    }
}

int64_t nb_memory_headroom(void) {
    struct rlimit as, data;
    bool as_set = getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY;
    bool data_set = getrlimit(RLIMIT_DATA, &data) == 0 && data.rlim_cur != RLIM_INFINITY;
    if (!as_set && !data_set) return -1;
    int64_t vm_size, vm_data;
    current_usage(&vm_size, &vm_data);
    int64_t room = INT64_MAX;
    if (as_set) {
        int64_t left = (int64_t)as.rlim_cur - (vm_size > 0 ? vm_size : 0);
        if (left < room) room = left;
    }
    if (data_set) {
        int64_t left = (int64_t)data.rlim_cur - (vm_data > 0 ? vm_data : 0);
        if (left < room) room = left;
    }
    return room > 0 ? room : 0;
}

void nb_blas_reserve(void) {
    /* no room now: the product that needs it will say so */
    if (cpu_blas_ready() != 0) nb_error_clear();
}
