/* cuda_module: the interface between the library and the CUDA backend's
 * loadable module, nbreplay-cuda.so (docs/cuda.md).
 *
 * The library links no CUDA library, so a program built with CUDA starts
 * and runs every CPU command where there is no CUDA runtime. When a GPU is
 * first asked for, cuda_loader.c opens the module and calls the one
 * function it exports, NB_CUDA_MODULE_ENTRY, which returns the backend
 * table and the module's answers to gpu.h's questions.
 *
 * The module links nothing of the library either: the library functions
 * the backend calls (nb_error_set, tensor_data, ...) reach it through
 * NbCudaHost (cuda_module.c forwards them). So there is one error state,
 * one allocation count and one CPU backend, however the library was linked
 * (shared, or static into a program that exports none of its symbols). */
#ifndef NB_CUDA_MODULE_H
#define NB_CUDA_MODULE_H

#include <stdint.h>

#include "backend.h"
#include "error.h"
#include "gpu.h"

/* Bumped when a field below changes meaning; NbCudaAbi's sizes catch a
 * field added to Backend, Tensor or the structs here. */
#define NB_CUDA_MODULE_VERSION 1

/* What the two sides compare before anything else crosses: a module from
 * another build of nbreplay is refused, not called. */
typedef struct NbCudaAbi {
    uint32_t version;
    uint32_t backend_size, tensor_size, host_size, module_size;
} NbCudaAbi;

/* The library functions the module's code calls. */
typedef struct NbCudaHost {
    int (*error_set)(ErrorKind kind, const char *fmt, ...);
    int (*error_nomem)(void);
    void *(*malloc)(size_t n);
    void *(*calloc)(size_t count, size_t size);
    void *(*realloc)(void *p, size_t n);
    void (*free)(void *p);
    size_t (*dtype_size)(DType dt);
    const char *(*dtype_scalar_name)(DType dt);
    int64_t (*tensor_numel)(const Tensor *t);
    Device (*tensor_device)(const Tensor *t);
    bool (*tensor_is_contiguous)(const Tensor *t);
    void *(*tensor_data)(const Tensor *t);
    Tensor *(*tensor_clone)(Tensor *t);
    const Backend *(*backend_for)(Device device);
} NbCudaHost;

/* What the module gives back: gpu.h's questions answered by the module
 * (the library's gpu.h functions forward to these once it is loaded). */
typedef struct NbCudaModule {
    const Backend *backend;
    int (*probe)(GpuInfo *info);
    uint64_t (*memory_allocated)(void);
    uint64_t (*memory_reserved)(void);
    /* the module's part of `nbreplay --version`'s cuda line */
    void (*describe)(char *buf, size_t size);
} NbCudaModule;

#define NB_CUDA_ABI                                                                                   \
    {NB_CUDA_MODULE_VERSION, sizeof(Backend), sizeof(Tensor), sizeof(NbCudaHost), sizeof(NbCudaModule)}

/* The exported function: the module's table, or NULL when *abi is not the
 * module's own. `host` must outlive the process's use of the module. */
#define NB_CUDA_MODULE_ENTRY "nb_cuda_module_entry"
typedef const NbCudaModule *(*NbCudaModuleEntry)(const NbCudaAbi *abi, const NbCudaHost *host);
const NbCudaModule *nb_cuda_module_entry(const NbCudaAbi *abi, const NbCudaHost *host);

/* ---- inside the library ---- */

/* What the loader gives the module (cuda_loader.c). */
extern const NbCudaHost cuda_host;

/* ---- inside the module ---- */

/* The backend table (cuda_backend.c). */
extern const Backend cuda_backend;

#endif
