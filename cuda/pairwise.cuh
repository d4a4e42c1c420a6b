/* pairwise: kernels/cpu_reduce.c's summation tree (NumPy's pairwise sum),
 * taken apart so the GPU can run it in parallel and still add in exactly
 * the CPU's order.
 *
 * The CPU sums a range of n elements thus: below 8 elements one running
 * sum from zero; up to 128, eight running sums (starting from the first
 * eight elements) combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the
 * remainder; above, the halves (split at n/2 rounded down to a multiple of
 * 8) summed recursively and added, left + right.
 *
 * The GPU lays that tree into a complete binary tree of a fixed depth D at
 * least as deep as the CPU's: virtual piece t (0 <= t < 2**D) follows the
 * bits of t down from the root, left on 0, right on 1. Where the CPU's tree
 * stops early (a range of at most 128), the range is summed by the leftmost
 * virtual piece below it and the others give -0.0, the one value that
 * leaves every sum unchanged (x + -0.0 is x, -0.0 included); so adding the
 * pieces pairwise, level by level, reproduces every one of the CPU's
 * additions and nothing else. __host__ __device__ so the host can check it
 * against the CPU (tests/scalar_ops_host.cu). */
#ifndef NB_CUDA_PAIRWISE_CUH
#define NB_CUDA_PAIRWISE_CUH

#include <stdint.h>

#include "scalar_ops.cuh"

namespace nb {

#define PAIRWISE_BLOCK 128 /* kernels/cpu_reduce.c's */

/* The sum of nothing in the virtual tree. */
template <typename T> NB_HD T pairwise_empty() { return (T)-0.0; }
template <> NB_HD int64_t pairwise_empty<int64_t>() { return 0; }

/* Where the CPU splits a range of n > 128. */
NB_HD int64_t pairwise_split(int64_t n) {
    int64_t half = n / 2;
    return half - half % 8;
}

/* A depth D no shallower than the CPU's tree: each split leaves at most
 * ceil(n/2) + 7 elements on either side. */
NB_HD int pairwise_depth(int64_t n) {
    int depth = 0;
    for (int64_t bound = n; bound > PAIRWISE_BLOCK; bound = (bound + 1) / 2 + 7) depth++;
    return depth;
}

/* The CPU's sum of elements [start, start + n), n <= 128. */
template <typename T, typename Load> NB_HD T pairwise_leaf(const Load &load, int64_t start, int64_t n) {
    const Add add;
    if (n < 8) {
        T res = 0;
        for (int64_t i = 0; i < n; i++) res = add(res, load(start + i));
        return res;
    }
    T r[8];
    for (int k = 0; k < 8; k++) r[k] = load(start + k);
    int64_t i = 8;
    for (; i < n - n % 8; i += 8)
        for (int k = 0; k < 8; k++) r[k] = add(r[k], load(start + i + k));
    T res = add(add(add(r[0], r[1]), add(r[2], r[3])), add(add(r[4], r[5]), add(r[6], r[7])));
    for (; i < n; i++) res = add(res, load(start + i));
    return res;
}

/* Virtual piece t of the depth-D tree over n elements. */
template <typename T, typename Load> NB_HD T pairwise_piece(const Load &load, int64_t n, int depth, int64_t t) {
    int64_t start = 0, size = n;
    for (int level = 0; level < depth && size > PAIRWISE_BLOCK; level++) {
        /* a range the CPU sums whole belongs to the leftmost piece below it */
        int64_t half = pairwise_split(size);
        if ((t >> (depth - 1 - level)) & 1) {
            start += half;
            size -= half;
        } else {
            size = half;
        }
        if (size <= PAIRWISE_BLOCK && (t & (((int64_t)1 << (depth - 1 - level)) - 1)) != 0)
            return pairwise_empty<T>();
    }
    return pairwise_leaf<T>(load, start, size);
}

template <typename T> struct LoadSum {
    const T *x;
    NB_HD T operator()(int64_t i) const { return x[i]; }
};

template <typename T> struct LoadDot {
    const T *a, *b;
    int64_t sa, sb;
    NB_HD T operator()(int64_t i) const { return Mul()(a[i * sa], b[i * sb]); }
};

} // namespace nb

#endif
