/* cpu_reduce: sum of all elements and the dot product on the CPU.
 * Floating sums follow NumPy's pairwise summation, which keeps the error
 * O(log n) like NumPy's and PyTorch's, and whose independent partial sums
 * let large sums run on several cores with the same result. */
#include <cblas.h>

#include "error.h"
#include "parallel.h"
#include "cpu_iter.h"
#include "cpu_kernels.h"

#define PAIRWISE_BLOCK 128

/* numpy/core/src/umath/loops_utils.h.src: below 8 elements a plain loop;
 * up to a block, eight running sums (which the CPU adds side by side)
 * combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remainder;
 * above, the halves, split at a multiple of 8, summed recursively. */
#define DEFINE_PAIRWISE_SUM(T, S)                                                   \
    static T pairwise_sum_##S(const T *x, int64_t n) {                              \
        if (n < 8) {                                                                \
            T res = 0;                                                              \
            for (int64_t i = 0; i < n; i++) res += x[i];                            \
            return res;                                                             \
        }                                                                           \
        if (n <= PAIRWISE_BLOCK) {                                                  \
            T r[8];                                                                 \
            for (int k = 0; k < 8; k++) r[k] = x[k];                                \
            int64_t i = 8;                                                          \
            for (; i < n - n % 8; i += 8)                                           \
                for (int k = 0; k < 8; k++) r[k] += x[i + k];                       \
            T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])); \
            for (; i < n; i++) res += x[i];                                         \
            return res;                                                             \
        }                                                                           \
        int64_t half = n / 2;                                                       \
        half -= half % 8;                                                           \
        return pairwise_sum_##S(x, half) + pairwise_sum_##S(x + half, n - half);   \
    }
DEFINE_PAIRWISE_SUM(float, f32)
DEFINE_PAIRWISE_SUM(double, f64)

/* ---- large sums on several cores ----
 * The recursion's subtrees PARALLEL_SUM_DEPTH levels down are summed at once,
 * one per thread, and added up in the recursion's own order: the result is
 * the serial one, bit for bit. */
#define PARALLEL_SUM_DEPTH_MAX 4
/* Below this, waking the other threads costs more than they save. */
#define PARALLEL_SUM_MIN_ELEMENTS 131072

typedef struct {
    DType dtype;
    const void *x;
    int64_t begin[1 << PARALLEL_SUM_DEPTH_MAX], count[1 << PARALLEL_SUM_DEPTH_MAX];
    double sum[1 << PARALLEL_SUM_DEPTH_MAX]; /* a float32 subtotal is exact in a double */
} SumJob;

/* The subtrees `depth` levels below [offset, offset + n), left to right. */
static int split_subtrees(SumJob *job, int64_t offset, int64_t n, int depth, int next) {
    if (depth == 0) {
        job->begin[next] = offset;
        job->count[next] = n;
        return next + 1;
    }
    int64_t half = n / 2;
    half -= half % 8;
    next = split_subtrees(job, offset, half, depth - 1, next);
    return split_subtrees(job, offset + half, n - half, depth - 1, next);
}

static void sum_subtrees(void *context, int64_t begin, int64_t end) {
    SumJob *job = context;
    for (int64_t i = begin; i < end; i++) {
        if (job->dtype == DTYPE_FLOAT64)
            job->sum[i] = pairwise_sum_f64((const double *)job->x + job->begin[i], job->count[i]);
        else
            job->sum[i] = pairwise_sum_f32((const float *)job->x + job->begin[i], job->count[i]);
    }
}

/* Adds subtotals lo..hi-1 as the recursion would have. */
#define DEFINE_COMBINE(T, S)                                                   \
    static T combine_##S(const SumJob *job, int lo, int hi) {                  \
        if (hi - lo == 1) return (T)job->sum[lo];                              \
        int mid = (lo + hi) / 2;                                               \
        return combine_##S(job, lo, mid) + combine_##S(job, mid, hi);          \
    }
DEFINE_COMBINE(float, f32)
DEFINE_COMBINE(double, f64)

/* Subtree levels to split for `n` elements on this machine; 0 for serial.
 * Every split node must be above a block, or the shape would differ. */
static int parallel_sum_depth(int64_t n) {
    if (n < PARALLEL_SUM_MIN_ELEMENTS) return 0;
    int threads = parallel_threads(), depth = 0;
    while ((1 << depth) < threads && depth < PARALLEL_SUM_DEPTH_MAX &&
           n >> (depth + 1) > 2 * PAIRWISE_BLOCK)
        depth++;
    return depth;
}

static void floating_sum(DType dtype, const void *x, int64_t n, void *out) {
    int depth = parallel_sum_depth(n);
    if (depth == 0) {
        if (dtype == DTYPE_FLOAT64)
            *(double *)out = pairwise_sum_f64(x, n);
        else
            *(float *)out = pairwise_sum_f32(x, n);
        return;
    }
    SumJob job = {.dtype = dtype, .x = x};
    int leaves = split_subtrees(&job, 0, n, depth, 0);
    parallel_for(leaves, 1, 1, sum_subtrees, &job);
    if (dtype == DTYPE_FLOAT64)
        *(double *)out = combine_f64(&job, 0, leaves);
    else
        *(float *)out = combine_f32(&job, 0, leaves);
}

static int64_t wrapping_sum_i64(const int64_t *x, int64_t n) {
    uint64_t acc = 0;
    for (int64_t i = 0; i < n; i++) acc += (uint64_t)x[i];
    return (int64_t)acc;
}

int cpu_sum(Tensor *out, const Tensor *in) {
    if (!tensor_is_contiguous(in))
        return nb_error_set(ERR_VALUE, "internal error: cpu_sum needs a contiguous input");
    int64_t n = tensor_numel(in);
    const void *x = tensor_data(in);
    void *o = tensor_data(out);
    switch (in->dtype) {
    case DTYPE_FLOAT32:
    case DTYPE_FLOAT64: floating_sum(in->dtype, x, n, o); return 0;
    case DTYPE_INT64: *(int64_t *)o = wrapping_sum_i64(x, n); return 0;
    case DTYPE_BOOL: break;
    }
    return nb_error_set(ERR_VALUE, "\"sum_cpu\" not implemented for 'Bool'");
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
    if (!rows[dst->dtype]) return nb_error_set(ERR_VALUE, "\"sum_cpu\" not implemented for 'Bool'");
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
    return nb_error_set(ERR_VALUE, "\"dot\" not implemented for 'Bool'");
}
