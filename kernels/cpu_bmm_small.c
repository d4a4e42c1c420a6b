/* cpu_bmm_small: baddbmm_cpu_kernel's plain loop (bmm below 400
 * multiply-adds per matrix) for float32/float64 batches whose b and out
 * rows are contiguous, a row's columns as vector lanes.
 * Each element is still 0 + a[i,0]*b[0,j] + a[i,1]*b[1,j] + ..., every
 * product and sum rounded to T in that order: the lanes are separate
 * elements, each with a multiply then an add (the project builds with
 * -ffp-contract=off, so no FMA is formed), so the bits are the scalar
 * loop's. A vector is 16 bytes (two doubles, four floats), which every
 * x86-64 and AArch64 CPU has: wider generic vectors are split through
 * memory where the baseline ISA lacks them. Up to four vectors of a row
 * are summed side by side in registers, a[i,p] read once for all; when
 * the inner size and the row's vectors are both at most four and the row
 * has no scalar tail, a batch element's b is held in registers and every
 * loop but the rows' is unrolled (cell 7's 3x2 by 2x4 float64). */
#include "cpu_bmm_small.h"

#include <string.h>

#define VECTOR_BYTES 16
#define MAX_ROW_VECTORS 4

/* c[0 .. NV*lanes) = sum over p of a[p*as] * b[p*bs + 0 .. NV*lanes) */
#define DEFINE_ROW_BLOCK(T, S, NV)                                                            \
    static inline void block_##S##_##NV(T *c, const T *a, int64_t as, const T *b, int64_t bs, \
                                        int64_t k) {                                          \
        enum { lanes = VECTOR_BYTES / sizeof(T) };                                             \
        S##_lanes sum[NV];                                                                     \
        _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) sum[v] = (S##_lanes){0};          \
        for (int64_t p = 0; p < k; p++) {                                                      \
            const T x = a[p * as];                                                             \
            const T *bp = b + p * bs;                                                          \
            _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) {                             \
                S##_lanes row;                                                                 \
                memcpy(&row, bp + v * lanes, sizeof row);                                      \
                S##_lanes product = x * row;                                                   \
                sum[v] = sum[v] + product;                                                     \
            }                                                                                  \
        }                                                                                      \
        _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++)                                   \
            memcpy(c + v * lanes, &sum[v], sizeof sum[v]);                                     \
    }

/* Sizes and strides (in elements) of the three operands. */
typedef struct {
    int64_t batch, m, as0, as1, as2, bs0, bs1, cs0, cs1;
} FixedShape;

/* The batch with K and NV fixed: each element's b, K x NV vectors, loaded
 * once. */
#define DEFINE_FIXED_BATCH(T, S, K, NV)                                                       \
    static void fixed_##S##_##K##_##NV(const FixedShape *f, T *c, const T *a, const T *b) {   \
        enum { lanes = VECTOR_BYTES / sizeof(T) };                                             \
        const int64_t m = f->m, as1 = f->as1, as2 = f->as2, bs1 = f->bs1, cs1 = f->cs1;        \
        for (int64_t e = 0; e < f->batch; e++, a += f->as0, b += f->bs0, c += f->cs0) {        \
            S##_lanes brow[K][NV];                                                             \
            _Pragma("GCC unroll 4") for (int p = 0; p < K; p++)                                \
                _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++)                           \
                    memcpy(&brow[p][v], b + p * bs1 + v * lanes, sizeof brow[p][v]);           \
            for (int64_t i = 0; i < m; i++) {                                                  \
                const T *ai = a + i * as1;                                                     \
                S##_lanes sum[NV];                                                             \
                _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) sum[v] = (S##_lanes){0};  \
                _Pragma("GCC unroll 4") for (int p = 0; p < K; p++) {                          \
                    const T x = ai[p * as2];                                                   \
                    _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) {                     \
                        S##_lanes product = x * brow[p][v];                                    \
                        sum[v] = sum[v] + product;                                             \
                    }                                                                          \
                }                                                                              \
                _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++)                           \
                    memcpy(c + i * cs1 + v * lanes, &sum[v], sizeof sum[v]);                   \
            }                                                                                  \
        }                                                                                      \
    }
#define DEFINE_FIXED_K(T, S, K)                                                               \
    DEFINE_FIXED_BATCH(T, S, K, 1)                                                             \
    DEFINE_FIXED_BATCH(T, S, K, 2)                                                             \
    DEFINE_FIXED_BATCH(T, S, K, 3)                                                             \
    DEFINE_FIXED_BATCH(T, S, K, 4)
#define FIXED_ROW(S, K) {fixed_##S##_##K##_1, fixed_##S##_##K##_2, fixed_##S##_##K##_3, fixed_##S##_##K##_4}

#define DEFINE_BMM_SMALL(T, S)                                                                \
    typedef T S##_lanes __attribute__((vector_size(VECTOR_BYTES)));                            \
    typedef void (*S##_fixed_fn)(const FixedShape *, T *, const T *, const T *);                \
    DEFINE_FIXED_K(T, S, 1)                                                                    \
    DEFINE_FIXED_K(T, S, 2)                                                                    \
    DEFINE_FIXED_K(T, S, 3)                                                                    \
    DEFINE_FIXED_K(T, S, 4)                                                                    \
    static const S##_fixed_fn fixed_##S[MAX_ROW_VECTORS][MAX_ROW_VECTORS] = {                  \
        FIXED_ROW(S, 1), FIXED_ROW(S, 2), FIXED_ROW(S, 3), FIXED_ROW(S, 4)};                   \
    DEFINE_ROW_BLOCK(T, S, 1)                                                                  \
    DEFINE_ROW_BLOCK(T, S, 2)                                                                  \
    DEFINE_ROW_BLOCK(T, S, 3)                                                                  \
    DEFINE_ROW_BLOCK(T, S, 4)                                                                  \
    static void bmm_small_##S(Tensor *out, const Tensor *a, const Tensor *b) {                 \
        enum { lanes = VECTOR_BYTES / sizeof(T) };                                             \
        const int64_t batch = out->shape[0], m = out->shape[1], n = out->shape[2];            \
        const int64_t k = a->shape[2], vectors = n / lanes;                                    \
        const int64_t as0 = a->strides[0], as1 = a->strides[1], as2 = a->strides[2];           \
        const int64_t bs0 = b->strides[0], bs1 = b->strides[1];                                \
        const int64_t cs0 = out->strides[0], cs1 = out->strides[1];                            \
        const T *ad = tensor_data(a), *bd = tensor_data(b);                                    \
        T *cd = tensor_data(out);                                                              \
        if (k >= 1 && k <= MAX_ROW_VECTORS && vectors >= 1 && vectors <= MAX_ROW_VECTORS &&     \
            n == vectors * lanes) {                                                            \
            const FixedShape f = {batch, m, as0, as1, as2, bs0, bs1, cs0, cs1};                \
            fixed_##S[k - 1][vectors - 1](&f, cd, ad, bd);                                     \
            return;                                                                            \
        }                                                                                      \
        for (int64_t e = 0; e < batch; e++) {                                                  \
            const T *ae = ad + e * as0, *be = bd + e * bs0;                                    \
            T *ce = cd + e * cs0;                                                              \
            for (int64_t i = 0; i < m; i++) {                                                  \
                const T *ai = ae + i * as1;                                                    \
                T *ci = ce + i * cs1;                                                          \
                int64_t v = 0;                                                                 \
                for (; v + MAX_ROW_VECTORS <= vectors; v += MAX_ROW_VECTORS)                   \
                    block_##S##_4(ci + v * lanes, ai, as2, be + v * lanes, bs1, k);            \
                switch (vectors - v) {                                                         \
                case 3: block_##S##_3(ci + v * lanes, ai, as2, be + v * lanes, bs1, k); break; \
                case 2: block_##S##_2(ci + v * lanes, ai, as2, be + v * lanes, bs1, k); break; \
                case 1: block_##S##_1(ci + v * lanes, ai, as2, be + v * lanes, bs1, k); break; \
                default: break;                                                                \
                }                                                                              \
                for (int64_t j = vectors * lanes; j < n; j++) {                                \
                    T sum = 0;                                                                 \
                    for (int64_t p = 0; p < k; p++) sum += ai[p * as2] * be[p * bs1 + j];      \
                    ci[j] = sum;                                                               \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }
DEFINE_BMM_SMALL(float, f32)
DEFINE_BMM_SMALL(double, f64)

bool cpu_bmm_small(Tensor *out, const Tensor *a, const Tensor *b) {
    if (out->ndim != 3 || a->ndim != 3 || b->ndim != 3) return false;
    if (a->dtype != out->dtype || b->dtype != out->dtype) return false;
    if (b->strides[2] != 1 || out->strides[2] != 1) return false;
    if (out->dtype == DTYPE_FLOAT64) bmm_small_f64(out, a, b);
    else if (out->dtype == DTYPE_FLOAT32) bmm_small_f32(out, a, b);
    else return false;
    return true;
}
