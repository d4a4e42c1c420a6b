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
template <typename Op> static int unary_any_number(DType dtype, const CudaGeometry *g) {
    switch (dtype) {
    case DTYPE_INT64: return launch_unary<int64_t, Op>(g);
    case DTYPE_FLOAT32: return launch_unary<float, Op>(g);
    case DTYPE_FLOAT64: return launch_unary<double, Op>(g);
    case DTYPE_BOOL: break;
    }
    return 1;
}

template <typename Op> static int unary_floating(DType dtype, const CudaGeometry *g) {
    switch (dtype) {
    case DTYPE_FLOAT32: return launch_unary<float, Op>(g);
    case DTYPE_FLOAT64: return launch_unary<double, Op>(g);
    case DTYPE_BOOL:
    case DTYPE_INT64: break;
    }
    return 1;
}

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

extern "C" int cuda_launch_unary(UnaryOp op, DType dtype, const CudaGeometry *g) {
    switch (op) {
    case UNARY_NEG: return unary_any_number<nb::Neg>(dtype, g);
    case UNARY_SIN: return unary_floating<nb::Sin>(dtype, g);
    case UNARY_COS: return unary_floating<nb::Cos>(dtype, g);
    case UNARY_EXP: return unary_floating<nb::Exp>(dtype, g);
    case UNARY_LOG: return unary_floating<nb::Log>(dtype, g);
    case UNARY_OP_COUNT: break;
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
    case BINARY_OP_COUNT: break;
    }
    return 1;
}
