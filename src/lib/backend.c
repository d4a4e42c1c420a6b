/* backend: picks the backend that owns a device's memory. */
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>

static const Backend *cuda_standin;

const Backend *backend_use_for_cuda(const Backend *standin) {
    const Backend *previous = cuda_standin;
    cuda_standin = standin;
    return previous;
}

const Backend *backend_for(Device device) {
    switch (device) {
    case DEVICE_CPU: return &cpu_backend;
    case DEVICE_CUDA: return cuda_standin ? cuda_standin : cuda_backend_get();
    }
    fprintf(stderr, "internal error: no backend for device %d\n", (int)device);
    abort();
}

void nb_device_synchronize(Device device) {
    const Backend *backend = backend_for(device);
    if (backend->synchronize) backend->synchronize();
}

const char *nb_device_name(Device device) { return backend_for(device)->name; }
