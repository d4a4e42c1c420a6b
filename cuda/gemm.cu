/* gemm: batched matrix products on the device. float32/float64 go to
 * cuBLAS's strided batched GEMM; int64 to a kernel of ours (cuBLAS has no
 * integer GEMM), wrapping around as the CPU's loop does.
 *
 * cuBLAS is column-major and our matrices are row-major: a row-major
 * m x n matrix is the same memory as its n x m transpose in column-major,
 * so C = A B is computed as C^T = B^T A^T, with B passed first. */
#include <limits.h>

#include "cuda_internal.cuh"
#include "cuda_launch.h"
#include "scalar_ops.cuh"
#include "strided.cuh"

static cublasOperation_t op_of(const CudaGemmOperand *x) { return x->transpose ? CUBLAS_OP_T : CUBLAS_OP_N; }

extern "C" int cuda_gemm_blas(DType dtype, int64_t batch, int64_t m, int64_t n, int64_t k,
                              const CudaGemmOperand *a, const CudaGemmOperand *b, void *out) {
    cublasHandle_t handle;
    const CublasApi *cublas = cuda_cublas(&handle);
    if (!cublas) return -1;
    const size_t elsize = dtype == DTYPE_FLOAT64 ? sizeof(double) : sizeof(float);
    const int64_t ldc = n > 1 ? n : 1, stride_c = m * n;
    /* batchCount is an int: very long batches go in slices */
    for (int64_t first = 0; first < batch; first += INT_MAX) {
        int count = (int)(batch - first < INT_MAX ? batch - first : INT_MAX);
        const char *pa = (const char *)a->data + first * a->batch_stride * (int64_t)elsize;
        const char *pb = (const char *)b->data + first * b->batch_stride * (int64_t)elsize;
        char *pc = (char *)out + first * stride_c * (int64_t)elsize;
        cublasStatus_t status;
        if (dtype == DTYPE_FLOAT64) {
            const double one = 1.0, zero = 0.0;
            status = cublas->dgemm_strided_batched(handle, op_of(b), op_of(a), (int)n, (int)m, (int)k, &one,
                                               (const double *)pb, (int)b->ld, b->batch_stride,
                                               (const double *)pa, (int)a->ld, a->batch_stride, &zero,
                                               (double *)pc, (int)ldc, stride_c, count);
        } else {
            const float one = 1.0f, zero = 0.0f;
            status = cublas->sgemm_strided_batched(handle, op_of(b), op_of(a), (int)n, (int)m, (int)k, &one,
                                               (const float *)pb, (int)b->ld, b->batch_stride,
                                               (const float *)pa, (int)a->ld, a->batch_stride, &zero,
                                               (float *)pc, (int)ldc, stride_c, count);
        }
        if (status != CUBLAS_STATUS_SUCCESS)
            return cublas_fail(status, dtype == DTYPE_FLOAT64 ? "cublasDgemmStridedBatched"
                                                              : "cublasSgemmStridedBatched");
    }
    return 0;
}

struct GemmI64Args {
    int64_t batch, m, n, k;
    const int64_t *a, *b;
    int64_t as[3], bs[3];
    int64_t *out;
};

/* One thread per element of out; the products wrap around in uint64. */
__global__ void gemm_i64_kernel(GemmI64Args g) {
    const int64_t total = g.batch * g.m * g.n;
    for (int64_t e = grid_first<int64_t>(); e < total; e += grid_step<int64_t>()) {
        int64_t j = e % g.n, i = e / g.n % g.m, bi = e / (g.n * g.m);
        const int64_t *arow = g.a + bi * g.as[0] + i * g.as[1];
        const int64_t *bcol = g.b + bi * g.bs[0] + j * g.bs[2];
        uint64_t acc = 0;
        for (int64_t p = 0; p < g.k; p++) acc += (uint64_t)arow[p * g.as[2]] * (uint64_t)bcol[p * g.bs[1]];
        g.out[e] = (int64_t)acc;
    }
}

extern "C" int cuda_launch_gemm_i64(int64_t batch, int64_t m, int64_t n, int64_t k, const int64_t *a,
                                    const int64_t *a_strides, const int64_t *b, const int64_t *b_strides,
                                    int64_t *out) {
    GemmI64Args args = {batch, m, n, k, a, b, {a_strides[0], a_strides[1], a_strides[2]},
                        {b_strides[0], b_strides[1], b_strides[2]}, out};
    int64_t total = batch * m * n;
    if (total == 0) return 0;
    gemm_i64_kernel<<<cuda_blocks_for(total), CUDA_THREADS>>>(args);
    return cuda_check_launch("gemm_i64_kernel");
}
