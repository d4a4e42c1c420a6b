/* reduce: sum, dot and sum_into on the device, deterministic: no atomics,
 * every addition in an order fixed by the shape alone.
 *
 * sum and dot follow the CPU's pairwise tree (pairwise.cuh): the pieces
 * run one per thread, and the additions above them level by level in
 * shared memory, groups of 1024 per block and pass. A float sum is bit for
 * bit the CPU's. (The CPU's dot is OpenBLAS's, whose order is its own; the
 * GPU's adds the rounded products in the same tree as sum.)
 *
 * sum_into sets each element of dst to the sum of the src elements that
 * land on it, added in C order to 0, one thread per dst element. */
#include "cuda_internal.cuh"
#include "cuda_launch.h"
#include "pairwise.cuh"
#include "scalar_ops.cuh"
#include "strided.cuh"

#define TREE_GROUP_LOG2 10

template <typename T, typename Load>
__global__ void piece_sums(Load load, int64_t n, int depth, T *partial) {
    const int64_t pieces = (int64_t)1 << depth;
    for (int64_t t = grid_first<int64_t>(); t < pieces; t += grid_step<int64_t>())
        partial[t] = nb::pairwise_piece<T>(load, n, depth, t);
}

/* Block b reduces in[b*G .. b*G+G) (G = 2 << log2 of blockDim.x, adjacent
 * pairs first) to out[b]. */
template <typename T> __global__ void tree_pass(const T *in, T *out) {
    extern __shared__ __align__(16) unsigned char shared_bytes[];
    T *s = (T *)shared_bytes;
    const int t = threadIdx.x;
    const T *group = in + (int64_t)blockIdx.x * 2 * blockDim.x;
    s[t] = nb::Add()(group[2 * t], group[2 * t + 1]);
    __syncthreads();
    for (int width = blockDim.x / 2; width >= 1; width /= 2) {
        T v = 0;
        if (t < width) v = nb::Add()(s[2 * t], s[2 * t + 1]);
        __syncthreads();
        if (t < width) s[t] = v;
        __syncthreads();
    }
    if (t == 0) out[blockIdx.x] = s[0];
}

template <typename T, typename Load> static int pairwise_sum(Load load, int64_t n, T *out) {
    const int depth = nb::pairwise_depth(n);
    if (depth == 0) {
        piece_sums<T, Load><<<1, 1>>>(load, n, 0, out);
        return cuda_check_launch("piece_sums");
    }
    const int64_t pieces = (int64_t)1 << depth;
    T *level_a = (T *)cuda_scratch_alloc((size_t)pieces * sizeof(T));
    T *level_b = level_a ? (T *)cuda_scratch_alloc((size_t)(pieces / 2) * sizeof(T)) : NULL;
    int status = level_b ? 0 : -1;
    if (status == 0) {
        piece_sums<T, Load><<<cuda_blocks_for(pieces), CUDA_THREADS>>>(load, n, depth, level_a);
        status = cuda_check_launch("piece_sums");
    }
    T *in = level_a, *spare = level_b;
    for (int remaining = depth; status == 0 && remaining > 0;) {
        int group_log2 = remaining < TREE_GROUP_LOG2 ? remaining : TREE_GROUP_LOG2;
        remaining -= group_log2;
        unsigned threads = 1u << (group_log2 - 1);
        T *dst = remaining == 0 ? out : spare;
        tree_pass<T><<<(unsigned)((int64_t)1 << remaining), threads, threads * sizeof(T)>>>(in, dst);
        status = cuda_check_launch("tree_pass");
        spare = in;
        in = dst;
    }
    /* Later kernels are queued behind these on the same stream, so the
     * scratch can be reused at once. */
    cuda_scratch_free(level_a);
    cuda_scratch_free(level_b);
    return status;
}

extern "C" int cuda_launch_sum(DType dtype, const void *in, int64_t n, void *out) {
    switch (dtype) {
    case DTYPE_INT64: return pairwise_sum(nb::LoadSum<int64_t>{(const int64_t *)in}, n, (int64_t *)out);
    case DTYPE_FLOAT32: return pairwise_sum(nb::LoadSum<float>{(const float *)in}, n, (float *)out);
    case DTYPE_FLOAT64: return pairwise_sum(nb::LoadSum<double>{(const double *)in}, n, (double *)out);
    case DTYPE_BOOL: break;
    }
    return 1;
}

extern "C" int cuda_launch_dot(DType dtype, const void *a, int64_t sa, const void *b, int64_t sb,
                               int64_t n, void *out) {
    switch (dtype) {
    case DTYPE_INT64:
        return pairwise_sum(nb::LoadDot<int64_t>{(const int64_t *)a, (const int64_t *)b, sa, sb}, n,
                            (int64_t *)out);
    case DTYPE_FLOAT32:
        return pairwise_sum(nb::LoadDot<float>{(const float *)a, (const float *)b, sa, sb}, n, (float *)out);
    case DTYPE_FLOAT64:
        return pairwise_sum(nb::LoadDot<double>{(const double *)a, (const double *)b, sa, sb}, n,
                            (double *)out);
    case DTYPE_BOOL: break;
    }
    return 1;
}

template <typename T, typename I> __global__ void sum_into_kernel(CudaSumIntoGeometry g) {
    T *dst = (T *)g.dst;
    const T *src = (const T *)g.src;
    for (I o = grid_first<I>(); o < (I)g.nkept; o += grid_step<I>()) {
        I rest = o, dst_off = 0, src_off = 0;
        for (int d = g.nkeep - 1; d >= 0; d--) {
            I size = (I)g.keep_shape[d], index = rest % size;
            rest /= size;
            dst_off += index * (I)g.keep_dst[d];
            src_off += index * (I)g.keep_src[d];
        }
        T acc = T(0);
        for (I r = 0; r < (I)g.nreduced; r++) {
            I rest_r = r, off = src_off;
            for (int d = g.nreduce - 1; d >= 0; d--) {
                I size = (I)g.reduce_shape[d], index = rest_r % size;
                rest_r /= size;
                off += index * (I)g.reduce_src[d];
            }
            acc = nb::Add()(acc, src[off]);
        }
        dst[dst_off] = acc;
    }
}

template <typename T> static int launch_sum_into(const CudaSumIntoGeometry *g) {
    if (g->nkept == 0) return 0;
    unsigned blocks = cuda_blocks_for(g->nkept);
    if (g->index32)
        sum_into_kernel<T, int32_t><<<blocks, CUDA_THREADS>>>(*g);
    else
        sum_into_kernel<T, int64_t><<<blocks, CUDA_THREADS>>>(*g);
    return cuda_check_launch("sum_into_kernel");
}

extern "C" int cuda_launch_sum_into(DType dtype, const CudaSumIntoGeometry *g) {
    switch (dtype) {
    case DTYPE_INT64: return launch_sum_into<int64_t>(g);
    case DTYPE_FLOAT32: return launch_sum_into<float>(g);
    case DTYPE_FLOAT64: return launch_sum_into<double>(g);
    case DTYPE_BOOL: break;
    }
    return 1;
}
