/* copy: the converting copy on the device, dst = src for any two dtypes
 * and any strides on both sides, converting as kernels/cpu_elementwise.c's
 * CONVERT does (scalar_ops.cuh's nb::Convert). */
#include "cuda_internal.cuh"
#include "cuda_launch.h"
#include "scalar_ops.cuh"
#include "strided.cuh"

template <typename TD, typename TS, typename I> __global__ void copy_kernel(CudaGeometry g) {
    TD *dst = (TD *)g.data[0];
    const TS *src = (const TS *)g.data[1];
    const nb::Convert<TD, TS> convert;
    const I n = (I)g.numel;
    for (I i = grid_first<I>(); i < n; i += grid_step<I>()) {
        if (g.contiguous) {
            dst[i] = convert(src[i]);
        } else {
            I off[2];
            strided_offsets<I, 2>(g, i, off);
            dst[off[0]] = convert(src[off[1]]);
        }
    }
}

template <typename TD, typename TS> static int launch_copy(const CudaGeometry *g) {
    if (g->numel == 0) return 0;
    unsigned blocks = cuda_blocks_for(g->numel);
    if (g->index32)
        copy_kernel<TD, TS, int32_t><<<blocks, CUDA_THREADS>>>(*g);
    else
        copy_kernel<TD, TS, int64_t><<<blocks, CUDA_THREADS>>>(*g);
    return cuda_check_launch("copy_kernel");
}

template <typename TD> static int copy_from(DType src_dtype, const CudaGeometry *g) {
    switch (src_dtype) {
    case DTYPE_BOOL: return launch_copy<TD, bool>(g);
    case DTYPE_INT64: return launch_copy<TD, int64_t>(g);
    case DTYPE_FLOAT32: return launch_copy<TD, float>(g);
    case DTYPE_FLOAT64: return launch_copy<TD, double>(g);
    }
    return 1;
}

extern "C" int cuda_launch_copy(DType dst_dtype, DType src_dtype, const CudaGeometry *g) {
    switch (dst_dtype) {
    case DTYPE_BOOL: return copy_from<bool>(src_dtype, g);
    case DTYPE_INT64: return copy_from<int64_t>(src_dtype, g);
    case DTYPE_FLOAT32: return copy_from<float>(src_dtype, g);
    case DTYPE_FLOAT64: return copy_from<double>(src_dtype, g);
    }
    return 1;
}
