/* cuda_gemm_layout: whether cuBLAS can read a strided matrix in place, and
 * how: the decision kernels/cpu_gemm.c makes for OpenBLAS, for cuBLAS
 * through the row-major trick in gemm.cu. Plain C, tested on the host
 * (tests/test_cuda_host.c). */
#ifndef NB_CUDA_GEMM_LAYOUT_H
#define NB_CUDA_GEMM_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct GemmLayout {
    bool ok;        /* readable in place */
    bool transpose; /* stored column-major (read as a transpose), else row-major */
    int64_t ld;     /* leading dimension, in elements */
} GemmLayout;

/* A rows x cols matrix whose element (i, j) is at i*rs + j*cs. Dimensions
 * of size 1 never step, so any stride fits them. ok is false when neither
 * a row- nor a column-major reading fits or ld exceeds cuBLAS's int. */
GemmLayout gemm_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs);

#endif
