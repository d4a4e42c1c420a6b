/* cuda_geometry: how the elementwise and reduction kernels see their
 * operands. The C side (cuda_geometry.c) coalesces dimensions as
 * kernels/cpu_iter.c does, then the struct travels by value as a kernel
 * argument, so a launch needs no extra copy to the device. Read by C and
 * by CUDA C++ alike. */
#ifndef NB_CUDA_GEOMETRY_H
#define NB_CUDA_GEOMETRY_H

#include <stdbool.h>
#include <stdint.h>

#define CUDA_MAX_OPERANDS 4
#define CUDA_MAX_DIMS 16 /* TENSOR_MAX_DIMS */

/* Same-shaped operands (operand 0 is written), dimensions of size 1
 * dropped and neighbours merged where every operand steps evenly across. */
typedef struct CudaGeometry {
    int ndim;           /* 0: a single element */
    int noperands;
    int64_t numel;
    /* every element offset and the element count fit in 31 bits, so the
     * kernels can index with 32-bit arithmetic */
    bool index32;
    /* each operand's innermost stride is 1 and ndim <= 1: plain arrays */
    bool contiguous;
    int64_t shape[CUDA_MAX_DIMS];
    int64_t strides[CUDA_MAX_OPERANDS][CUDA_MAX_DIMS]; /* in elements */
    void *data[CUDA_MAX_OPERANDS];                     /* first elements */
} CudaGeometry;

/* dst += src where dst repeats elements along its stride-0 dimensions:
 * the kept dimensions (dst stride != 0) give one output each, the reduced
 * ones (dst stride 0) are summed in C order, as the CPU's loop meets them. */
typedef struct CudaSumIntoGeometry {
    int nkeep, nreduce;
    int64_t nkept, nreduced;
    bool index32;
    int64_t keep_shape[CUDA_MAX_DIMS], keep_dst[CUDA_MAX_DIMS], keep_src[CUDA_MAX_DIMS];
    int64_t reduce_shape[CUDA_MAX_DIMS], reduce_src[CUDA_MAX_DIMS];
    void *dst;
    const void *src;
} CudaSumIntoGeometry;

#ifndef __CUDACC__
struct Tensor;

/* Operands all of operands[0]'s shape; their dtypes may differ. */
void cuda_geometry_build(CudaGeometry *g, int noperands, const struct Tensor *const *operands);
/* dst and src of one shape (dst's stride-0 dimensions are the reduced ones). */
void cuda_sum_into_geometry_build(CudaSumIntoGeometry *g, const struct Tensor *dst,
                                  const struct Tensor *src);
#endif

#endif
