/* cpu_reduce: sum of all elements and the dot product on the CPU.
 * Floating sums are pairwise (blocks of 128 summed in order, blocks combined
 * as a tree), which keeps the error O(log n) like NumPy's and PyTorch's. */
#include <cblas.h>

#include "../src/error.h"
#include "cpu_iter.h"
#include "cpu_kernels.h"

#define PAIRWISE_BLOCK 128

#define DEFINE_PAIRWISE_SUM(T, S)                                    \
    static T pairwise_sum_##S(const T *x, int64_t n) {               \
        if (n <= PAIRWISE_BLOCK) {                                   \
            T acc = 0;                                               \
            for (int64_t i = 0; i < n; i++) acc += x[i];             \
            return acc;                                              \
        }                                                            \
        int64_t half = n / 2;                                        \
        return pairwise_sum_##S(x, half) + pairwise_sum_##S(x + half, n - half); \
    }
DEFINE_PAIRWISE_SUM(float, f32)
DEFINE_PAIRWISE_SUM(double, f64)

static int64_t wrapping_sum_i64(const int64_t *x, int64_t n) {
    uint64_t acc = 0;
    for (int64_t i = 0; i < n; i++) acc += (uint64_t)x[i];
    return (int64_t)acc;
}

int cpu_sum(Tensor *out, const Tensor *in) {
    if (!tensor_is_contiguous(in))
        return error_set(ERR_VALUE, "internal error: cpu_sum needs a contiguous input");
    int64_t n = tensor_numel(in);
    const void *x = tensor_data(in);
    void *o = tensor_data(out);
    switch (in->dtype) {
    case DTYPE_FLOAT32: *(float *)o = pairwise_sum_f32(x, n); return 0;
    case DTYPE_FLOAT64: *(double *)o = pairwise_sum_f64(x, n); return 0;
    case DTYPE_INT64: *(int64_t *)o = wrapping_sum_i64(x, n); return 0;
    case DTYPE_BOOL: break;
    }
    return error_set(ERR_VALUE, "\"sum_cpu\" not implemented for 'Bool'");
}

/* dst may alias itself across the row (stride 0), so no restrict and no
 * vectorized fast path: each element is read after the previous write. For
 * the same reason it must never be split across threads. */
#define DEFINE_SUM_INTO_ROW(T, S, ADD)                                           \
    static void sum_into_row_##S(int64_t n, char **p, const int64_t *s) {       \
        for (int64_t i = 0; i < n; i++) {                                        \
            T *d = (T *)(p[0] + i * s[0]);                                       \
            *d = ADD(*d, *(const T *)(p[1] + i * s[1]));                         \
        }                                                                        \
    }
#define PLAIN_ADD(x, y) ((x) + (y))
#define WRAPPING_ADD(x, y) ((int64_t)((uint64_t)(x) + (uint64_t)(y)))
DEFINE_SUM_INTO_ROW(float, f32, PLAIN_ADD)
DEFINE_SUM_INTO_ROW(double, f64, PLAIN_ADD)
DEFINE_SUM_INTO_ROW(int64_t, i64, WRAPPING_ADD)

int cpu_sum_into(Tensor *dst, const Tensor *src) {
    static const CpuRowKernel rows[DTYPE_COUNT] = {
        [DTYPE_INT64] = sum_into_row_i64, [DTYPE_FLOAT32] = sum_into_row_f32, [DTYPE_FLOAT64] = sum_into_row_f64};
    if (!rows[dst->dtype]) return error_set(ERR_VALUE, "\"sum_cpu\" not implemented for 'Bool'");
    const Tensor *ops[] = {dst, src};
    cpu_iterate(2, ops, rows[dst->dtype]);
    return 0;
}

/* BLAS strides are ints; beyond that range we loop ourselves. */
static bool blas_int_ok(int64_t v) { return v >= 0 && v <= 2147483647; }

int cpu_dot(Tensor *out, const Tensor *a, const Tensor *b) {
    int64_t n = a->shape[0], sa = a->strides[0], sb = b->strides[0];
    const char *pa = tensor_data(a), *pb = tensor_data(b);
    void *o = tensor_data(out);
    bool blas = blas_int_ok(n) && sa > 0 && sb > 0 && blas_int_ok(sa) && blas_int_ok(sb);
    switch (a->dtype) {
    case DTYPE_FLOAT32:
        if (blas) {
            *(float *)o = cblas_sdot((int)n, (const float *)pa, (int)sa, (const float *)pb, (int)sb);
        } else {
            float acc = 0;
            for (int64_t i = 0; i < n; i++) acc += ((const float *)pa)[i * sa] * ((const float *)pb)[i * sb];
            *(float *)o = acc;
        }
        return 0;
    case DTYPE_FLOAT64:
        if (blas) {
            *(double *)o = cblas_ddot((int)n, (const double *)pa, (int)sa, (const double *)pb, (int)sb);
        } else {
            double acc = 0;
            for (int64_t i = 0; i < n; i++) acc += ((const double *)pa)[i * sa] * ((const double *)pb)[i * sb];
            *(double *)o = acc;
        }
        return 0;
    case DTYPE_INT64: {
        uint64_t acc = 0;
        for (int64_t i = 0; i < n; i++)
            acc += (uint64_t)((const int64_t *)pa)[i * sa] * (uint64_t)((const int64_t *)pb)[i * sb];
        *(int64_t *)o = (int64_t)acc;
        return 0;
    }
    case DTYPE_BOOL: break;
    }
    return error_set(ERR_VALUE, "\"dot\" not implemented for 'Bool'");
}
