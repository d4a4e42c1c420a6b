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

#include "op_table.h"
#include "dtype.h"

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

/* ---- unary ----
 * One functor per op-table row, named after its ID (elementwise.cu's
 * dispatch is generated from the table): float and double, and int64 for a
 * SAME_DTYPE row. */

struct NEG {
    NB_HD int64_t operator()(int64_t x) const { return i64_neg(x); }
    NB_HD float operator()(float x) const { return -x; }
    NB_HD double operator()(double x) const { return -x; }
};
struct SIN {
    NB_HD float operator()(float x) const { return sinf(x); }
    NB_HD double operator()(double x) const { return sin(x); }
};
struct COS {
    NB_HD float operator()(float x) const { return cosf(x); }
    NB_HD double operator()(double x) const { return cos(x); }
};
struct EXP {
    NB_HD float operator()(float x) const { return expf(x); }
    NB_HD double operator()(double x) const { return exp(x); }
};
struct LOG {
    NB_HD float operator()(float x) const { return logf(x); }
    NB_HD double operator()(double x) const { return log(x); }
};
struct TANH {
    NB_HD float operator()(float x) const { return tanhf(x); }
    NB_HD double operator()(double x) const { return tanh(x); }
};
/* the CPU's scalar body: 1 / (1 + exp(-x)) */
struct SIGMOID {
    NB_HD float operator()(float x) const { return 1.0f / (1.0f + expf(-x)); }
    NB_HD double operator()(double x) const { return 1.0 / (1.0 + exp(-x)); }
};
/* clamp_min(x, 0): keeps x on a tie (-0.0) and a nan */
struct RELU {
    NB_HD int64_t operator()(int64_t x) const { return x < 0 ? 0 : x; }
    NB_HD float operator()(float x) const { return x < 0 ? 0.0f : x; }
    NB_HD double operator()(double x) const { return x < 0 ? 0.0 : x; }
};
struct SQRT {
    NB_HD float operator()(float x) const { return sqrtf(x); }
    NB_HD double operator()(double x) const { return sqrt(x); }
};
struct ABS {
    NB_HD int64_t operator()(int64_t x) const { return x < 0 ? i64_neg(x) : x; }
    NB_HD float operator()(float x) const { return fabsf(x); }
    NB_HD double operator()(double x) const { return fabs(x); }
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

/* maximum and minimum: a nan from either side, else the CPU's scalar body */
struct Maximum {
    NB_HD bool operator()(bool x, bool y) const { return x || y; }
    NB_HD int64_t operator()(int64_t x, int64_t y) const { return x < y ? y : x; }
    NB_HD float operator()(float x, float y) const { return (x != x || y != y) ? NAN : x < y ? y : x; }
    NB_HD double operator()(double x, double y) const { return (x != x || y != y) ? NAN : x < y ? y : x; }
};
struct Minimum {
    NB_HD bool operator()(bool x, bool y) const { return x && y; }
    NB_HD int64_t operator()(int64_t x, int64_t y) const { return y < x ? y : x; }
    NB_HD float operator()(float x, float y) const { return (x != x || y != y) ? NAN : y < x ? y : x; }
    NB_HD double operator()(double x, double y) const { return (x != x || y != y) ? NAN : y < x ? y : x; }
};

/* clamp by a Python number: std::max(x, min), std::min(x, max) */
struct ClampMin {
    template <typename T> NB_HD T operator()(T x, T lo) const { return x < lo ? lo : x; }
};
struct ClampMax {
    template <typename T> NB_HD T operator()(T x, T hi) const { return hi < x ? hi : x; }
};

/* tanh_backward: g * (1 - r * r) with the CPU's fused multiply-add */
struct TanhBackward {
    NB_HD float operator()(float g, float r) const { return g * fmaf(-r, r, 1.0f); }
    NB_HD double operator()(double g, double r) const { return g * fma(-r, r, 1.0); }
};

/* Comparisons: a bool from two operands of one dtype. */
#define NB_COMPARE(NAME, OP)                                                   \
    struct NAME {                                                              \
        template <typename T> NB_HD bool operator()(T x, T y) const { return x OP y; } \
    };
NB_COMPARE(Eq, ==)
NB_COMPARE(Ne, !=)
NB_COMPARE(Lt, <)
NB_COMPARE(Le, <=)
NB_COMPARE(Gt, >)
NB_COMPARE(Ge, >=)
#undef NB_COMPARE

/* The dtypes a unary row's functor is instantiated for, by its dtype rule
 * (kernels/op_table.h): Run::run<T, Op>() for the one asked for, 1 where
 * the rule has no kernel. Shared by elementwise.cu and the host check
 * (tests/scalar_ops_host.cu). */
template <int RULE> struct UnaryDtypes;
template <> struct UnaryDtypes<OP_RULE_FLOAT_RESULT> {
    template <typename Op, typename Run> static int dispatch(DType dtype, Run &run) {
        switch (dtype) {
        case DTYPE_FLOAT32: return run.template go<float, Op>();
        case DTYPE_FLOAT64: return run.template go<double, Op>();
        case DTYPE_BOOL:
        case DTYPE_INT64: break;
        }
        return 1;
    }
};
template <> struct UnaryDtypes<OP_RULE_SAME_DTYPE> {
    template <typename Op, typename Run> static int dispatch(DType dtype, Run &run) {
        switch (dtype) {
        case DTYPE_INT64: return run.template go<int64_t, Op>();
        case DTYPE_FLOAT32: return run.template go<float, Op>();
        case DTYPE_FLOAT64: return run.template go<double, Op>();
        case DTYPE_BOOL: break;
        }
        return 1;
    }
};

/* Run::go<T, Op>() for the table row `op`, in `dtype`. */
template <typename Run> int dispatch_unary(UnaryOp op, DType dtype, Run &run) {
    switch (op) {
#define NB_UNARY_CASE(ID, NAME, GRAD_NAME, SAVED, FN, RULE, ...) \
    case UNARY_##ID: return UnaryDtypes<OP_RULE_##RULE>::dispatch<ID>(dtype, run);
        UNARY_OP_LIST(NB_UNARY_CASE)
#undef NB_UNARY_CASE
    case UNARY_OP_COUNT: break;
    }
    return 1;
}

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
