/* cpu_elementwise: the CPU kernels for every row of the op table, and the
 * dtype-converting copy, instantiated per dtype from macro lists. Each
 * kernel is a 1-D row loop with a contiguous fast path; cpu_iterate
 * supplies the rows. The VML ops run PyTorch's SLEEF vector functions
 * (cpu_vec.h); float pow is cpu_pow.c. Adding a unary op of the table is
 * one line here (EXACT_UNARY_LIST) or in cpu_vec.h (VEC_FN_LIST). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "cpu_aten_loop.h"
#include "cpu_capability.h"
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

DEFINE_BINARY_ROW(int64_t, i64_add)
DEFINE_BINARY_ROW(int64_t, i64_sub)
DEFINE_BINARY_ROW(int64_t, i64_mul)
DEFINE_BINARY_ROW(int64_t, i64_pow)
DEFINE_BINARY_ROW(bool, bool_add)
DEFINE_BINARY_ROW(bool, bool_mul)

#define DEFINE_FLOAT_ROWS(T, S)       \
    DEFINE_BINARY_ROW(T, S##_add)     \
    DEFINE_BINARY_ROW(T, S##_sub)     \
    DEFINE_BINARY_ROW(T, S##_mul)     \
    DEFINE_BINARY_ROW(T, S##_div)
DEFINE_FLOAT_ROWS(float, f32)
DEFINE_FLOAT_ROWS(double, f64)

/* sin, cos, exp, log and tanh are ATen's VML kernels (UnaryOpsKernel.cpp,
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
#define DEFINE_VEC_MAP_ROWS(ID, NAME)                   \
    DEFINE_VEC_MAP_ROW(float, f32, NAME, VEC_##ID)      \
    DEFINE_VEC_MAP_ROW(double, f64, NAME, VEC_##ID)
VEC_FN_LIST(DEFINE_VEC_MAP_ROWS)

/* Unary ops whose vector and scalar bodies in ATen both round exactly (or
 * do not round), so any loop gives PyTorch's bits: X(ID, C name, value of
 * x). relu is clamp_min(x, 0): std::max keeps x on a tie (-0.0) and a nan.
 * Only SAME_DTYPE rows get their int64 kernel registered. */
static inline int64_t i64_abs(int64_t x) { return x < 0 ? i64_neg(x) : x; }
#define EXACT_UNARY_LIST(X)                                           \
    X(NEG, neg, _Generic(x, int64_t: i64_neg(x), default: -x))        \
    X(RELU, relu, (x < 0 ? 0 : x))                                    \
    X(ABS, abs, _Generic(x, int64_t: i64_abs, float: fabsf, default: fabs)(x)) \
    X(SQRT, sqrt, _Generic(x, float: sqrtf, default: sqrt)(x))

#define DEFINE_EXACT_SCALAR(T, S, ID, NAME, EXPR) \
    static inline T S##_exact_##NAME(T x) { return (T)(EXPR); }
#define DEFINE_EXACT_ROWS(ID, NAME, EXPR)                 \
    DEFINE_EXACT_SCALAR(int64_t, i64, ID, NAME, EXPR)     \
    DEFINE_EXACT_SCALAR(float, f32, ID, NAME, EXPR)       \
    DEFINE_EXACT_SCALAR(double, f64, ID, NAME, EXPR)      \
    DEFINE_UNARY_ROW(int64_t, i64_exact_##NAME)           \
    DEFINE_UNARY_ROW(float, f32_exact_##NAME)             \
    DEFINE_UNARY_ROW(double, f64_exact_##NAME)
EXACT_UNARY_LIST(DEFINE_EXACT_ROWS)

/* sigmoid (Activation.cpp's sigmoid_kernel, cpu_kernel_vec): the vector
 * body is 1 / (exp(0 - x) + 1) with SLEEF's exp, the scalar body
 * 1 / (1 + std::exp(-x)) with libm's, so ATen's loop split decides the
 * bits (cpu_aten_loop.h). */
#define DEFINE_SIGMOID_ROW(T, S, EXP)                                                   \
    static void row_##S##_sigmoid(int64_t n, char **p, const int64_t *s) {             \
        const int64_t z = (int64_t)sizeof(T);                                            \
        int64_t vector = cpu_aten_vector_count(n, 2, s, z, vec_lanes((int)z));           \
        T buffer[VEC_MAP_BUFFER];                                                        \
        for (int64_t i = 0; i < vector; i += VEC_MAP_BUFFER) {                           \
            int64_t width = vector - i < VEC_MAP_BUFFER ? vector - i : VEC_MAP_BUFFER;   \
            for (int64_t j = 0; j < width; j++)                                          \
                buffer[j] = (T)0 - *(const T *)(p[1] + (i + j) * s[1]);                  \
            vec_map_##S(VEC_EXP, buffer, buffer, width);                                 \
            for (int64_t j = 0; j < width; j++)                                          \
                *(T *)(p[0] + (i + j) * s[0]) = (T)1 / (buffer[j] + (T)1);               \
        }                                                                                \
        for (int64_t i = vector; i < n; i++)                                             \
            *(T *)(p[0] + i * s[0]) = (T)1 / ((T)1 + EXP(-*(const T *)(p[1] + i * s[1]))); \
    }
DEFINE_SIGMOID_ROW(float, f32, expf)
DEFINE_SIGMOID_ROW(double, f64, exp)

/* maximum and minimum (BinaryOpsKernel.cpp): the vector bodies are
 * vec::maximum/minimum (_mm256_max_ps(a, b) keeps b on a tie such as -0.0
 * and 0.0, then a nan from either), the scalar bodies a nan from either,
 * else std::max/min (which keep a on a tie): the loop split shows. */
/* The nan of vec::maximum/minimum: with AVX2 and AVX-512 the all-ones
 * mask of the unordered compare, or-ed in; under DEFAULT (vec_base.h) the
 * nan operand itself, a's first. The scalar body's is quiet_NaN(). */
static inline float f32_all_ones(void) {
    uint32_t bits = UINT32_MAX;
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}
static inline double f64_all_ones(void) {
    uint64_t bits = UINT64_MAX;
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}
static inline float f32_vector_nan(float a, float b) {
    return cpu_capability() != CPU_CAPABILITY_DEFAULT ? f32_all_ones() : a != a ? a : b;
}
static inline double f64_vector_nan(double a, double b) {
    return cpu_capability() != CPU_CAPABILITY_DEFAULT ? f64_all_ones() : a != a ? a : b;
}
#define DEFINE_MINMAX_ROW(T, S, NAME, VECTOR, SCALAR)                                   \
    static void row_##S##_##NAME(int64_t n, char **p, const int64_t *s) {              \
        const int64_t z = (int64_t)sizeof(T);                                            \
        int64_t vector = cpu_aten_vector_count(n, 3, s, z, vec_lanes((int)z));           \
        for (int64_t i = 0; i < n; i++) {                                                \
            const T a = *(const T *)(p[1] + i * s[1]), b = *(const T *)(p[2] + i * s[2]); \
            T r = (a != a || b != b) ? (i < vector ? S##_vector_nan(a, b) : (T)NAN)        \
                  : i < vector      ? (VECTOR)                                           \
                                    : (SCALAR);                                          \
            *(T *)(p[0] + i * s[0]) = r;                                                 \
        }                                                                                \
    }
#define DEFINE_MINMAX_ROWS(T, S)                                              \
    DEFINE_MINMAX_ROW(T, S, maximum, (a > b ? a : b), (a < b ? b : a))       \
    DEFINE_MINMAX_ROW(T, S, minimum, (a < b ? a : b), (b < a ? b : a))
DEFINE_MINMAX_ROWS(float, f32)
DEFINE_MINMAX_ROWS(double, f64)
static inline int64_t i64_maximum(int64_t x, int64_t y) { return x < y ? y : x; }
static inline int64_t i64_minimum(int64_t x, int64_t y) { return y < x ? y : x; }
/* clamp_min and clamp_max by a Python number: std::max(x, min) and
 * std::min(x, max), which ATen's vector bodies match on every value */
#define DEFINE_CLAMP_ROWS(T, S)                                                    \
    static inline T S##_clamp_min(T x, T lo) { return x < lo ? lo : x; }           \
    static inline T S##_clamp_max(T x, T hi) { return hi < x ? hi : x; }           \
    DEFINE_BINARY_ROW(T, S##_clamp_min)                                            \
    DEFINE_BINARY_ROW(T, S##_clamp_max)
DEFINE_CLAMP_ROWS(int64_t, i64)
DEFINE_CLAMP_ROWS(float, f32)
DEFINE_CLAMP_ROWS(double, f64)
/* tanh_backward (BinaryOpsKernel.cpp): a * (1 - b * b), which ATen's
 * AVX2 and AVX-512 builds (-mfma) compile to a * fma(-b, b, 1) (an
 * fnmadd, which passes a nan b on unchanged), but for the vector body with
 * b a broadcast scalar, where 1 - b * b is hoisted out of the loop and
 * rounded twice; its DEFAULT build has no fma. A nan a wins the product. */
#define DEFINE_TANH_BACKWARD_ROW(T, S, FMA)                                               \
    static inline T S##_one_minus_square(T b, bool fused) {                               \
        return b != b ? b : fused ? FMA(-b, b, (T)1) : (T)1 - b * b;                      \
    }                                                                                     \
    static void row_##S##_tanh_backward(int64_t n, char **p, const int64_t *s) {         \
        const int64_t z = (int64_t)sizeof(T);                                              \
        int64_t vector = cpu_aten_vector_count(n, 3, s, z, vec_lanes((int)z));             \
        bool fma_ok = cpu_capability() != CPU_CAPABILITY_DEFAULT;                          \
        for (int64_t i = 0; i < n; i++) {                                                  \
            const T a = *(const T *)(p[1] + i * s[1]), b = *(const T *)(p[2] + i * s[2]);   \
            T t = S##_one_minus_square(b, fma_ok && !(i < vector && s[2] == 0));           \
            *(T *)(p[0] + i * s[0]) = a != a ? a : t != t ? t : a * t;                     \
        }                                                                                  \
    }
DEFINE_TANH_BACKWARD_ROW(float, f32, fmaf)
DEFINE_TANH_BACKWARD_ROW(double, f64, fma)

static inline bool bool_maximum(bool x, bool y) { return x || y; }
static inline bool bool_minimum(bool x, bool y) { return x && y; }
DEFINE_BINARY_ROW(int64_t, i64_maximum)
DEFINE_BINARY_ROW(int64_t, i64_minimum)
DEFINE_BINARY_ROW(bool, bool_maximum)
DEFINE_BINARY_ROW(bool, bool_minimum)

/* Comparisons: a bool result from operands of one dtype. */
#define COMPARE_LIST(X) X(EQ, eq, ==) X(NE, ne, !=) X(LT, lt, <) X(LE, le, <=) X(GT, gt, >) X(GE, ge, >=)
#define DEFINE_COMPARE_ROW(T, S, NAME, OP)                                             \
    static void row_##S##_##NAME(int64_t n, char **p, const int64_t *s) {             \
        for (int64_t i = 0; i < n; i++)                                                 \
            *(bool *)(p[0] + i * s[0]) =                                                \
                *(const T *)(p[1] + i * s[1]) OP *(const T *)(p[2] + i * s[2]);         \
    }
#define DEFINE_COMPARE_ROWS(ID, NAME, OP)            \
    DEFINE_COMPARE_ROW(bool, b8, NAME, OP)           \
    DEFINE_COMPARE_ROW(int64_t, i64, NAME, OP)       \
    DEFINE_COMPARE_ROW(float, f32, NAME, OP)         \
    DEFINE_COMPARE_ROW(double, f64, NAME, OP)
COMPARE_LIST(DEFINE_COMPARE_ROWS)

/* Each unary row's dtype rule: int64 kernels for SAME_DTYPE rows only. */
enum {
#define RULE_OF(ID, NAME, GRAD_NAME, SAVED, FN, RULE, ...) RULE_OF_##ID = OP_RULE_##RULE,
    UNARY_OP_LIST(RULE_OF)
#undef RULE_OF
};

/* NULL where the front end never sends that dtype (it promotes first). */
static const CpuRowKernel unary_rows[UNARY_OP_COUNT][DTYPE_COUNT] = {
#define VEC_ENTRY(ID, NAME) [UNARY_##ID] = {[DTYPE_FLOAT32] = row_f32_##NAME, [DTYPE_FLOAT64] = row_f64_##NAME},
    VEC_FN_LIST(VEC_ENTRY)
#undef VEC_ENTRY
#define EXACT_ENTRY(ID, NAME, EXPR)                                                      \
    [UNARY_##ID] = {[DTYPE_INT64] = RULE_OF_##ID == OP_RULE_SAME_DTYPE ? row_i64_exact_##NAME : NULL, [DTYPE_FLOAT32] = row_f32_exact_##NAME, \
                    [DTYPE_FLOAT64] = row_f64_exact_##NAME},
    EXACT_UNARY_LIST(EXACT_ENTRY)
#undef EXACT_ENTRY
    [UNARY_SIGMOID] = {[DTYPE_FLOAT32] = row_f32_sigmoid, [DTYPE_FLOAT64] = row_f64_sigmoid},
};

/* Kernels whose bits depend on how ATen cuts and orders the rows
 * (cpu_aten_loop.h): sigmoid's vector/scalar split, and the VML ops, as
 * SLEEF's vector functions are not lane by lane independent (a large
 * argument in one lane sends the whole vector down the slow reduction). */
static bool unary_split_matters(UnaryOp op) {
    switch (op) {
#define VEC_CASE(ID, NAME) case UNARY_##ID:
        VEC_FN_LIST(VEC_CASE)
#undef VEC_CASE
    case UNARY_SIGMOID: return true;
    default: return false;
    }
}

static const CpuRowKernel binary_rows[BINARY_OP_COUNT][DTYPE_COUNT] = {
    [BINARY_ADD] = {row_bool_add, row_i64_add, row_f32_add, row_f64_add},
    [BINARY_SUB] = {[DTYPE_INT64] = row_i64_sub, [DTYPE_FLOAT32] = row_f32_sub, [DTYPE_FLOAT64] = row_f64_sub},
    [BINARY_MUL] = {row_bool_mul, row_i64_mul, row_f32_mul, row_f64_mul},
    [BINARY_DIV] = {[DTYPE_FLOAT32] = row_f32_div, [DTYPE_FLOAT64] = row_f64_div},
    [BINARY_POW] = {[DTYPE_INT64] = row_i64_pow}, /* floats: cpu_pow.c */
    [BINARY_MAXIMUM] = {row_bool_maximum, row_i64_maximum, row_f32_maximum, row_f64_maximum},
    [BINARY_MINIMUM] = {row_bool_minimum, row_i64_minimum, row_f32_minimum, row_f64_minimum},
    [BINARY_CLAMP_MIN] = {[DTYPE_INT64] = row_i64_clamp_min, [DTYPE_FLOAT32] = row_f32_clamp_min,
                          [DTYPE_FLOAT64] = row_f64_clamp_min},
    [BINARY_CLAMP_MAX] = {[DTYPE_INT64] = row_i64_clamp_max, [DTYPE_FLOAT32] = row_f32_clamp_max,
                          [DTYPE_FLOAT64] = row_f64_clamp_max},
    [BINARY_TANH_BACKWARD] = {[DTYPE_FLOAT32] = row_f32_tanh_backward, [DTYPE_FLOAT64] = row_f64_tanh_backward},
#define COMPARE_ENTRY(ID, NAME, OP) \
    [BINARY_##ID] = {row_b8_##NAME, row_i64_##NAME, row_f32_##NAME, row_f64_##NAME},
    COMPARE_LIST(COMPARE_ENTRY)
#undef COMPARE_ENTRY
};

static bool binary_split_matters(BinaryOp op, DType dtype) {
    return (op == BINARY_MAXIMUM || op == BINARY_MINIMUM || op == BINARY_TANH_BACKWARD) &&
           nb_dtype_is_floating(dtype);
}

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
    if (unary_split_matters(op)) return cpu_iterate_as_aten(2, ops, k);
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
    /* comparisons: the operands' dtype picks the kernel */
    DType dtype = a->dtype;
    CpuRowKernel k = binary_rows[op][dtype];
    if (!k) return missing_kernel(names[op], dtype);
    const Tensor *ops[] = {out, a, b};
    if (binary_split_matters(op, dtype)) return cpu_iterate_as_aten(3, ops, k);
    cpu_iterate(3, ops, k);
    return 0;
}

/* ---- where ---- */

#define DEFINE_WHERE_ROW(T, S)                                                         \
    static void row_##S##_where(int64_t n, char **p, const int64_t *s) {              \
        for (int64_t i = 0; i < n; i++)                                                 \
            *(T *)(p[0] + i * s[0]) = *(const bool *)(p[1] + i * s[1])                   \
                                          ? *(const T *)(p[2] + i * s[2])               \
                                          : *(const T *)(p[3] + i * s[3]);              \
    }
DEFINE_WHERE_ROW(bool, b8)
DEFINE_WHERE_ROW(int64_t, i64)
DEFINE_WHERE_ROW(float, f32)
DEFINE_WHERE_ROW(double, f64)

int cpu_where(Tensor *out, const Tensor *cond, const Tensor *a, const Tensor *b) {
    static const CpuRowKernel rows[DTYPE_COUNT] = {row_b8_where, row_i64_where, row_f32_where,
                                                   row_f64_where};
    const Tensor *ops[] = {out, cond, a, b};
    cpu_iterate(4, ops, rows[out->dtype]);
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

/* ---- small contiguous operands, without the iterator ---- */

bool cpu_binary_exact_contiguous(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b) {
    bool exact = op == BINARY_ADD || op == BINARY_SUB || op == BINARY_MUL || op == BINARY_DIV;
    DType dtype = out->dtype;
    if (!exact || (dtype != DTYPE_FLOAT32 && dtype != DTYPE_FLOAT64) || a->dtype != dtype || b->dtype != dtype)
        return false;
    /* one row of the row kernel, as cpu_iterate makes of three contiguous
     * operands of one shape (its rows are independent of where they start) */
    const int64_t z = (int64_t)nb_dtype_size(dtype);
    char *p[3] = {(char *)tensor_data(out), (char *)tensor_data(a), (char *)tensor_data(b)};
    int64_t s[3] = {z, z, z};
    binary_rows[op][dtype](tensor_numel(out), p, s);
    return true;
}

/* A unary op on one contiguous row: what cpu_unary runs on a contiguous
 * input below the parallel grain (one row; a single element is the same
 * value whatever its strides), for any op of the table. */
bool cpu_unary_contiguous(UnaryOp op, Tensor *out, const Tensor *in) {
    CpuRowKernel k = unary_rows[op][out->dtype];
    if (!k || in->dtype != out->dtype) return false;
    const int64_t z = (int64_t)nb_dtype_size(out->dtype);
    char *p[2] = {(char *)tensor_data(out), (char *)tensor_data(in)};
    int64_t s[2] = {z, z};
    k(tensor_numel(out), p, s);
    return true;
}
