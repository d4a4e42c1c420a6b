/* cuda_absent: src/gpu.h and the CUDA entry of the backend table for a
 * build without CUDA (-Dcuda=disabled, or no toolkit found). Every
 * question gets "not built", and the backend refuses everything
 * (cuda_unavailable.c), so no CUDA tensor can exist. */
#include "backend.h"
#include "error.h"
#include "gpu.h"
#include "cuda_unavailable.h"

#include <stdio.h>

bool nb_gpu_compiled(void) { return false; }

int nb_gpu_probe(GpuInfo *info) {
    (void)info;
    return nb_error_set(ERR_DEVICE, "this nbreplay was built without CUDA support (meson setup -Dcuda=enabled)");
}

uint64_t nb_gpu_memory_allocated(void) { return 0; }

uint64_t nb_gpu_memory_reserved(void) { return 0; }

void nb_gpu_version_line(char *buf, size_t size) { snprintf(buf, size, "cuda: not built"); }

const Backend *cuda_backend_get(void) { return &cuda_unavailable_backend; }
