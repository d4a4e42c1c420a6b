/* gpu: what the rest of the program knows of the CUDA backend, the same in
 * every build. With CUDA compiled in, cuda/cuda_loader.c implements it by
 * loading the CUDA module (nbreplay-cuda.so) when first asked and passing
 * the question on; without, cuda/cuda_absent.c does, and every answer says
 * that CUDA is not built.
 *
 * Nothing here creates a CUDA context: probing asks the driver for device
 * 0's properties only, so `--device auto` and `--version` cost little on a
 * machine with a GPU and nothing on one without. The context is made by
 * the first allocation on the device. */
#ifndef NB_GPU_H
#define NB_GPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" { /* cuda/runtime.cu uses GpuInfo */
#endif

typedef struct GpuInfo {
    char name[256];          /* torch.cuda.get_device_name() */
    uint64_t total_memory;   /* bytes: get_device_properties(0).total_memory */
    int major, minor;        /* compute capability */
    int multiprocessors;
} GpuInfo;

/* Whether this nbreplay was built with the CUDA backend. */
bool nb_gpu_compiled(void);

/* Whether device 0 can run our kernels: 0 (and *info filled when info is
 * not NULL), or -1 with error.h set (ERR_DEVICE) to one line saying why
 * not (no CUDA in the build, no CUDA module or driver, no device, a device
 * older than the code we carry). The driver is asked once; later calls
 * repeat the answer. */
int nb_gpu_probe(GpuInfo *info);

/* torch.cuda.memory_allocated(0) and memory_reserved(0): bytes held by live
 * tensors, and bytes the caching allocator holds from the driver (live plus
 * cached). Both 0 before the first allocation and without CUDA. */
uint64_t nb_gpu_memory_allocated(void);
uint64_t nb_gpu_memory_reserved(void);

/* One line for `nbreplay --version` (no newline): what is compiled in and,
 * when it is, the CUDA module's path, its runtime and the driver, and the
 * device or why none is usable. */
void nb_gpu_version_line(char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
