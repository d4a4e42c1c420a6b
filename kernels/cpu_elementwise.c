/* cpu_elementwise: the CPU kernels for every row of the op table, and the
 * dtype-converting copy, instantiated per dtype from macro lists. Each
 * kernel is a 1-D row loop with a contiguous fast path; cpu_iterate
 * supplies the rows. sin, cos, exp and log run PyTorch's SLEEF vector
 * functions (cpu_vec.h); float pow is cpu_pow.c. */
#include <stdint.h>

#include "error.h"
#include "cpu_iter.h"
#include "cpu_kernels.h"
#include "cpu_pow.h"
#include "cpu_vec.h"

/* ---- scalar operations ----
 * int64 arithmetic wraps around as PyTorch's does; going through uint64
 * keeps that defined in C. */
static inline int64_t i64_add(int64_t x, int64_t y) { return (int64_t)((uint64_t)x + (uint64_t)y); }
static inline int64_t i64_sub(int64_t x, int64_t y) { return (int64_t)((uint64_t)x - (uint64_t)y); }
static inline int64_t i64_mul(int64_t x, int64_t y) { return (int64_t)((uint64_t)x * (uint64_t)y); }
static inline int64_t i64_neg(int64_t x) { return (int64_t)(0 - (uint64_t)x); }
/* Exponentiation by squaring; negative exponents only reach here from a
 * tensor exponent (PyTorch rejects negative scalar exponents earlier). */
static inline int64_t i64_pow(int64_t base, int64_t exp) {
    if (exp < 0) return base == 1 ? 1 : base == -1 ? ((exp & 1) ? -1 : 1) : 0;
    uint64_t result = 1, b = (uint64_t)base;
    while (exp) {
        if (exp & 1) result *= b;
        b *= b;
        exp >>= 1;
    }
    return (int64_t)result;
}

static inline bool bool_add(bool x, bool y) { return x || y; }
static inline bool bool_mul(bool x, bool y) { return x && y; }

/* Exactly rounded, so ATen's vector and scalar bodies agree and any loop
 * computes PyTorch's bits. */
#define FLOAT_SCALAR_OPS(T, S)                                        \
    static inline T S##_add(T x, T y) { return x + y; }               \
    static inline T S##_sub(T x, T y) { return x - y; }               \
    static inline T S##_mul(T x, T y) { return x * y; }               \
    static inline T S##_div(T x, T y) { return x / y; }               \
    static inline T S##_neg(T x) { return -x; }
FLOAT_SCALAR_OPS(float, f32)
FLOAT_SCALAR_OPS(double, f64)

/* ---- row kernels ---- */

#define DEFINE_UNARY_ROW(T, FN)                                                 \
    static void row_##FN(int64_t n, char **p, const int64_t *s) {              \
        if (s[0] == (int64_t)sizeof(T) && s[1] == (int64_t)sizeof(T)) {        \
            T *restrict o = (T *)p[0];                                          \
            const T *restrict x = (const T *)p[1];                              \
            for (int64_t i = 0; i < n; i++) o[i] = FN(x[i]);                    \
            return;                                                             \
        }                                                                       \
        for (int64_t i = 0; i < n; i++)                                         \
            *(T *)(p[0] + i * s[0]) = FN(*(const T *)(p[1] + i * s[1]));        \
    }

#define DEFINE_BINARY_ROW(T, FN)                                                \
    static void row_##FN(int64_t n, char **p, const int64_t *s) {              \
        const int64_t z = (int64_t)sizeof(T);                                   \
        T *restrict o = (T *)p[0];                                              \
        if (s[0] == z && s[1] == z && s[2] == z) {                              \
            const T *restrict x = (const T *)p[1], *restrict y = (const T *)p[2]; \
            for (int64_t i = 0; i < n; i++) o[i] = FN(x[i], y[i]);             \
        } else if (s[0] == z && s[1] == z && s[2] == 0) {                       \
            const T *restrict x = (const T *)p[1];                              \
            const T y = *(const T *)p[2];                                       \
            for (int64_t i = 0; i < n; i++) o[i] = FN(x[i], y);                \
        } else if (s[0] == z && s[1] == 0 && s[2] == z) {                       \
            const T x = *(const T *)p[1];                                       \
            const T *restrict y = (const T *)p[2];                              \
            for (int64_t i = 0; i < n; i++) o[i] = FN(x, y[i]);                \
        } else {                                                                \
            for (int64_t i = 0; i < n; i++)                                     \
                *(T *)(p[0] + i * s[0]) =                                       \
                    FN(*(const T *)(p[1] + i * s[1]), *(const T *)(p[2] + i * s[2])); \
        }                                                                       \
    }

DEFINE_UNARY_ROW(int64_t, i64_neg)
DEFINE_BINARY_ROW(int64_t, i64_add)
DEFINE_BINARY_ROW(int64_t, i64_sub)
DEFINE_BINARY_ROW(int64_t, i64_mul)
DEFINE_BINARY_ROW(int64_t, i64_pow)
DEFINE_BINARY_ROW(bool, bool_add)
DEFINE_BINARY_ROW(bool, bool_mul)

#define DEFINE_FLOAT_ROWS(T, S)       \
    DEFINE_UNARY_ROW(T, S##_neg)      \
    DEFINE_BINARY_ROW(T, S##_add)     \
    DEFINE_BINARY_ROW(T, S##_sub)     \
    DEFINE_BINARY_ROW(T, S##_mul)     \
    DEFINE_BINARY_ROW(T, S##_div)
DEFINE_FLOAT_ROWS(float, f32)
DEFINE_FLOAT_ROWS(double, f64)

/* sin, cos, exp and log are ATen's VML kernels (UnaryOpsKernel.cpp,
 * vml.h): every value, a lone one or the last of a row too, goes through
 * the vector function (cpu_vec.h); a strided row is first copied into a
 * buffer, as ATen does. Lanes are independent, so no loop structure shows. */
#define VEC_MAP_BUFFER 256
#define DEFINE_VEC_MAP_ROW(T, S, NAME, FN)                                       \
    static void row_##S##_##NAME(int64_t n, char **p, const int64_t *s) {       \
        if (s[0] == (int64_t)sizeof(T) && s[1] == (int64_t)sizeof(T)) {         \
            vec_map_##S(FN, (T *)p[0], (const T *)p[1], n);                      \
            return;                                                              \
        }                                                                        \
        T buffer[VEC_MAP_BUFFER];                                                \
        for (int64_t i = 0; i < n; i += VEC_MAP_BUFFER) {                        \
            int64_t width = n - i < VEC_MAP_BUFFER ? n - i : VEC_MAP_BUFFER;     \
            for (int64_t j = 0; j < width; j++)                                  \
                buffer[j] = *(const T *)(p[1] + (i + j) * s[1]);                 \
            vec_map_##S(FN, buffer, buffer, width);                              \
            for (int64_t j = 0; j < width; j++)                                  \
                *(T *)(p[0] + (i + j) * s[0]) = buffer[j];                       \
        }                                                                        \
    }
#define DEFINE_VEC_MAP_ROWS(T, S)                    \
    DEFINE_VEC_MAP_ROW(T, S, sin, VEC_SIN)           \
    DEFINE_VEC_MAP_ROW(T, S, cos, VEC_COS)           \
    DEFINE_VEC_MAP_ROW(T, S, exp, VEC_EXP)           \
    DEFINE_VEC_MAP_ROW(T, S, log, VEC_LOG)
DEFINE_VEC_MAP_ROWS(float, f32)
DEFINE_VEC_MAP_ROWS(double, f64)

/* NULL where the front end never sends that dtype (it promotes first). */
static const CpuRowKernel unary_rows[UNARY_OP_COUNT][DTYPE_COUNT] = {
    [UNARY_NEG] = {[DTYPE_INT64] = row_i64_neg, [DTYPE_FLOAT32] = row_f32_neg, [DTYPE_FLOAT64] = row_f64_neg},
    [UNARY_SIN] = {[DTYPE_FLOAT32] = row_f32_sin, [DTYPE_FLOAT64] = row_f64_sin},
    [UNARY_COS] = {[DTYPE_FLOAT32] = row_f32_cos, [DTYPE_FLOAT64] = row_f64_cos},
    [UNARY_EXP] = {[DTYPE_FLOAT32] = row_f32_exp, [DTYPE_FLOAT64] = row_f64_exp},
    [UNARY_LOG] = {[DTYPE_FLOAT32] = row_f32_log, [DTYPE_FLOAT64] = row_f64_log},
};

static const CpuRowKernel binary_rows[BINARY_OP_COUNT][DTYPE_COUNT] = {
    [BINARY_ADD] = {row_bool_add, row_i64_add, row_f32_add, row_f64_add},
    [BINARY_SUB] = {[DTYPE_INT64] = row_i64_sub, [DTYPE_FLOAT32] = row_f32_sub, [DTYPE_FLOAT64] = row_f64_sub},
    [BINARY_MUL] = {row_bool_mul, row_i64_mul, row_f32_mul, row_f64_mul},
    [BINARY_DIV] = {[DTYPE_FLOAT32] = row_f32_div, [DTYPE_FLOAT64] = row_f64_div},
    [BINARY_POW] = {[DTYPE_INT64] = row_i64_pow}, /* floats: cpu_pow.c */
};

static int missing_kernel(const char *op, DType dtype) {
    return nb_error_set(ERR_VALUE, "\"%s_cpu\" not implemented for '%s'", op,
                     nb_dtype_scalar_name(dtype));
}

int cpu_unary(UnaryOp op, Tensor *out, const Tensor *in) {
    static const char *const names[] = {
#define UNARY_NAME(ID, NAME, ...) NAME,
        UNARY_OP_LIST(UNARY_NAME)
#undef UNARY_NAME
    };
    CpuRowKernel k = unary_rows[op][out->dtype];
    if (!k) return missing_kernel(names[op], out->dtype);
    const Tensor *ops[] = {out, in};
    cpu_iterate(2, ops, k);
    return 0;
}

int cpu_binary(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b) {
    static const char *const names[] = {
#define BINARY_NAME(ID, NAME, ...) NAME,
        BINARY_OP_LIST(BINARY_NAME)
#undef BINARY_NAME
    };
    if (op == BINARY_POW && nb_dtype_is_floating(out->dtype)) return cpu_pow_float(out, a, b);
    CpuRowKernel k = binary_rows[op][out->dtype];
    if (!k) return missing_kernel(names[op], out->dtype);
    const Tensor *ops[] = {out, a, b};
    cpu_iterate(3, ops, k);
    return 0;
}

/* ---- dtype-converting copy ---- */

/* Out-of-range and nan float-to-int conversions are undefined in C; x86
 * (and so PyTorch on it) yields INT64_MIN, which we reproduce. */
static inline int64_t float_to_int64(double x) {
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return INT64_MIN;
    return (int64_t)x;
}

#define CONVERT(TD, x)                                                              \
    _Generic((TD)0, int64_t: _Generic((x), float: float_to_int64(x), double: float_to_int64(x), \
                                      default: (int64_t)(x)),                        \
             default: (TD)(x))

#define DEFINE_COPY_ROW(ED, TD, SD, ES, TS, SS)                                 \
    static void row_copy_##SD##_from_##SS(int64_t n, char **p, const int64_t *s) { \
        if (s[0] == (int64_t)sizeof(TD) && s[1] == (int64_t)sizeof(TS)) {      \
            TD *restrict o = (TD *)p[0];                                        \
            const TS *restrict x = (const TS *)p[1];                            \
            for (int64_t i = 0; i < n; i++) o[i] = CONVERT(TD, x[i]);          \
            return;                                                             \
        }                                                                       \
        for (int64_t i = 0; i < n; i++)                                         \
            *(TD *)(p[0] + i * s[0]) = CONVERT(TD, *(const TS *)(p[1] + i * s[1])); \
    }
#define DEFINE_COPY_ROWS_TO(ED, TD, SD) \
    DEFINE_COPY_ROW(ED, TD, SD, DTYPE_BOOL, bool, b8)        \
    DEFINE_COPY_ROW(ED, TD, SD, DTYPE_INT64, int64_t, i64)   \
    DEFINE_COPY_ROW(ED, TD, SD, DTYPE_FLOAT32, float, f32)   \
    DEFINE_COPY_ROW(ED, TD, SD, DTYPE_FLOAT64, double, f64)
DTYPE_LIST(DEFINE_COPY_ROWS_TO)

#define COPY_ROW_ENTRY(ED, TD, SD) \
    [ED] = {row_copy_##SD##_from_b8, row_copy_##SD##_from_i64, row_copy_##SD##_from_f32, \
            row_copy_##SD##_from_f64},
static const CpuRowKernel copy_rows[DTYPE_COUNT][DTYPE_COUNT] = {DTYPE_LIST(COPY_ROW_ENTRY)};

int cpu_copy(Tensor *dst, const Tensor *src) {
    const Tensor *ops[] = {dst, src};
    cpu_iterate(2, ops, copy_rows[dst->dtype][src->dtype]);
    return 0;
}
