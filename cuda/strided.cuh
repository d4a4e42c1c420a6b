/* strided: index arithmetic shared by the elementwise kernels: where the
 * i-th element (C order) of each operand of a CudaGeometry lives, and the
 * bounds of a grid-stride loop. I is int32_t when the geometry says every
 * offset fits (index32), else int64_t: 64-bit division is several times
 * slower on the GPU. */
#ifndef NB_CUDA_STRIDED_CUH
#define NB_CUDA_STRIDED_CUH

#include <stdint.h>

#include "cuda_geometry.h"

template <typename I> __device__ __forceinline__ I grid_first() {
    return (I)blockIdx.x * (I)blockDim.x + (I)threadIdx.x;
}

template <typename I> __device__ __forceinline__ I grid_step() { return (I)gridDim.x * (I)blockDim.x; }

/* off[k] = element offset of operand k's element number `linear`. */
template <typename I, int N>
__device__ __forceinline__ void strided_offsets(const CudaGeometry &g, I linear, I (&off)[N]) {
#pragma unroll
    for (int k = 0; k < N; k++) off[k] = 0;
    for (int d = g.ndim - 1; d >= 0; d--) {
        I size = (I)g.shape[d];
        I index = linear % size;
        linear /= size;
#pragma unroll
        for (int k = 0; k < N; k++) off[k] += index * (I)g.strides[k][d];
    }
}

#endif
