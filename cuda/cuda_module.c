/* cuda_module: the module's side of cuda_module.h: the exported entry, and
 * the library functions the backend's code calls, each forwarded to the
 * library through the host table the entry was given. The version script
 * (cuda_module.map) keeps every symbol here but the entry local, so the
 * backend's calls bind to these forwarders and never to a library of the
 * same names that happens to be loaded. */
#include "cuda_module.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "cuda_launch.h"

_Static_assert(_Generic(&nb_cuda_module_entry, NbCudaModuleEntry: 1, default: 0),
               "nb_cuda_module_entry is what the loader calls it as");

static const NbCudaHost *host;

static const NbCudaModule module = {
    .backend = &cuda_backend,
    .probe = cuda_probe,
    .memory_allocated = cuda_memory_allocated,
    .memory_reserved = cuda_memory_reserved,
    .describe = cuda_describe,
};

const NbCudaModule *nb_cuda_module_entry(const NbCudaAbi *abi, const NbCudaHost *library) {
    const NbCudaAbi own = NB_CUDA_ABI;
    if (memcmp(abi, &own, sizeof own) != 0) return NULL;
    host = library;
    return &module;
}

/* ---- the library, through the host table ---- */

int nb_error_set(ErrorKind kind, const char *fmt, ...) {
    /* the library keeps 512 bytes of message (src/error.c) */
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return host->error_set(kind, "%s", message);
}

int nb_error_nomem(void) { return host->error_nomem(); }

void *nb_malloc(size_t n) { return host->malloc(n); }

void *nb_calloc(size_t count, size_t size) { return host->calloc(count, size); }

void *nb_realloc(void *p, size_t n) { return host->realloc(p, n); }

void nb_free(void *p) { host->free(p); }

size_t nb_dtype_size(DType dt) { return host->dtype_size(dt); }

const char *nb_dtype_scalar_name(DType dt) { return host->dtype_scalar_name(dt); }

int64_t tensor_numel(const Tensor *t) { return host->tensor_numel(t); }

Device tensor_device(const Tensor *t) { return host->tensor_device(t); }

bool tensor_is_contiguous(const Tensor *t) { return host->tensor_is_contiguous(t); }

void *tensor_data(const Tensor *t) { return host->tensor_data(t); }

Tensor *tensor_clone(Tensor *t) { return host->tensor_clone(t); }

const Backend *backend_for(Device device) { return host->backend_for(device); }
