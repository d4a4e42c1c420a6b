/* cpu_pow: PyTorch 1.13's pow for float32/float64 (Pow.cpp, PowKernel.cpp).
 *
 * A Python-number exponent takes pow_tensor_scalar's shortcuts: 0 fills
 * ones, 1 copies, 0.5, -0.5, -1, 2, 3 and -2 are sqrt, 1/sqrt, 1/x, x*x,
 * x*x*x and 1/(x*x), all exactly rounded, so no loop structure shows. Any
 * other exponent, and a tensor exponent, run ATen's cpu_kernel_vec, whose
 * vector body (SLEEF's pow) and scalar body (libm's) round differently: each
 * row segment goes two vectors at a time through the vector body and its
 * last n mod 2*lanes values through the scalar one, and rows whose operands
 * are not contiguous (a broadcast scalar aside) go wholly through the
 * scalar one. So the rows are cut where ATen cuts them (cpu_iterate_aten). */
#include "cpu_pow.h"

#include <math.h>
#include <stdbool.h>

#include "error.h"
#include "cpu_aten_loop.h"
#include "cpu_iter.h"
#include "cpu_kernels.h"
#include "cpu_vec.h"

/* The scalar bodies. float32's with a Python-number exponent computes in
 * double, std::pow(float, double); with a tensor exponent, std::pow(float,
 * float) is powf. */
static inline double f64_pow_scalar(double x, double e) { return pow(x, e); }
static inline float f32_pow_scalar(float x, double e) { return (float)pow((double)x, e); }
static inline double f64_pow_tensor(double x, double e) { return pow(x, e); }
static inline float f32_pow_tensor(float x, float e) { return powf(x, e); }

/* ATen's VectorizedLoop2d and vectorized_loop for one row: vectorized when
 * the output and inputs are contiguous, or all but one input that is a
 * broadcast scalar (stride 0); else basic_loop. */
#define DEFINE_POW_ROW(T, S, SCALAR)                                                     \
    static void row_##S##_##SCALAR(int64_t n, char **p, const int64_t *s) {             \
        const int64_t z = (int64_t)sizeof(T);                                             \
        bool x_ok = s[1] == z || s[1] == 0, e_ok = s[2] == z || s[2] == 0;                \
        int64_t i = 0;                                                                    \
        if (s[0] == z && x_ok && e_ok && (s[1] != 0 || s[2] != 0)) {                      \
            int64_t step = 2 * (int64_t)vec_lanes((int)z);                                \
            i = n / step * step;                                                          \
            vec_pow_##S((T *)p[0], (const T *)p[1], s[1] / z, (const T *)p[2], s[2] / z, i); \
        }                                                                                 \
        for (; i < n; i++)                                                                \
            *(T *)(p[0] + i * s[0]) =                                                     \
                S##_##SCALAR(*(const T *)(p[1] + i * s[1]), *(const T *)(p[2] + i * s[2])); \
    }
DEFINE_POW_ROW(double, f64, pow_tensor)
DEFINE_POW_ROW(float, f32, pow_tensor)

/* With a Python-number exponent ATen's loop is unary: only the output and
 * base decide. The exponent (p[2], stride 0) is a double; the vector body
 * takes it rounded to T, the scalar body as it is. */
#define DEFINE_POW_SCALAR_ROW(T, S)                                                      \
    static void row_##S##_pow_scalar(int64_t n, char **p, const int64_t *s) {           \
        const int64_t z = (int64_t)sizeof(T);                                             \
        const double e = *(const double *)p[2];                                           \
        const T vector_e = (T)e;                                                          \
        int64_t i = 0;                                                                    \
        if (s[0] == z && s[1] == z) {                                                     \
            int64_t step = 2 * (int64_t)vec_lanes((int)z);                                \
            i = n / step * step;                                                          \
            vec_pow_##S((T *)p[0], (const T *)p[1], 1, &vector_e, 0, i);                  \
        }                                                                                 \
        for (; i < n; i++)                                                                \
            *(T *)(p[0] + i * s[0]) = S##_pow_scalar(*(const T *)(p[1] + i * s[1]), e);   \
    }
DEFINE_POW_SCALAR_ROW(double, f64)
DEFINE_POW_SCALAR_ROW(float, f32)

/* The shortcuts, element by element (each is exactly rounded). */
#define DEFINE_SHORTCUT_ROW(T, S, NAME, EXPR)                                             \
    static void row_##S##_##NAME(int64_t n, char **p, const int64_t *s) {                \
        for (int64_t i = 0; i < n; i++) {                                                 \
            const T x = *(const T *)(p[1] + i * s[1]);                                    \
            *(T *)(p[0] + i * s[0]) = (EXPR);                                             \
        }                                                                                 \
    }
#define DEFINE_SHORTCUT_ROWS(T, S, SQRT)                          \
    DEFINE_SHORTCUT_ROW(T, S, ones, ((void)x, (T)1))              \
    DEFINE_SHORTCUT_ROW(T, S, copy, x)                            \
    DEFINE_SHORTCUT_ROW(T, S, sqrt, SQRT(x))                      \
    DEFINE_SHORTCUT_ROW(T, S, rsqrt, (T)1 / SQRT(x))              \
    DEFINE_SHORTCUT_ROW(T, S, reciprocal, (T)1 / x)               \
    DEFINE_SHORTCUT_ROW(T, S, square, x * x)                      \
    DEFINE_SHORTCUT_ROW(T, S, cube, x * x * x)                    \
    DEFINE_SHORTCUT_ROW(T, S, inverse_square, (T)1 / (x * x))
DEFINE_SHORTCUT_ROWS(double, f64, sqrt)
DEFINE_SHORTCUT_ROWS(float, f32, sqrtf)

#define SHORTCUTS(S)                                                                        \
    {row_##S##_ones, row_##S##_copy, row_##S##_sqrt, row_##S##_rsqrt, row_##S##_reciprocal, \
     row_##S##_square, row_##S##_cube, row_##S##_inverse_square}

/* In Pow.cpp's and pow_tensor_scalar_kernel's order. */
static const double shortcut_exponents[] = {0, 1, 0.5, -0.5, -1, 2, 3, -2};

int cpu_pow_float(Tensor *out, const Tensor *base, const Tensor *exponent) {
    static const CpuRowKernel shortcuts[2][8] = {SHORTCUTS(f32), SHORTCUTS(f64)};
    bool f64 = out->dtype == DTYPE_FLOAT64;
    const Tensor *ops[] = {out, base, exponent};
    if (!exponent->is_wrapped_number)
        return cpu_iterate_as_aten(3, ops, f64 ? row_f64_pow_tensor : row_f32_pow_tensor);
    if (exponent->dtype != DTYPE_FLOAT64)
        return nb_error_set(ERR_VALUE, "internal error: pow's Python-number exponent must be float64");
    double e = *(const double *)tensor_data(exponent);
    for (int k = 0; k < 8; k++)
        if (e == shortcut_exponents[k]) {
            cpu_iterate(3, ops, shortcuts[f64][k]);
            return 0;
        }
    return cpu_iterate_as_aten(3, ops, f64 ? row_f64_pow_scalar : row_f32_pow_scalar);
}

/* ---- one value at a time, for host loops of derivatives ---- */

/* The index of e among the shortcuts, or -1. */
static int shortcut_of(double e) {
    for (int k = 0; k < 8; k++)
        if (e == shortcut_exponents[k]) return k;
    return -1;
}

bool cpu_pow_scalar_elementwise(int64_t n, int elem_size, double e) {
    return shortcut_of(e) >= 0 || n < 2 * (int64_t)vec_lanes(elem_size);
}

/* The shortcut rows' expressions, one value (same order as SHORTCUTS). */
#define DEFINE_POW_ONE(T, S, SQRT)                                                        \
    T cpu_pow_scalar_##S(T x, double e) {                                                \
        switch (shortcut_of(e)) {                                                         \
        case 0: return (T)1;                                                              \
        case 1: return x;                                                                 \
        case 2: return SQRT(x);                                                           \
        case 3: return (T)1 / SQRT(x);                                                    \
        case 4: return (T)1 / x;                                                          \
        case 5: return x * x;                                                             \
        case 6: return x * x * x;                                                         \
        case 7: return (T)1 / (x * x);                                                    \
        default: return S##_pow_scalar(x, e);                                             \
        }                                                                                 \
    }
DEFINE_POW_ONE(double, f64, sqrt)
DEFINE_POW_ONE(float, f32, sqrtf)
