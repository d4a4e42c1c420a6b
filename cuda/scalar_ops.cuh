/* scalar_ops: the arithmetic of every op-table row and of the converting
 * copy, one element at a time, with the CPU kernels' semantics
 * (kernels/cpu_elementwise.c): int64 wraps around, bool add/mul are or/and,
 * pow by a scalar takes PyTorch's shortcuts, float to int64 gives INT64_MIN
 * for nan and out-of-range values. __host__ __device__ so the same code can
 * be checked on the host (tests/cuda_scalar_check.cu). nvcc runs with
 * --fmad=false, so no product is fused into an add, as on the CPU. */
#ifndef NB_CUDA_SCALAR_OPS_CUH
#define NB_CUDA_SCALAR_OPS_CUH

#include <math.h>
#include <stdint.h>

#define NB_HD __host__ __device__ inline

namespace nb {

/* Through uint64, where wrap-around is defined. */
NB_HD int64_t i64_add(int64_t x, int64_t y) { return (int64_t)((uint64_t)x + (uint64_t)y); }
NB_HD int64_t i64_sub(int64_t x, int64_t y) { return (int64_t)((uint64_t)x - (uint64_t)y); }
NB_HD int64_t i64_mul(int64_t x, int64_t y) { return (int64_t)((uint64_t)x * (uint64_t)y); }
NB_HD int64_t i64_neg(int64_t x) { return (int64_t)(0 - (uint64_t)x); }

/* Exponentiation by squaring; a negative exponent (from a tensor exponent)
 * gives what integer division of 1 by the power would. */
NB_HD int64_t i64_pow(int64_t base, int64_t exp) {
    if (exp < 0) return base == 1 ? 1 : base == -1 ? ((exp & 1) ? -1 : 1) : 0;
    uint64_t result = 1, b = (uint64_t)base;
    while (exp) {
        if (exp & 1) result *= b;
        b *= b;
        exp >>= 1;
    }
    return (int64_t)result;
}

/* ---- unary ---- */

struct Neg {
    NB_HD int64_t operator()(int64_t x) const { return i64_neg(x); }
    NB_HD float operator()(float x) const { return -x; }
    NB_HD double operator()(double x) const { return -x; }
};
struct Sin {
    NB_HD float operator()(float x) const { return sinf(x); }
    NB_HD double operator()(double x) const { return sin(x); }
};
struct Cos {
    NB_HD float operator()(float x) const { return cosf(x); }
    NB_HD double operator()(double x) const { return cos(x); }
};
struct Exp {
    NB_HD float operator()(float x) const { return expf(x); }
    NB_HD double operator()(double x) const { return exp(x); }
};
struct Log {
    NB_HD float operator()(float x) const { return logf(x); }
    NB_HD double operator()(double x) const { return log(x); }
};

/* ---- binary ---- */

struct Add {
    NB_HD bool operator()(bool x, bool y) const { return x || y; }
    NB_HD int64_t operator()(int64_t x, int64_t y) const { return i64_add(x, y); }
    NB_HD float operator()(float x, float y) const { return x + y; }
    NB_HD double operator()(double x, double y) const { return x + y; }
};
struct Sub {
    NB_HD int64_t operator()(int64_t x, int64_t y) const { return i64_sub(x, y); }
    NB_HD float operator()(float x, float y) const { return x - y; }
    NB_HD double operator()(double x, double y) const { return x - y; }
};
struct Mul {
    NB_HD bool operator()(bool x, bool y) const { return x && y; }
    NB_HD int64_t operator()(int64_t x, int64_t y) const { return i64_mul(x, y); }
    NB_HD float operator()(float x, float y) const { return x * y; }
    NB_HD double operator()(double x, double y) const { return x * y; }
};
struct Div {
    NB_HD float operator()(float x, float y) const { return x / y; }
    NB_HD double operator()(double x, double y) const { return x / y; }
};
struct Pow {
    NB_HD int64_t operator()(int64_t x, int64_t y) const { return i64_pow(x, y); }
    NB_HD float operator()(float x, float y) const { return powf(x, y); }
    NB_HD double operator()(double x, double y) const { return pow(x, y); }
};

/* pow whose exponent does not vary along the innermost dimension: the CPU
 * kernel then takes PyTorch's shortcuts (x*x for 2, sqrt for 0.5, ...),
 * which round differently from pow, so the device takes them too. */
template <typename T, typename Sqrt> NB_HD T pow_scalar(T x, T y, Sqrt sqrt_fn) {
    if (y == 2) return x * x;
    if (y == 3) return x * x * x;
    if (y == (T)0.5) return sqrt_fn(x);
    if (y == (T)-0.5) return 1 / sqrt_fn(x);
    if (y == -1) return 1 / x;
    if (y == -2) return 1 / (x * x);
    return Pow()(x, y);
}
struct SqrtF {
    NB_HD float operator()(float x) const { return sqrtf(x); }
};
struct SqrtD {
    NB_HD double operator()(double x) const { return sqrt(x); }
};
struct PowScalar {
    NB_HD int64_t operator()(int64_t x, int64_t y) const { return i64_pow(x, y); }
    NB_HD float operator()(float x, float y) const { return pow_scalar(x, y, SqrtF()); }
    NB_HD double operator()(double x, double y) const { return pow_scalar(x, y, SqrtD()); }
};

/* ---- the converting copy ---- */

/* Out-of-range and nan float-to-int conversions are undefined in C++; x86
 * (and so PyTorch's CPU kernels and ours) yields INT64_MIN. */
NB_HD int64_t float_to_int64(double x) {
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return INT64_MIN;
    return (int64_t)x;
}

template <typename TD, typename TS> struct Convert {
    NB_HD TD operator()(TS x) const { return (TD)x; }
};
template <> struct Convert<int64_t, float> {
    NB_HD int64_t operator()(float x) const { return float_to_int64((double)x); }
};
template <> struct Convert<int64_t, double> {
    NB_HD int64_t operator()(double x) const { return float_to_int64(x); }
};

} // namespace nb

#endif
