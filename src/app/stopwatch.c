/* stopwatch: POSIX clocks behind Python's time.perf_counter and time.time. */
#include "stopwatch.h"

#include <time.h>


static double clock_seconds(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPython's perf_counter reads CLOCK_MONOTONIC and time() CLOCK_REALTIME. */
double stopwatch_perf_counter(void) { return clock_seconds(CLOCK_MONOTONIC); }

double stopwatch_time(void) { return clock_seconds(CLOCK_REALTIME); }

void stopwatch_sync(Device device) {
    nb_device_synchronize(device);
}

double stopwatch_device_time(Device device) {
    stopwatch_sync(device);
    return stopwatch_time();
}
