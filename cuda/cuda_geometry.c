/* cuda_geometry: coalescing strided operands for the CUDA kernels, the same
 * merge as kernels/cpu_iter.c so a contiguous tensor is one flat array and
 * the kernels' index arithmetic touches as few dimensions as possible. */
#include "cuda_geometry.h"

#include "tensor.h"

/* 2**31 - 1: the largest offset 32-bit index arithmetic may produce. The
 * element count stays further below it, so a grid-stride loop's index plus
 * its step cannot overflow either. */
#define INDEX32_LIMIT INT64_C(2147483647)
#define INDEX32_NUMEL_LIMIT (INT64_C(1) << 30)

/* The largest element offset an operand reaches (strides are never
 * negative: views only select, slice with positive steps, transpose and
 * expand). */
static int64_t max_offset(int ndim, const int64_t *shape, const int64_t *strides) {
    int64_t off = 0;
    for (int d = 0; d < ndim; d++) off += (shape[d] - 1) * strides[d];
    return off;
}

void cuda_geometry_build(CudaGeometry *g, int noperands, const Tensor *const *operands) {
    const Tensor *out = operands[0];
    g->noperands = noperands;
    g->numel = tensor_numel(out);
    g->ndim = 0;
    for (int k = 0; k < noperands; k++) g->data[k] = tensor_data(operands[k]);
    for (int d = 0; d < out->ndim; d++) {
        if (out->shape[d] == 1) continue; /* size-1 dims never move an index */
        g->shape[g->ndim] = out->shape[d];
        for (int k = 0; k < noperands; k++) g->strides[k][g->ndim] = operands[k]->strides[d];
        g->ndim++;
    }
    /* Merge dim d into the kept one before it when every operand steps
     * evenly across both. */
    int kept = 0;
    for (int d = 0; d < g->ndim; d++) {
        if (kept > 0) {
            int prev = kept - 1;
            bool mergeable = true;
            for (int k = 0; k < noperands; k++)
                if (g->strides[k][prev] != g->strides[k][d] * g->shape[d]) mergeable = false;
            if (mergeable) {
                g->shape[prev] *= g->shape[d];
                for (int k = 0; k < noperands; k++) g->strides[k][prev] = g->strides[k][d];
                continue;
            }
        }
        g->shape[kept] = g->shape[d];
        for (int k = 0; k < noperands; k++) g->strides[k][kept] = g->strides[k][d];
        kept++;
    }
    g->ndim = kept;
    g->contiguous = g->ndim <= 1;
    g->index32 = g->numel <= INDEX32_NUMEL_LIMIT;
    for (int k = 0; k < noperands; k++) {
        if (g->ndim == 1 && g->strides[k][0] != 1) g->contiguous = false;
        if (g->numel > 0 && max_offset(g->ndim, g->shape, g->strides[k]) > INDEX32_LIMIT)
            g->index32 = false;
    }
}

void cuda_sum_into_geometry_build(CudaSumIntoGeometry *g, const Tensor *dst, const Tensor *src) {
    CudaGeometry both;
    cuda_geometry_build(&both, 2, (const Tensor *const[]){dst, src});
    g->dst = both.data[0];
    g->src = both.data[1];
    g->nkeep = g->nreduce = 0;
    g->nkept = g->nreduced = 1;
    for (int d = 0; d < both.ndim; d++) {
        if (both.strides[0][d] == 0) {
            g->reduce_shape[g->nreduce] = both.shape[d];
            g->reduce_src[g->nreduce] = both.strides[1][d];
            g->nreduced *= both.shape[d];
            g->nreduce++;
        } else {
            g->keep_shape[g->nkeep] = both.shape[d];
            g->keep_dst[g->nkeep] = both.strides[0][d];
            g->keep_src[g->nkeep] = both.strides[1][d];
            g->nkept *= both.shape[d];
            g->nkeep++;
        }
    }
    if (both.numel == 0) g->nkept = 0;
    g->index32 = both.index32;
}
