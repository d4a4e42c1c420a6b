/* cublas: cuBLAS, loaded on the first GPU matrix product rather than linked.
 * Loading libcublasLt runs a constructor that opens the CUDA driver at
 * once, in every run, even `--device cpu` on a machine without a GPU (and
 * Valgrind objects to the loader's handling of that dlopen). Loading it
 * only when a GEMM first runs on the GPU keeps a CPU run free of it. The
 * handle lives until exit. */
#include <dlfcn.h>
#include <stdio.h>

#include "cuda_internal.cuh"
#include "cuda_launch.h"

extern "C" {
#include "error.h"
}

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
/* the soname of the cuBLAS this was compiled against */
#define CUBLAS_SONAME "libcublas.so." STRINGIFY(CUBLAS_VER_MAJOR)

static CublasApi api;
static bool loaded;
static cublasHandle_t handle;

static const char *status_name(cublasStatus_t status) {
    switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
    }
    return "CUBLAS_STATUS_UNKNOWN";
}

int cublas_fail(cublasStatus_t status, const char *what) {
    return nb_error_set(ERR_DEVICE, "cuBLAS error in %s: %s (%s)", what,
                     api.status_string ? api.status_string(status) : "failed", status_name(status));
}

template <typename F> static bool find(void *library, const char *name, F *fn) {
    *fn = (F)dlsym(library, name);
    return *fn != NULL;
}

static int load(void) {
    /* RTLD_NODELETE: its atexit work may run after we let go of it */
    void *library = dlopen(CUBLAS_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!library) {
        const char *why = dlerror();
        return nb_error_set(ERR_DEVICE, "cuBLAS could not be loaded: %s", why ? why : CUBLAS_SONAME);
    }
    CublasApi found;
    if (!find(library, "cublasCreate_v2", &found.create) || !find(library, "cublasDestroy_v2", &found.destroy) ||
        !find(library, "cublasSetMathMode", &found.set_math_mode) ||
        !find(library, "cublasSgemmStridedBatched", &found.sgemm_strided_batched) ||
        !find(library, "cublasDgemmStridedBatched", &found.dgemm_strided_batched) ||
        !find(library, "cublasGetStatusString", &found.status_string)) {
        dlclose(library);
        return nb_error_set(ERR_DEVICE, "cuBLAS could not be loaded: %s lacks a function this nbreplay calls",
                         CUBLAS_SONAME);
    }
    api = found;
    loaded = true;
    return 0;
}

const CublasApi *cuda_cublas(cublasHandle_t *out) {
    if (!handle) {
        if (cuda_runtime_init() != 0 || (!loaded && load() != 0)) return NULL;
        cublasHandle_t made;
        cublasStatus_t status = api.create(&made);
        if (status != CUBLAS_STATUS_SUCCESS) {
            cublas_fail(status, "cublasCreate");
            return NULL;
        }
        /* No TF32 or other reduced-precision shortcuts: float32 products
         * stay float32 products, as on the CPU. */
        status = api.set_math_mode(made, CUBLAS_PEDANTIC_MATH);
        if (status != CUBLAS_STATUS_SUCCESS) {
            api.destroy(made);
            cublas_fail(status, "cublasSetMathMode");
            return NULL;
        }
        handle = made;
    }
    *out = handle;
    return &api;
}

void cuda_cublas_shutdown(void) {
    if (handle) api.destroy(handle);
    handle = NULL;
}
