/* runtime: the CUDA runtime under the backend: probing device 0, making it
 * current, raw device memory, copies to and from the host, waiting for the
 * device, and the translation of every CUDA status into error.h's one
 * line. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "cuda_internal.cuh"
#include "cuda_launch.h"

extern "C" {
#include "error.h"
}

/* The fatbinary holds sm_90 code and compute_90 PTX, which the driver
 * compiles for newer devices; nothing runs on anything older. */
#define MIN_COMPUTE_MAJOR 9

/* ---- errors ---- */

int cuda_fail(cudaError_t status, const char *what) {
    /* A non-sticky error stays pending in the runtime until read; reading
     * it here keeps it from being blamed on the next, unrelated call. */
    cudaGetLastError();
    return nb_error_set(ERR_DEVICE, "CUDA error in %s: %s (%s)", what, cudaGetErrorString(status),
                     cudaGetErrorName(status));
}

int cuda_check_launch(const char *kernel) {
    cudaError_t status = cudaGetLastError();
    return status == cudaSuccess ? 0 : cuda_fail(status, kernel);
}

unsigned cuda_blocks_for(int64_t n) {
    int64_t blocks = (n + CUDA_THREADS - 1) / CUDA_THREADS;
    if (blocks > 8192) blocks = 8192;
    return blocks < 1 ? 1u : (unsigned)blocks;
}

/* ---- probing ---- */

static struct {
    bool done;
    int status;
    GpuInfo info;
    int driver;  /* the driver's CUDA version, 0 when there is none */
    int count;   /* devices the driver reports */
    char why[400];
} probe;

/* cudart is linked into the module statically and opens the driver,
 * libcuda.so.1, itself; where that fails it says "driver version is
 * insufficient". Opening the driver here first gives the loader's reason. */
static int check_driver(char *why, size_t size) {
    if (cudaDriverGetVersion(&probe.driver) == cudaSuccess && probe.driver > 0) return 0;
    void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!driver) {
        const char *reason = dlerror();
        snprintf(why, size, "CUDA is not available: %s", reason ? reason : "libcuda.so.1 cannot be loaded");
        return -1;
    }
    dlclose(driver);
    return 0; /* there is a driver after all; cudaGetDeviceCount says what is wrong */
}

static int query_device(GpuInfo *info, char *why, size_t size) {
    if (check_driver(why, size) != 0) return -1;
    int count = 0;
    cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        snprintf(why, size, "no usable CUDA device: %s (%s)", cudaGetErrorString(status),
                 cudaGetErrorName(status));
        cudaGetLastError();
        return -1;
    }
    probe.count = count;
    if (count == 0) {
        snprintf(why, size, "no usable CUDA device: the driver reports none");
        return -1;
    }
    cudaDeviceProp prop;
    status = cudaGetDeviceProperties(&prop, 0);
    if (status != cudaSuccess) {
        snprintf(why, size, "no usable CUDA device: cannot read device 0's properties: %s (%s)",
                 cudaGetErrorString(status), cudaGetErrorName(status));
        cudaGetLastError();
        return -1;
    }
    if (prop.major < MIN_COMPUTE_MAJOR) {
        snprintf(why, size,
                 "no usable CUDA device: %s has compute capability %d.%d, and this nbreplay "
                 "carries code for 9.0 (sm_90) and newer only",
                 prop.name, prop.major, prop.minor);
        return -1;
    }
    memset(info, 0, sizeof *info);
    snprintf(info->name, sizeof info->name, "%s", prop.name);
    info->total_memory = (uint64_t)prop.totalGlobalMem;
    info->major = prop.major;
    info->minor = prop.minor;
    info->multiprocessors = prop.multiProcessorCount;
    return 0;
}

/* Asks the driver once; error.h is left alone (probe.why says why not). */
static int probe_device(void) {
    if (!probe.done) {
        probe.status = query_device(&probe.info, probe.why, sizeof probe.why);
        probe.done = true;
    }
    return probe.status;
}

extern "C" int cuda_probe(GpuInfo *info) {
    if (probe_device() != 0) return nb_error_set(ERR_DEVICE, "%s", probe.why);
    if (info) *info = probe.info;
    return 0;
}

extern "C" void cuda_describe(char *buf, size_t size) {
    int runtime = 0;
    cudaRuntimeGetVersion(&runtime);
    char built[96];
    snprintf(built, sizeof built, "runtime %d.%d linked in, code for sm_90 and PTX for newer", runtime / 1000,
             runtime % 1000 / 10);
    bool usable = probe_device() == 0;
    char driver[96] = "";
    if (probe.driver > 0)
        snprintf(driver, sizeof driver, "; driver %d.%d, %d device%s", probe.driver / 1000, probe.driver % 1000 / 10,
                 probe.count, probe.count == 1 ? "" : "s");
    const GpuInfo *info = &probe.info;
    if (usable)
        snprintf(buf, size, "%s%s; device 0: %s, compute capability %d.%d, %.1f GiB", built, driver, info->name,
                 info->major, info->minor, (double)info->total_memory / (1024.0 * 1024.0 * 1024.0));
    else
        snprintf(buf, size, "%s%s; %s", built, driver, probe.why);
}

/* ---- the device ---- */

static struct {
    bool done;
    int status;
    char why[512];
} init;

int cuda_runtime_init(void) {
    if (!init.done) {
        init.done = true;
        init.status = probe_device();
        if (init.status != 0) {
            snprintf(init.why, sizeof init.why, "%s", probe.why);
        } else {
            cudaError_t status = cudaSetDevice(0);
            if (status != cudaSuccess) {
                init.status = -1;
                snprintf(init.why, sizeof init.why, "CUDA error in cudaSetDevice: %s (%s)",
                         cudaGetErrorString(status), cudaGetErrorName(status));
                cudaGetLastError();
            }
        }
    }
    return init.status == 0 ? 0 : nb_error_set(ERR_DEVICE, "%s", init.why);
}

int cuda_raw_alloc(void **ptr, size_t nbytes) {
    if (cuda_runtime_init() != 0) return -1;
    cudaError_t status = cudaMalloc(ptr, nbytes);
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        return 1;
    }
    return status == cudaSuccess ? 0 : cuda_fail(status, "cudaMalloc");
}

static bool shutting_down;

void cuda_raw_free(void *ptr) {
    cudaError_t status = cudaFree(ptr);
    /* at exit the runtime may already be unloading; nothing is left to tell */
    if (status != cudaSuccess && !shutting_down) cuda_fail(status, "cudaFree");
}

int cuda_memcpy_to_device(void *dst, const void *src, size_t nbytes) {
    if (nbytes == 0) return 0;
    cudaError_t status = cudaMemcpy(dst, src, nbytes, cudaMemcpyHostToDevice);
    return status == cudaSuccess ? 0 : cuda_fail(status, "cudaMemcpy (host to device)");
}

int cuda_memcpy_to_host(void *dst, const void *src, size_t nbytes) {
    if (nbytes == 0) return 0;
    cudaError_t status = cudaMemcpy(dst, src, nbytes, cudaMemcpyDeviceToHost);
    return status == cudaSuccess ? 0 : cuda_fail(status, "cudaMemcpy (device to host)");
}

int cuda_synchronize(void) {
    cudaError_t status = cudaDeviceSynchronize();
    return status == cudaSuccess ? 0 : cuda_fail(status, "cudaDeviceSynchronize");
}

void cuda_runtime_shutdown(void) {
    shutting_down = true;
    cuda_cublas_shutdown();
}
