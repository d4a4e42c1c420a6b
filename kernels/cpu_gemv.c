/* cpu_gemv: mv on the CPU, making the call PyTorch 1.13 makes (addmv_out_cpu
 * in native/Blas.cpp, gemv in native/BlasKernel.cpp), so the bits are its
 * own: a column-major matrix goes to gemv 'n', a row-major one to gemv 't',
 * anything else is copied row-major first; BLAS serves float32/float64
 * when the vector steps forward (an expanded vector, stride 0, does not),
 * else gemv's own loops run, in float32 for float32. */
#include <cblas.h>

#include "cpu_blas_buffer.h"
#include <limits.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "cpu_kernels.h"

/* Blas.cpp's lda_cond: a leading stride BLAS accepts. */
static bool lda_ok(int64_t m, int64_t n, int64_t lda) { return n == 1 || lda >= (m > 1 ? m : 1); }

static bool fits_int(int64_t v) { return v <= INT_MAX; }

/* BlasKernel.cpp's gemv fallback, beta 0 and alpha 1 (alpha * s is s). */
#define DEFINE_GEMV_LOOPS(T, S, ACC)                                                          \
    static void gemv_loop_##S(bool trans, int64_t m, int64_t n, const T *a, int64_t lda,      \
                              const T *x, int64_t incx, T *y) {                                \
        if (trans) {                                                                          \
            for (int64_t i = 0; i < n; i++) {                                                 \
                ACC sum = 0;                                                                  \
                for (int64_t j = 0; j < m; j++) sum += (ACC)x[j * incx] * (ACC)a[lda * i + j]; \
                y[i] = (T)sum;                                                                \
            }                                                                                 \
        } else {                                                                              \
            for (int64_t j = 0; j < n; j++) {                                                 \
                ACC z = (ACC)x[j * incx];                                                     \
                for (int64_t i = 0; i < m; i++) {                                             \
                    if (j == 0) y[i] = 0;                                                     \
                    y[i] = (T)((ACC)y[i] + z * (ACC)a[lda * j + i]);                          \
                }                                                                             \
            }                                                                                 \
        }                                                                                     \
    }
DEFINE_GEMV_LOOPS(float, f32, float)
DEFINE_GEMV_LOOPS(double, f64, double)
DEFINE_GEMV_LOOPS(int64_t, i64, uint64_t)

/* gemv<T>(trans, m, n, 1, a, lda, x, incx, 0, y, 1). */
static void gemv(DType dtype, bool trans, int64_t m, int64_t n, const void *a, int64_t lda, const void *x,
                 int64_t incx, void *y) {
    if (n == 1) lda = m;
    bool blas = dtype != DTYPE_INT64 && fits_int(m) && fits_int(n) && fits_int(lda) && incx > 0 && fits_int(incx);
    CBLAS_TRANSPOSE t = trans ? CblasTrans : CblasNoTrans;
    if (blas && dtype == DTYPE_FLOAT64)
        cblas_dgemv(CblasColMajor, t, (int)m, (int)n, 1.0, a, (int)lda, x, (int)incx, 0.0, y, 1);
    else if (blas)
        cblas_sgemv(CblasColMajor, t, (int)m, (int)n, 1.0f, a, (int)lda, x, (int)incx, 0.0f, y, 1);
    else if (dtype == DTYPE_FLOAT64)
        gemv_loop_f64(trans, m, n, a, lda, x, incx, y);
    else if (dtype == DTYPE_FLOAT32)
        gemv_loop_f32(trans, m, n, a, lda, x, incx, y);
    else
        gemv_loop_i64(trans, m, n, a, lda, x, incx, y);
}

int cpu_mv(Tensor *out, const Tensor *mat, const Tensor *vec) {
    if (tensor_numel(out) == 0) return 0;
    if (out->dtype == DTYPE_BOOL) return nb_error_set(ERR_VALUE, "\"addmv_impl_cpu\" not implemented for 'Bool'");
    if (out->dtype != DTYPE_INT64 && cpu_blas_ready() != 0) return -1; /* under a memory limit */
    int64_t rows = mat->shape[0], cols = mat->shape[1], s0 = mat->strides[0], s1 = mat->strides[1];
    const void *x = tensor_data(vec), *a = tensor_data(mat);
    if (s0 == 1 && lda_ok(rows, cols, s1)) {
        gemv(out->dtype, false, rows, cols, a, s1, x, vec->strides[0], tensor_data(out));
        return 0;
    }
    if (s1 == 1 && lda_ok(cols, rows, s0)) {
        gemv(out->dtype, true, cols, rows, a, s0, x, vec->strides[0], tensor_data(out));
        return 0;
    }
    /* mat.contiguous() */
    size_t elsize = nb_dtype_size(out->dtype);
    char *copy = nb_malloc((size_t)(rows * cols) * elsize);
    if (!copy) return nb_error_nomem();
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++)
            memcpy(copy + (size_t)(i * cols + j) * elsize, (const char *)a + (size_t)(i * s0 + j * s1) * elsize,
                   elsize);
    gemv(out->dtype, true, cols, rows, copy, cols, x, vec->strides[0], tensor_data(out));
    nb_free(copy);
    return 0;
}
