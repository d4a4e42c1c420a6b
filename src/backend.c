/* backend: picks the backend that owns a device's memory. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>

const Backend *backend_for(Device device) {
    switch (device) {
    case DEVICE_CPU: return &cpu_backend;
    case DEVICE_CUDA: break;
    }
    /* The CLI refuses devices that are not built in before any tensor exists. */
    fprintf(stderr, "internal error: no backend for device %d\n", (int)device);
    abort();
}
