/* reduce_minmax: the backend's `reduce` entry on the device (max, min,
 * argmax, argmin; kernels/reduce_op_table.h). One thread per output
 * element walks its reduced block in C order, as sum_into does (reduce.cu).
 * argmax/argmin keep the first extreme, a NaN before any number, which is
 * the CPU's answer whatever the order. max/min propagate NaN; which zero
 * comes out when +0 and -0 are both extremes follows this walk, not the
 * CPU's vector lanes. */
#include "cuda_internal.cuh"
#include "cuda_launch.h"
#include "strided.cuh"

template <typename T> __device__ __forceinline__ bool is_nan(T v) { return v != v; }

/* whether v replaces best (an earlier element) */
template <typename T> __device__ __forceinline__ bool beats(bool is_max, T v, T best) {
    if (is_nan(best)) return false;
    if (is_nan(v)) return true;
    return is_max ? v > best : v < best;
}

template <typename T, typename I> __global__ void extreme_kernel(CudaSumIntoGeometry g, bool is_max, bool index) {
    const T *src = (const T *)g.src;
    for (I o = grid_first<I>(); o < (I)g.nkept; o += grid_step<I>()) {
        I rest = o, dst_off = 0, src_off = 0;
        for (int d = g.nkeep - 1; d >= 0; d--) {
            I size = (I)g.keep_shape[d], at = rest % size;
            rest /= size;
            dst_off += at * (I)g.keep_dst[d];
            src_off += at * (I)g.keep_src[d];
        }
        T best = src[src_off];
        I best_r = 0;
        for (I r = 1; r < (I)g.nreduced; r++) {
            I rest_r = r, off = src_off;
            for (int d = g.nreduce - 1; d >= 0; d--) {
                I size = (I)g.reduce_shape[d], at = rest_r % size;
                rest_r /= size;
                off += at * (I)g.reduce_src[d];
            }
            if (beats(is_max, src[off], best)) {
                best = src[off];
                best_r = r;
            }
        }
        if (index)
            ((int64_t *)g.dst)[dst_off] = (int64_t)best_r;
        else
            ((T *)g.dst)[dst_off] = best;
    }
}

/* bool max/min: any/all */
template <typename I> __global__ void any_all_kernel(CudaSumIntoGeometry g, bool is_max) {
    const bool *src = (const bool *)g.src;
    if (grid_first<I>() != 0) return;
    bool acc = !is_max;
    for (I r = 0; r < (I)g.nreduced; r++) {
        I rest_r = r, off = 0;
        for (int d = g.nreduce - 1; d >= 0; d--) {
            I size = (I)g.reduce_shape[d], at = rest_r % size;
            rest_r /= size;
            off += at * (I)g.reduce_src[d];
        }
        acc = is_max ? acc || src[off] : acc && src[off];
    }
    *(bool *)g.dst = acc;
}

template <typename T> static int launch_extreme(const CudaSumIntoGeometry *g, bool is_max, bool index) {
    if (g->nkept == 0 || g->nreduced == 0) return 0;
    unsigned blocks = cuda_blocks_for(g->nkept);
    if (g->index32)
        extreme_kernel<T, int32_t><<<blocks, CUDA_THREADS>>>(*g, is_max, index);
    else
        extreme_kernel<T, int64_t><<<blocks, CUDA_THREADS>>>(*g, is_max, index);
    return cuda_check_launch("extreme_kernel");
}

extern "C" int cuda_launch_reduce(ReduceOp op, DType dtype, const CudaSumIntoGeometry *g) {
    bool is_max = REDUCE_IS_MAX(op), index = REDUCE_GIVES_INDEX(op);
    switch (dtype) {
    case DTYPE_INT64: return launch_extreme<int64_t>(g, is_max, index);
    case DTYPE_FLOAT32: return launch_extreme<float>(g, is_max, index);
    case DTYPE_FLOAT64: return launch_extreme<double>(g, is_max, index);
    case DTYPE_BOOL:
        if (index) break;
        any_all_kernel<int64_t><<<1, 1>>>(*g, is_max);
        return cuda_check_launch("any_all_kernel");
    }
    return 1;
}
