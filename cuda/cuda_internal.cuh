/* cuda_internal: what the CUDA C++ files share and C never sees: turning a
 * CUDA or cuBLAS status into the library's one-line error (ERR_DEVICE), so
 * that no failure is silent and none aborts; the launch shape of the
 * grid-stride kernels; cuBLAS. Implemented in runtime.cu and cublas.cu. */
#ifndef NB_CUDA_INTERNAL_CUH
#define NB_CUDA_INTERNAL_CUH

#include <stdint.h>

#include <cublas_v2.h>
#include <cuda_runtime.h>

/* nb_error_set(ERR_DEVICE, "CUDA error in WHAT: reason (cudaErrorName)");
 * returns -1. */
int cuda_fail(cudaError_t status, const char *what);
/* The same for cuBLAS: "cuBLAS error in WHAT: reason (CUBLAS_STATUS_...)". */
int cublas_fail(cublasStatus_t status, const char *what);
/* After a kernel launch: 0, or the launch's error reported. Launches are
 * asynchronous; a fault inside a kernel surfaces at the next call that
 * waits (a copy to the host, cuda_synchronize) and is reported there. */
int cuda_check_launch(const char *kernel);

/* Threads per block, and blocks for n items in a grid-stride loop (enough
 * to fill every multiprocessor, no more). */
#define CUDA_THREADS 256
unsigned cuda_blocks_for(int64_t n);

/* The cuBLAS functions we call, from the library cublas.cu loads on first
 * use (not linked: see there). */
struct CublasApi {
    decltype(&cublasCreate_v2) create;
    decltype(&cublasDestroy_v2) destroy;
    decltype(&cublasSetMathMode) set_math_mode;
    decltype(&cublasSgemmStridedBatched) sgemm_strided_batched;
    decltype(&cublasDgemmStridedBatched) dgemm_strided_batched;
    decltype(&cublasGetStatusString) status_string;
};
/* The API and, in *handle, the handle made on first use; NULL with
 * error.h set when cuBLAS cannot be loaded or started. */
const CublasApi *cuda_cublas(cublasHandle_t *handle);
/* Destroys the handle (at exit). */
void cuda_cublas_shutdown(void);

#endif
