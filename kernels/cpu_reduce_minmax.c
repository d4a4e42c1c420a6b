/* cpu_reduce_minmax: the backend's `reduce` entry on the CPU (max, min,
 * argmax, argmin; kernels/reduce_op_table.h), as ATen 1.13 computes them.
 *
 * max()/min() are ReduceAllOpsKernel.cpp's reduce_all_kernel: the input
 * in C order (ATen reduces self.contiguous()), cut as at::parallel_reduce
 * cuts it, each piece through vec::reduce_all (lane i % width of one
 * vector accumulator, then the lanes folded: a shuffle tree for float
 * under AVX2/AVX-512, one after another otherwise), the pieces combined
 * with max_impl/min_impl. Only the order decides which zero (+0 or -0)
 * comes out when both are extremes, so it is followed exactly; the lane
 * operation is _mm256_max_ps's: the second operand unless the first is
 * greater, NaN when either is.
 *
 * argmax/argmin give the first position of the extreme, NaN first of all
 * (ArgMaxOps' GreaterOrNan): that answer does not depend on the order in
 * which ATen visits the elements, so a plain C-order walk gives it. */
#include <math.h>
#include <string.h>

#include "cpu_capability.h"
#include "cpu_kernels.h"
#include "cpu_reduce_iter.h"
#include "error.h"

/* at::internal::GRAIN_SIZE */
#define GRAIN_SIZE 32768
#define MAX_LANES 16

/* Walks t's elements in C order. */
typedef struct {
    const Tensor *t;
    const char *ptr;
    int64_t index[TENSOR_MAX_DIMS];
    int64_t elsize;
} Walk;

static void walk_start(Walk *w, const Tensor *t, int64_t first) {
    w->t = t;
    w->elsize = (int64_t)nb_dtype_size(t->dtype);
    w->ptr = tensor_data(t);
    for (int d = t->ndim - 1; d >= 0; d--) {
        w->index[d] = first % t->shape[d];
        first /= t->shape[d];
        w->ptr += w->index[d] * t->strides[d] * w->elsize;
    }
}

static void walk_next(Walk *w) {
    const Tensor *t = w->t;
    for (int d = t->ndim - 1; d >= 0; d--) {
        w->ptr += t->strides[d] * w->elsize;
        if (++w->index[d] < t->shape[d]) return;
        w->ptr -= t->shape[d] * t->strides[d] * w->elsize;
        w->index[d] = 0;
    }
}

/* The lane operation and the scalar combine, per element type. A NaN from
 * a lane is all ones, as ATen's (an OR with the unordered compare). */
#define DEFINE_MINMAX(T, S, ALL_ONES)                                                              \
    static T nan_##S(void) {                                                                       \
        T v;                                                                                       \
        memset(&v, ALL_ONES, sizeof v);                                                            \
        return v;                                                                                  \
    }                                                                                              \
    static T lane_##S(bool is_max, bool simd, T a, T b) {                                          \
        T r = is_max ? (a > b ? a : b) : (a < b ? a : b);                                          \
        if (simd) return (isnan(a) || isnan(b)) ? nan_##S() : r;                                   \
        return isnan(a) ? a : r; /* vec_base.h's DEFAULT maximum/minimum */                       \
    }                                                                                              \
    /* max_impl/min_impl: std::max(a, b) keeps a on a tie */                                      \
    static T combine_##S(bool is_max, T a, T b) {                                                  \
        if (isnan(a) || isnan(b)) return (T)NAN;                                                   \
        return is_max ? (a < b ? b : a) : (b < a ? b : a);                                         \
    }                                                                                              \
    /* vec::reduce_all over elements [begin, end) */                                              \
    static T reduce_all_##S(bool is_max, const Tensor *in, int64_t begin, int64_t end, int lanes,  \
                            bool simd, bool tree) {                                                \
        int64_t size = end - begin;                                                                \
        T acc[MAX_LANES] = {0};                                                                        \
        Walk w;                                                                                    \
        walk_start(&w, in, begin);                                                                 \
        if (size < lanes) {                                                                        \
            /* the short form folds the first `size` lanes in turn */                             \
            T r = *(const T *)w.ptr;                                                               \
            for (int64_t i = 1; i < size; i++) {                                                   \
                walk_next(&w);                                                                     \
                r = lane_##S(is_max, simd, r, *(const T *)w.ptr);                                  \
            }                                                                                      \
            return r;                                                                              \
        }                                                                                          \
        for (int l = 0; l < lanes; l++, walk_next(&w)) acc[l] = *(const T *)w.ptr;                 \
        for (int64_t i = lanes; i < size; i++, walk_next(&w))                                      \
            acc[i % lanes] = lane_##S(is_max, simd, acc[i % lanes], *(const T *)w.ptr);            \
        if (tree) {                                                                                \
            for (int step = lanes / 2; step >= 1; step /= 2) {                                     \
                T next[MAX_LANES];                                                                 \
                for (int l = 0; l < lanes; l++) next[l] = lane_##S(is_max, simd, acc[l], acc[l ^ step]); \
                memcpy(acc, next, sizeof next);                                                    \
            }                                                                                      \
            return acc[0];                                                                         \
        }                                                                                          \
        T r = acc[0];                                                                              \
        for (int l = 1; l < lanes; l++) r = lane_##S(is_max, simd, r, acc[l]);                     \
        return r;                                                                                  \
    }                                                                                              \
    /* at::parallel_reduce: pieces as ATen's threads take them */                                 \
    static void value_##S(bool is_max, T *out, const Tensor *in, bool tree) {                      \
        CpuCapability cap = cpu_capability();                                                      \
        int lanes = cpu_capability_vector_bytes(cap) / (int)sizeof(T);                             \
        bool simd = cap != CPU_CAPABILITY_DEFAULT;                                                 \
        tree = tree && simd;                                                                       \
        int64_t n = tensor_numel(in);                                                              \
        int threads = cpu_reduce_threads();                                                        \
        if (n <= GRAIN_SIZE || threads == 1) {                                                     \
            *out = reduce_all_##S(is_max, in, 0, n, lanes, simd, tree);                            \
            return;                                                                                \
        }                                                                                          \
        int64_t used = (n + GRAIN_SIZE - 1) / GRAIN_SIZE;                                          \
        if (used > threads) used = threads;                                                        \
        int64_t chunk = (n + used - 1) / used;                                                     \
        T result = is_max ? (T)-INFINITY : (T)INFINITY;                                            \
        for (int t = 0; t < threads; t++) {                                                        \
            T partial = is_max ? (T)-INFINITY : (T)INFINITY;                                       \
            if (t < used && t * chunk < n)                                                         \
                partial = reduce_all_##S(is_max, in, t * chunk,                                    \
                                         t * chunk + chunk < n ? t * chunk + chunk : n, lanes,     \
                                         simd, tree);                                              \
            result = combine_##S(is_max, result, partial);                                         \
        }                                                                                          \
        *out = result;                                                                             \
    }

DEFINE_MINMAX(float, f32, 0xff)
DEFINE_MINMAX(double, f64, 0xff)

/* Integers and bools: exact in any order. */
static void value_i64(bool is_max, int64_t *out, const Tensor *in) {
    Walk w;
    walk_start(&w, in, 0);
    int64_t r = *(const int64_t *)w.ptr, n = tensor_numel(in);
    for (int64_t i = 1; i < n; i++) {
        walk_next(&w);
        int64_t v = *(const int64_t *)w.ptr;
        if (is_max ? v > r : v < r) r = v;
    }
    *out = r;
}

static void value_bool(bool is_max, bool *out, const Tensor *in) {
    Walk w;
    walk_start(&w, in, 0);
    bool r = !is_max; /* max: any, min: all */
    for (int64_t i = 0, n = tensor_numel(in); i < n; i++, walk_next(&w))
        r = is_max ? r || *(const bool *)w.ptr : r && *(const bool *)w.ptr;
    *out = r;
}

/* GreaterOrNan / LessOrNan against the best so far (an earlier index):
 * whether v replaces it. */
#define DEFINE_BEATS(T, S, ISNAN)                                                                  \
    static bool beats_##S(bool is_max, T v, T best) {                                              \
        if (ISNAN(best)) return false;                                                             \
        if (ISNAN(v)) return true;                                                                 \
        return is_max ? v > best : v < best;                                                       \
    }
#define NEVER_NAN(x) ((void)(x), false)
DEFINE_BEATS(float, f32, isnan)
DEFINE_BEATS(double, f64, isnan)
DEFINE_BEATS(int64_t, i64, NEVER_NAN)

static int64_t arg_block(bool is_max, DType dtype, const char *base, const int64_t *shape,
                         const int64_t *strides, int nreduce, int64_t count, int64_t elsize) {
    int64_t best = 0, index[TENSOR_MAX_DIMS] = {0};
    const char *p = base, *best_p = base;
    for (int64_t r = 1; r < count; r++) {
        for (int d = nreduce - 1; d >= 0; d--) {
            p += strides[d] * elsize;
            if (++index[d] < shape[d]) break;
            p -= shape[d] * strides[d] * elsize;
            index[d] = 0;
        }
        bool better = dtype == DTYPE_FLOAT32   ? beats_f32(is_max, *(const float *)p, *(const float *)best_p)
                      : dtype == DTYPE_FLOAT64 ? beats_f64(is_max, *(const double *)p, *(const double *)best_p)
                                               : beats_i64(is_max, *(const int64_t *)p, *(const int64_t *)best_p);
        if (better) {
            best = r;
            best_p = p;
        }
    }
    return best;
}

/* out (int64, contiguous, size 1 along the reduced dimensions) */
static void arg_reduce(bool is_max, Tensor *out, const Tensor *in) {
    int nkeep = 0, nreduce = 0;
    int64_t keep_shape[TENSOR_MAX_DIMS], keep_stride[TENSOR_MAX_DIMS];
    int64_t red_shape[TENSOR_MAX_DIMS], red_stride[TENSOR_MAX_DIMS];
    int64_t count = 1;
    for (int d = 0; d < in->ndim; d++) {
        if (out->shape[d] == 1 && in->shape[d] != 1) {
            red_shape[nreduce] = in->shape[d];
            red_stride[nreduce++] = in->strides[d];
            count *= in->shape[d];
        } else {
            keep_shape[nkeep] = in->shape[d];
            keep_stride[nkeep++] = in->strides[d];
        }
    }
    int64_t elsize = (int64_t)nb_dtype_size(in->dtype), nout = tensor_numel(out);
    int64_t *o = tensor_data(out);
    for (int64_t k = 0; k < nout; k++) {
        const char *base = tensor_data(in);
        int64_t rest = k;
        for (int d = nkeep - 1; d >= 0; d--) {
            base += (rest % keep_shape[d]) * keep_stride[d] * elsize;
            rest /= keep_shape[d];
        }
        o[k] = count == 0 ? 0 : arg_block(is_max, in->dtype, base, red_shape, red_stride, nreduce, count, elsize);
    }
}

int cpu_reduce(ReduceOp op, Tensor *out, const Tensor *in) {
    bool is_max = REDUCE_IS_MAX(op);
    if (REDUCE_GIVES_INDEX(op)) {
        if (in->dtype == DTYPE_BOOL)
            return nb_error_set(ERR_VALUE, "\"%s_cpu\" not implemented for 'Bool'", is_max ? "argmax" : "argmin");
        arg_reduce(is_max, out, in);
        return 0;
    }
    void *o = tensor_data(out);
    switch (in->dtype) {
    /* float32's lanes fold through a shuffle tree (VecReduceAllSIMD),
     * double's one after another (functional_base.h) */
    case DTYPE_FLOAT32: value_f32(is_max, o, in, true); break;
    case DTYPE_FLOAT64: value_f64(is_max, o, in, false); break;
    case DTYPE_INT64: value_i64(is_max, o, in); break;
    case DTYPE_BOOL: value_bool(is_max, o, in); break;
    }
    return 0;
}
