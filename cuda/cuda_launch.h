/* cuda_launch: the boundary between the C side of the CUDA backend
 * (cuda_backend.c, cuda_transfer.c) and the CUDA C++ files. Everything
 * crossing it is C: device pointers, CudaGeometry by pointer, dtype and op
 * enums. Each call returns 0, or -1 with error.h set to one line (a CUDA or
 * cuBLAS error becomes ERR_DEVICE naming the call and the runtime's reason);
 * the launchers return 1 when there is no kernel for that op and dtype, so
 * the C side can word PyTorch's message. */
#ifndef NB_CUDA_LAUNCH_H
#define NB_CUDA_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "../kernels/op_table.h"
#include "../kernels/reduce_op_table.h"
#include "dtype.h"
#include "gpu.h"
#include "cuda_geometry.h"

/* ---- runtime.cu ---- */
/* gpu.h's nb_gpu_probe, answered by the module: whether device 0 can run our
 * kernels (the driver is asked once). */
int cuda_probe(GpuInfo *info);
/* The module's part of `nbreplay --version`'s cuda line: the runtime
 * linked in, the driver, the devices, or why there is none. */
void cuda_describe(char *buf, size_t size);
/* Makes device 0 current (creating the context) once it passed cuda_probe. */
int cuda_runtime_init(void);
/* cudaMalloc / cudaFree, for the caching allocator (cuda_allocator.h). */
int cuda_raw_alloc(void **ptr, size_t nbytes);
void cuda_raw_free(void *ptr);
int cuda_memcpy_to_device(void *dst, const void *src, size_t nbytes);
int cuda_memcpy_to_host(void *dst, const void *src, size_t nbytes);
/* Waits for every queued kernel; reports what failed on the way. */
int cuda_synchronize(void);
/* Gives back what the runtime holds (the cuBLAS handle) before exit. */
void cuda_runtime_shutdown(void);

/* ---- cuda_backend.c ---- */
/* scratch device memory for the kernels */
void *cuda_scratch_alloc(size_t nbytes);
void cuda_scratch_free(void *ptr);
/* gpu.h's gpu_memory_allocated and nb_gpu_memory_reserved, from the module */
uint64_t cuda_memory_allocated(void);
uint64_t cuda_memory_reserved(void);

/* ---- elementwise.cu ---- */
int cuda_launch_unary(UnaryOp op, DType dtype, const CudaGeometry *g);
/* scalar_exponent: pow's exponent does not vary along the innermost
 * dimension, where the CPU kernel takes its shortcuts (scalar_ops.cuh) */
int cuda_launch_binary(BinaryOp op, DType dtype, const CudaGeometry *g, bool scalar_exponent);

/* ---- copy.cu ---- */
/* out = cond ? a : b; 1 for a dtype without a kernel */
int cuda_launch_where(DType dtype, const CudaGeometry *g);
int cuda_launch_copy(DType dst_dtype, DType src_dtype, const CudaGeometry *g);

/* ---- reduce.cu ---- */
/* out (one element, device) = sum of in[0..n) (contiguous) */
int cuda_launch_sum(DType dtype, const void *in, int64_t n, void *out);
/* out (one element) = sum of a[i*sa] * b[i*sb] for i < n */
int cuda_launch_dot(DType dtype, const void *a, int64_t sa, const void *b, int64_t sb, int64_t n,
                    void *out);
/* each dst element = the sum of the src elements that land on it */
int cuda_launch_sum_into(DType dtype, const CudaSumIntoGeometry *g);
/* each dst element = op over the src elements that land on it
 * (reduce_minmax.cu; dst int64 for argmax/argmin) */
int cuda_launch_reduce(ReduceOp op, DType dtype, const CudaSumIntoGeometry *g);

/* ---- gemm.cu ---- */
/* One operand of a batched GEMM as cuBLAS reads it (cuda_gemm_layout.h). */
typedef struct CudaGemmOperand {
    const void *data;
    bool transpose;      /* read as the transpose of what is stored */
    int64_t ld;          /* leading dimension, in elements */
    int64_t batch_stride;
} CudaGemmOperand;
/* out[i] (m x n, row-major, contiguous) = a[i] (m x k) @ b[i] (k x n) for
 * i < batch, float32 or float64, through cuBLAS's strided batched GEMM. */
int cuda_gemm_blas(DType dtype, int64_t batch, int64_t m, int64_t n, int64_t k,
                   const CudaGemmOperand *a, const CudaGemmOperand *b, void *out);
/* The same for int64, any strides, wrapping around. */
int cuda_launch_gemm_i64(int64_t batch, int64_t m, int64_t n, int64_t k, const int64_t *a,
                         const int64_t *a_strides, const int64_t *b, const int64_t *b_strides,
                         int64_t *out);

#ifdef __cplusplus
}
#endif

#endif
