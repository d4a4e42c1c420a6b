/* cpu_gemm: mm and bmm on the CPU, making the calls PyTorch 1.13 makes,
 * so the bits are its own:
 *  - mm is addmm_impl_cpu_ (native/LinearAlgebra.cpp): the result is seen
 *    column-major, or transposed (operands swapped) when it is row-major;
 *    each operand is read in place as a plain or transposed column-major
 *    matrix when its strides allow, else copied to row-major; then one
 *    BLAS gemm (CPUBlas.cpp, after normalize_last_dims).
 *  - bmm (bmm_out_or_baddbmm_) below 400 multiply-adds per matrix is
 *    baddbmm_cpu_kernel's plain loop, each element 0 + a0*b0 + a1*b1 + ...
 *    rounded step by step; above, one addmm_impl_cpu_ per batch element.
 * int64 has no BLAS: a plain loop, exact (wrapping) in any order. */
#include <cblas.h>

#include "cpu_blas_buffer.h"
#include <limits.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "cpu_kernels.h"
#include "cpu_bmm_small.h"

/* bmm_out_or_baddbmm_: products smaller than this take the plain loop. */
#define BMM_LOOP_MAX_MACS 400
/* Operand copies up to this size live on the stack. */
#define SMALL_SCRATCH_BYTES 1024

/* A matrix operand: strides in elements. */
typedef struct {
    char *data;
    int64_t size[2], stride[2];
} Mat;

static int64_t max1(int64_t v) { return v > 1 ? v : 1; }

static Mat matrix_of(const Tensor *t, int64_t batch) {
    int d = t->ndim - 2;
    Mat m = {(char *)tensor_data(t), {t->shape[d], t->shape[d + 1]}, {t->strides[d], t->strides[d + 1]}};
    if (t->ndim == 3) m.data += batch * t->strides[0] * (int64_t)nb_dtype_size(t->dtype);
    return m;
}

/* m.clone(MemoryFormat::Contiguous) into `scratch` (row-major). */
static Mat row_major_copy(Mat m, size_t elsize, char *scratch) {
    for (int64_t i = 0; i < m.size[0]; i++)
        for (int64_t j = 0; j < m.size[1]; j++)
            memcpy(scratch + (size_t)(i * m.size[1] + j) * elsize,
                   m.data + (size_t)(i * m.stride[0] + j * m.stride[1]) * elsize, elsize);
    return (Mat){scratch, {m.size[0], m.size[1]}, {m.size[1], 1}};
}

/* How addmm_impl_cpu_ hands an operand to gemm: in place, plain (stride 1
 * along dimension `inner`, leading stride at least `ld_min`) or transposed
 * (stride 1 along the other, leading stride at least `ld_min_t`); failing
 * both, a row-major copy, transposed when the result is not. */
static Mat blas_operand(Mat m, int inner, int64_t ld_min, int64_t ld_min_t, bool transpose_c, size_t elsize,
                        char *scratch, bool *trans) {
    int outer = 1 - inner;
    if (m.stride[inner] == 1 && m.stride[outer] >= max1(ld_min)) {
        *trans = false;
        return m;
    }
    if (m.stride[outer] == 1 && m.stride[inner] >= max1(ld_min_t)) {
        *trans = true;
        return m;
    }
    *trans = !transpose_c;
    return row_major_copy(m, elsize, scratch);
}

static bool fits_int(int64_t v) { return v >= 0 && v <= INT_MAX; }

/* c (M,N, row-major contiguous) = m1 @ m2 through one gemm, as
 * addmm_impl_cpu_ with beta 0 and alpha 1. `scratch` holds a copy of
 * either operand. */
static int addmm_blas(DType dtype, Mat c, Mat m1, Mat m2, char *scratch1, char *scratch2) {
    size_t elsize = nb_dtype_size(dtype);
    /* c is row-major: as a column-major matrix it is c^T = m2^T m1^T, unless
     * it is a single column, which is column-major too */
    bool transpose_c = !(c.stride[0] == 1 && (c.size[1] == 1 || c.stride[1] >= max1(c.size[0])));
    if (transpose_c) {
        Mat t = m1;
        m1 = m2;
        m2 = t;
    }
    int64_t m = c.size[transpose_c ? 1 : 0], n = c.size[transpose_c ? 0 : 1];
    int64_t k = m1.size[transpose_c ? 0 : 1];
    /* dimension `inner` of an operand is the column-major matrix's rows */
    int inner = transpose_c ? 1 : 0;
    bool ta, tb;
    Mat a = blas_operand(m1, inner, m, k, transpose_c, elsize, scratch1, &ta);
    Mat b = blas_operand(m2, inner, k, n, transpose_c, elsize, scratch2, &tb);
    int64_t lda = a.stride[ta == transpose_c ? 1 : 0];
    int64_t ldb = b.stride[tb == transpose_c ? 1 : 0];
    int64_t ldc = c.stride[transpose_c ? 0 : 1];
    /* CPUBlas.cpp's normalize_last_dims: strides of size-1 dimensions
     * become the smallest BLAS accepts */
    if (n == 1) ldc = m;
    if (ta) {
        if (m == 1) lda = k;
    } else if (k == 1) {
        lda = m;
    }
    if (tb) {
        if (k == 1) ldb = n;
    } else if (n == 1) {
        ldb = k;
    }
    if (!fits_int(m) || !fits_int(n) || !fits_int(k) || !fits_int(lda) || !fits_int(ldb) || !fits_int(ldc))
        return nb_error_set(ERR_VALUE, "matrix dimensions beyond 2**31 are not supported");
    if (cpu_blas_ready() != 0) return -1; /* no room for OpenBLAS's buffer under a memory limit */
    CBLAS_TRANSPOSE tra = ta ? CblasTrans : CblasNoTrans, trb = tb ? CblasTrans : CblasNoTrans;
    if (dtype == DTYPE_FLOAT64)
        cblas_dgemm(CblasColMajor, tra, trb, (int)m, (int)n, (int)k, 1.0, (const double *)a.data, (int)lda,
                    (const double *)b.data, (int)ldb, 0.0, (double *)c.data, (int)ldc);
    else
        cblas_sgemm(CblasColMajor, tra, trb, (int)m, (int)n, (int)k, 1.0f, (const float *)a.data, (int)lda,
                    (const float *)b.data, (int)ldb, 0.0f, (float *)c.data, (int)ldc);
    return 0;
}

/* baddbmm_cpu_kernel's loop (and, exact in any order, int64's). */
#define DEFINE_PLAIN_PRODUCT(T, S, ACC)                                                         \
    static void plain_product_##S(Mat c, Mat a, Mat b) {                                        \
        for (int64_t i = 0; i < c.size[0]; i++)                                                 \
            for (int64_t j = 0; j < c.size[1]; j++) {                                           \
                ACC acc = 0;                                                                    \
                for (int64_t p = 0; p < a.size[1]; p++)                                         \
                    acc += (ACC)((const T *)a.data)[i * a.stride[0] + p * a.stride[1]] *        \
                           (ACC)((const T *)b.data)[p * b.stride[0] + j * b.stride[1]];         \
                ((T *)c.data)[i * c.stride[0] + j * c.stride[1]] = (T)acc;                      \
            }                                                                                   \
    }
DEFINE_PLAIN_PRODUCT(float, f32, float)
DEFINE_PLAIN_PRODUCT(double, f64, double)
DEFINE_PLAIN_PRODUCT(int64_t, i64, uint64_t)

/* The same loop when b's and c's rows are contiguous, four elements of a
 * row of c at a time: each element still starts at 0 and adds a[i,p]*b[p,j]
 * for p = 0, 1, ... in order, so its bits are the loop's above; the four
 * sums only run side by side (what makes a 5x3x2 by 5x2x4 bmm cheap). */
#define DEFINE_PLAIN_PRODUCT_ROWS(T, S)                                                         \
    static void plain_product_rows_##S(Mat c, Mat a, Mat b) {                                   \
        const T *bd = (const T *)b.data;                                                        \
        int64_t n = c.size[1], k = a.size[1], as = a.stride[1], bs = b.stride[0];               \
        for (int64_t i = 0; i < c.size[0]; i++) {                                               \
            T *ci = (T *)c.data + i * c.stride[0];                                              \
            const T *ai = (const T *)a.data + i * a.stride[0];                                  \
            int64_t j = 0;                                                                      \
            for (; j + 4 <= n; j += 4) {                                                        \
                T s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                               \
                for (int64_t p = 0; p < k; p++) {                                               \
                    T x = ai[p * as];                                                           \
                    const T *bp = bd + p * bs + j;                                              \
                    s0 += x * bp[0];                                                            \
                    s1 += x * bp[1];                                                            \
                    s2 += x * bp[2];                                                            \
                    s3 += x * bp[3];                                                            \
                }                                                                               \
                ci[j] = s0;                                                                     \
                ci[j + 1] = s1;                                                                 \
                ci[j + 2] = s2;                                                                 \
                ci[j + 3] = s3;                                                                 \
            }                                                                                   \
            for (; j < n; j++) {                                                                \
                T sum = 0;                                                                      \
                for (int64_t p = 0; p < k; p++) sum += ai[p * as] * bd[p * bs + j];             \
                ci[j] = sum;                                                                    \
            }                                                                                   \
        }                                                                                       \
    }
DEFINE_PLAIN_PRODUCT_ROWS(float, f32)
DEFINE_PLAIN_PRODUCT_ROWS(double, f64)

static void plain_product(DType dtype, Mat c, Mat a, Mat b) {
    bool rows = b.stride[1] == 1 && c.stride[1] == 1;
    if (dtype == DTYPE_FLOAT32) {
        if (rows) plain_product_rows_f32(c, a, b);
        else plain_product_f32(c, a, b);
    } else if (dtype == DTYPE_FLOAT64) {
        if (rows) plain_product_rows_f64(c, a, b);
        else plain_product_f64(c, a, b);
    } else {
        plain_product_i64(c, a, b);
    }
}

/* out[i] = a[i] @ b[i] for each batch element (2-D operands: one), by
 * gemm or, when `loop`, the plain loop. */
static int products(Tensor *out, const Tensor *a, const Tensor *b, bool loop) {
    int64_t batch = out->ndim == 3 ? out->shape[0] : 1;
    size_t elsize = nb_dtype_size(out->dtype);
    Mat first_a = matrix_of(a, 0), first_b = matrix_of(b, 0);
    char *scratch1 = NULL, *scratch2 = NULL;
    /* a small product's copies fit on the stack: no malloc per call */
    _Alignas(64) char small1[SMALL_SCRATCH_BYTES], small2[SMALL_SCRATCH_BYTES];
    if (!loop && out->dtype != DTYPE_INT64) {
        /* room for a copy of either operand (swapped when c is transposed) */
        size_t na = (size_t)(first_a.size[0] * first_a.size[1]), nb = (size_t)(first_b.size[0] * first_b.size[1]);
        size_t most = (na > nb ? na : nb) * elsize;
        scratch1 = most <= SMALL_SCRATCH_BYTES ? small1 : nb_malloc(most);
        scratch2 = most <= SMALL_SCRATCH_BYTES ? small2 : nb_malloc(most);
        if (!scratch1 || !scratch2) {
            if (scratch1 != small1) nb_free(scratch1);
            if (scratch2 != small2) nb_free(scratch2);
            return nb_error_nomem();
        }
    }
    int status = 0;
    /* each batch element is the first one moved by its batch stride */
    Mat first_c = matrix_of(out, 0), c = first_c, ma = first_a, mb = first_b;
    int64_t step_c = out->ndim == 3 ? out->strides[0] * (int64_t)elsize : 0;
    int64_t step_a = a->ndim == 3 ? a->strides[0] * (int64_t)elsize : 0;
    int64_t step_b = b->ndim == 3 ? b->strides[0] * (int64_t)elsize : 0;
    for (int64_t i = 0; i < batch && status == 0; i++) {
        c.data = first_c.data + i * step_c;
        ma.data = first_a.data + i * step_a;
        mb.data = first_b.data + i * step_b;
        if (loop || out->dtype == DTYPE_INT64)
            plain_product(out->dtype, c, ma, mb);
        else
            status = addmm_blas(out->dtype, c, ma, mb, scratch1, scratch2);
    }
    if (scratch1 != small1) nb_free(scratch1);
    if (scratch2 != small2) nb_free(scratch2);
    return status;
}

int cpu_mm(Tensor *out, const Tensor *a, const Tensor *b) {
    if (tensor_numel(out) == 0) return 0;
    if (out->dtype == DTYPE_BOOL) return nb_error_set(ERR_VALUE, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
    return products(out, a, b, false);
}

int cpu_bmm(Tensor *out, const Tensor *a, const Tensor *b) {
    if (tensor_numel(out) == 0) return 0;
    if (out->dtype == DTYPE_BOOL) return nb_error_set(ERR_VALUE, "\"bmm\" not implemented for 'Bool'");
    bool loop = a->shape[2] * out->shape[1] * out->shape[2] < BMM_LOOP_MAX_MACS;
    if (loop && cpu_bmm_small(out, a, b)) return 0;
    return products(out, a, b, loop);
}
