/* scalar_ops_host: the device kernels' element functions (scalar_ops.cuh)
 * run on the host, with the same op and dtype coverage as
 * cuda/elementwise.cu and cuda/copy.cu; see scalar_ops_host.h. */
#include "../cuda/scalar_ops.cuh"
#include "scalar_ops_host.h"

template <typename T, typename Op> static int unary(const void *in, void *out, int64_t n) {
    const Op op;
    for (int64_t i = 0; i < n; i++) ((T *)out)[i] = op(((const T *)in)[i]);
    return 0;
}

template <typename T, typename Op> static int binary(const void *a, const void *b, void *out, int64_t n) {
    const Op op;
    for (int64_t i = 0; i < n; i++) ((T *)out)[i] = op(((const T *)a)[i], ((const T *)b)[i]);
    return 0;
}

/* The launcher nb::dispatch_unary (scalar_ops.cuh, what the device uses
 * too) hands a type and functor: the same coverage by construction. */
struct UnaryHost {
    const void *in;
    void *out;
    int64_t n;
    template <typename T, typename Op> int go() { return unary<T, Op>(in, out, n); }
};

extern "C" int scalar_ops_host_unary(UnaryOp op, DType dtype, const void *in, void *out, int64_t n) {
    UnaryHost run = {in, out, n};
    return nb::dispatch_unary(op, dtype, run);
}

template <typename Op> static int binary_with_bool(DType dtype, const void *a, const void *b, void *out, int64_t n) {
    switch (dtype) {
    case DTYPE_BOOL: return binary<bool, Op>(a, b, out, n);
    case DTYPE_INT64: return binary<int64_t, Op>(a, b, out, n);
    case DTYPE_FLOAT32: return binary<float, Op>(a, b, out, n);
    case DTYPE_FLOAT64: return binary<double, Op>(a, b, out, n);
    }
    return 1;
}

template <typename Op> static int binary_any_number(DType dtype, const void *a, const void *b, void *out, int64_t n) {
    switch (dtype) {
    case DTYPE_INT64: return binary<int64_t, Op>(a, b, out, n);
    case DTYPE_FLOAT32: return binary<float, Op>(a, b, out, n);
    case DTYPE_FLOAT64: return binary<double, Op>(a, b, out, n);
    case DTYPE_BOOL: break;
    }
    return 1;
}

template <typename Op> static int binary_floating(DType dtype, const void *a, const void *b, void *out, int64_t n) {
    switch (dtype) {
    case DTYPE_FLOAT32: return binary<float, Op>(a, b, out, n);
    case DTYPE_FLOAT64: return binary<double, Op>(a, b, out, n);
    case DTYPE_BOOL:
    case DTYPE_INT64: break;
    }
    return 1;
}

extern "C" int scalar_ops_host_binary(BinaryOp op, DType dtype, bool scalar_exponent, const void *a, const void *b,
                                      void *out, int64_t n) {
    switch (op) {
    case BINARY_ADD: return binary_with_bool<nb::Add>(dtype, a, b, out, n);
    case BINARY_SUB: return binary_any_number<nb::Sub>(dtype, a, b, out, n);
    case BINARY_MUL: return binary_with_bool<nb::Mul>(dtype, a, b, out, n);
    case BINARY_DIV: return binary_floating<nb::Div>(dtype, a, b, out, n);
    case BINARY_POW:
        return scalar_exponent ? binary_any_number<nb::PowScalar>(dtype, a, b, out, n)
                               : binary_any_number<nb::Pow>(dtype, a, b, out, n);
    case BINARY_MAXIMUM: return binary_with_bool<nb::Maximum>(dtype, a, b, out, n);
    case BINARY_MINIMUM: return binary_with_bool<nb::Minimum>(dtype, a, b, out, n);
    case BINARY_CLAMP_MIN: return binary_any_number<nb::ClampMin>(dtype, a, b, out, n);
    case BINARY_CLAMP_MAX: return binary_any_number<nb::ClampMax>(dtype, a, b, out, n);
    case BINARY_TANH_BACKWARD: return binary_floating<nb::TanhBackward>(dtype, a, b, out, n);
    case BINARY_EQ:
    case BINARY_NE:
    case BINARY_LT:
    case BINARY_LE:
    case BINARY_GT:
    case BINARY_GE: /* bool results: checked through the device (test_cuda.c) */
    case BINARY_OP_COUNT: break;
    }
    return 1;
}

template <typename TD, typename TS> static int convert(const void *in, void *out, int64_t n) {
    const nb::Convert<TD, TS> c;
    for (int64_t i = 0; i < n; i++) ((TD *)out)[i] = c(((const TS *)in)[i]);
    return 0;
}

template <typename TD> static int convert_from(DType from, const void *in, void *out, int64_t n) {
    switch (from) {
    case DTYPE_BOOL: return convert<TD, bool>(in, out, n);
    case DTYPE_INT64: return convert<TD, int64_t>(in, out, n);
    case DTYPE_FLOAT32: return convert<TD, float>(in, out, n);
    case DTYPE_FLOAT64: return convert<TD, double>(in, out, n);
    }
    return 1;
}

extern "C" int scalar_ops_host_convert(DType to, DType from, const void *in, void *out, int64_t n) {
    switch (to) {
    case DTYPE_BOOL: return convert_from<bool>(from, in, out, n);
    case DTYPE_INT64: return convert_from<int64_t>(from, in, out, n);
    case DTYPE_FLOAT32: return convert_from<float>(from, in, out, n);
    case DTYPE_FLOAT64: return convert_from<double>(from, in, out, n);
    }
    return 1;
}
