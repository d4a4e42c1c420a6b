/* elementwise: the CUDA kernels for every row of the op table
 * (kernels/op_table.h), unary and binary, over operands of any strides
 * (broadcast inputs arrive as stride-0 views). One templated kernel per
 * arity; the arithmetic is scalar_ops.cuh's, which follows the CPU kernels
 * exactly. */
#include "cuda_internal.cuh"
#include "cuda_launch.h"
#include "scalar_ops.cuh"
#include "strided.cuh"

template <typename T, typename Op, typename I>
__global__ void unary_kernel(CudaGeometry g, Op op) {
    T *out = (T *)g.data[0];
    const T *in = (const T *)g.data[1];
    const I n = (I)g.numel;
    for (I i = grid_first<I>(); i < n; i += grid_step<I>()) {
        if (g.contiguous) {
            out[i] = op(in[i]);
        } else {
            I off[2];
            strided_offsets<I, 2>(g, i, off);
            out[off[0]] = op(in[off[1]]);
        }
    }
}

template <typename T, typename Op, typename I>
__global__ void binary_kernel(CudaGeometry g, Op op) {
    T *out = (T *)g.data[0];
    const T *a = (const T *)g.data[1];
    const T *b = (const T *)g.data[2];
    const I n = (I)g.numel;
    for (I i = grid_first<I>(); i < n; i += grid_step<I>()) {
        if (g.contiguous) {
            out[i] = op(a[i], b[i]);
        } else {
            I off[3];
            strided_offsets<I, 3>(g, i, off);
            out[off[0]] = op(a[off[1]], b[off[2]]);
        }
    }
}

template <typename T, typename Op> static int launch_unary(const CudaGeometry *g) {
    if (g->numel == 0) return 0;
    unsigned blocks = cuda_blocks_for(g->numel);
    if (g->index32)
        unary_kernel<T, Op, int32_t><<<blocks, CUDA_THREADS>>>(*g, Op());
    else
        unary_kernel<T, Op, int64_t><<<blocks, CUDA_THREADS>>>(*g, Op());
    return cuda_check_launch("unary_kernel");
}

template <typename T, typename Op> static int launch_binary(const CudaGeometry *g) {
    if (g->numel == 0) return 0;
    unsigned blocks = cuda_blocks_for(g->numel);
    if (g->index32)
        binary_kernel<T, Op, int32_t><<<blocks, CUDA_THREADS>>>(*g, Op());
    else
        binary_kernel<T, Op, int64_t><<<blocks, CUDA_THREADS>>>(*g, Op());
    return cuda_check_launch("binary_kernel");
}

/* The dtypes each family of ops is defined for; the front end never sends
 * others (it promotes first), and 1 tells the C side there is no kernel. */
template <typename Op> static int binary_with_bool(DType dtype, const CudaGeometry *g) {
    switch (dtype) {
    case DTYPE_BOOL: return launch_binary<bool, Op>(g);
    case DTYPE_INT64: return launch_binary<int64_t, Op>(g);
    case DTYPE_FLOAT32: return launch_binary<float, Op>(g);
    case DTYPE_FLOAT64: return launch_binary<double, Op>(g);
    }
    return 1;
}

template <typename Op> static int binary_any_number(DType dtype, const CudaGeometry *g) {
    switch (dtype) {
    case DTYPE_INT64: return launch_binary<int64_t, Op>(g);
    case DTYPE_FLOAT32: return launch_binary<float, Op>(g);
    case DTYPE_FLOAT64: return launch_binary<double, Op>(g);
    case DTYPE_BOOL: break;
    }
    return 1;
}

template <typename Op> static int binary_floating(DType dtype, const CudaGeometry *g) {
    switch (dtype) {
    case DTYPE_FLOAT32: return launch_binary<float, Op>(g);
    case DTYPE_FLOAT64: return launch_binary<double, Op>(g);
    case DTYPE_BOOL:
    case DTYPE_INT64: break;
    }
    return 1;
}

/* The launcher dispatch_unary (scalar_ops.cuh) hands a type and functor. */
struct UnaryLaunch {
    const CudaGeometry *g;
    template <typename T, typename Op> int go() { return launch_unary<T, Op>(g); }
};

extern "C" int cuda_launch_unary(UnaryOp op, DType dtype, const CudaGeometry *g) {
    UnaryLaunch run = {g};
    return nb::dispatch_unary(op, dtype, run);
}

template <typename T, typename Op, typename I>
__global__ void compare_kernel(CudaGeometry g, Op op) {
    bool *out = (bool *)g.data[0];
    const T *a = (const T *)g.data[1];
    const T *b = (const T *)g.data[2];
    const I n = (I)g.numel;
    for (I i = grid_first<I>(); i < n; i += grid_step<I>()) {
        I off[3];
        strided_offsets<I, 3>(g, i, off);
        out[off[0]] = op(a[off[1]], b[off[2]]);
    }
}

template <typename T, typename Op> static int launch_compare_typed(const CudaGeometry *g) {
    if (g->numel == 0) return 0;
    unsigned blocks = cuda_blocks_for(g->numel);
    if (g->index32)
        compare_kernel<T, Op, int32_t><<<blocks, CUDA_THREADS>>>(*g, Op());
    else
        compare_kernel<T, Op, int64_t><<<blocks, CUDA_THREADS>>>(*g, Op());
    return cuda_check_launch("compare_kernel");
}

/* dtype: the operands' (the result is bool) */
template <typename Op> static int compare(DType dtype, const CudaGeometry *g) {
    switch (dtype) {
    case DTYPE_BOOL: return launch_compare_typed<bool, Op>(g);
    case DTYPE_INT64: return launch_compare_typed<int64_t, Op>(g);
    case DTYPE_FLOAT32: return launch_compare_typed<float, Op>(g);
    case DTYPE_FLOAT64: return launch_compare_typed<double, Op>(g);
    }
    return 1;
}

template <typename T, typename I> __global__ void where_kernel(CudaGeometry g) {
    T *out = (T *)g.data[0];
    const bool *c = (const bool *)g.data[1];
    const T *a = (const T *)g.data[2];
    const T *b = (const T *)g.data[3];
    const I n = (I)g.numel;
    for (I i = grid_first<I>(); i < n; i += grid_step<I>()) {
        I off[4];
        strided_offsets<I, 4>(g, i, off);
        out[off[0]] = c[off[1]] ? a[off[2]] : b[off[3]];
    }
}

template <typename T> static int launch_where(const CudaGeometry *g) {
    if (g->numel == 0) return 0;
    unsigned blocks = cuda_blocks_for(g->numel);
    if (g->index32)
        where_kernel<T, int32_t><<<blocks, CUDA_THREADS>>>(*g);
    else
        where_kernel<T, int64_t><<<blocks, CUDA_THREADS>>>(*g);
    return cuda_check_launch("where_kernel");
}

extern "C" int cuda_launch_where(DType dtype, const CudaGeometry *g) {
    switch (dtype) {
    case DTYPE_BOOL: return launch_where<bool>(g);
    case DTYPE_INT64: return launch_where<int64_t>(g);
    case DTYPE_FLOAT32: return launch_where<float>(g);
    case DTYPE_FLOAT64: return launch_where<double>(g);
    }
    return 1;
}

extern "C" int cuda_launch_binary(BinaryOp op, DType dtype, const CudaGeometry *g, bool scalar_exponent) {
    switch (op) {
    case BINARY_ADD: return binary_with_bool<nb::Add>(dtype, g);
    case BINARY_SUB: return binary_any_number<nb::Sub>(dtype, g);
    case BINARY_MUL: return binary_with_bool<nb::Mul>(dtype, g);
    case BINARY_DIV: return binary_floating<nb::Div>(dtype, g);
    case BINARY_POW:
        return scalar_exponent ? binary_any_number<nb::PowScalar>(dtype, g)
                               : binary_any_number<nb::Pow>(dtype, g);
    case BINARY_MAXIMUM: return binary_with_bool<nb::Maximum>(dtype, g);
    case BINARY_MINIMUM: return binary_with_bool<nb::Minimum>(dtype, g);
    case BINARY_CLAMP_MIN: return binary_any_number<nb::ClampMin>(dtype, g);
    case BINARY_CLAMP_MAX: return binary_any_number<nb::ClampMax>(dtype, g);
    case BINARY_TANH_BACKWARD: return binary_floating<nb::TanhBackward>(dtype, g);
    case BINARY_EQ: return compare<nb::Eq>(dtype, g);
    case BINARY_NE: return compare<nb::Ne>(dtype, g);
    case BINARY_LT: return compare<nb::Lt>(dtype, g);
    case BINARY_LE: return compare<nb::Le>(dtype, g);
    case BINARY_GT: return compare<nb::Gt>(dtype, g);
    case BINARY_GE: return compare<nb::Ge>(dtype, g);
    case BINARY_OP_COUNT: break;
    }
    return 1;
}
