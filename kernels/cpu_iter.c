/* cpu_iter: N-d strided iteration with dimension coalescing: dimensions that
 * are contiguous in every operand merge, so a contiguous tensor is one row. */
#include "cpu_iter.h"

#include <string.h>

typedef struct {
    int ndim;
    int64_t shape[TENSOR_MAX_DIMS];
    int64_t strides[CPU_ITER_MAX_OPERANDS][TENSOR_MAX_DIMS]; /* bytes */
} IterGeometry;

static void geometry_build(IterGeometry *g, int nops, const Tensor *const *ops) {
    const Tensor *out = ops[0];
    g->ndim = 0;
    for (int d = 0; d < out->ndim; d++) {
        if (out->shape[d] == 1) continue; /* size-1 dims never move a pointer */
        g->shape[g->ndim] = out->shape[d];
        for (int k = 0; k < nops; k++)
            g->strides[k][g->ndim] = ops[k]->strides[d] * (int64_t)dtype_size(ops[k]->dtype);
        g->ndim++;
    }
    /* Merge dim d into d+1 (inner) when every operand steps evenly across. */
    int kept = 0;
    for (int d = 0; d < g->ndim; d++) {
        if (kept > 0) {
            int prev = kept - 1;
            bool mergeable = true;
            for (int k = 0; k < nops; k++)
                if (g->strides[k][prev] != g->strides[k][d] * g->shape[d]) mergeable = false;
            if (mergeable) {
                g->shape[prev] *= g->shape[d];
                for (int k = 0; k < nops; k++) g->strides[k][prev] = g->strides[k][d];
                continue;
            }
        }
        g->shape[kept] = g->shape[d];
        for (int k = 0; k < nops; k++) g->strides[k][kept] = g->strides[k][d];
        kept++;
    }
    g->ndim = kept;
}

void cpu_iterate(int nops, const Tensor *const *ops, CpuRowKernel kernel) {
    for (int d = 0; d < ops[0]->ndim; d++)
        if (ops[0]->shape[d] == 0) return;
    IterGeometry g;
    geometry_build(&g, nops, ops);

    char *ptrs[CPU_ITER_MAX_OPERANDS];
    for (int k = 0; k < nops; k++)
        ptrs[k] = (char *)tensor_data(ops[k]);
    if (g.ndim == 0) { /* a single element */
        int64_t zero[CPU_ITER_MAX_OPERANDS] = {0};
        kernel(1, ptrs, zero);
        return;
    }
    int inner = g.ndim - 1;
    int64_t row_strides[CPU_ITER_MAX_OPERANDS];
    for (int k = 0; k < nops; k++) row_strides[k] = g.strides[k][inner];

    int64_t counter[TENSOR_MAX_DIMS] = {0};
    for (;;) {
        kernel(g.shape[inner], ptrs, row_strides);
        /* Advance the outer dimensions like an odometer. */
        int d = inner - 1;
        for (; d >= 0; d--) {
            for (int k = 0; k < nops; k++) ptrs[k] += g.strides[k][d];
            if (++counter[d] < g.shape[d]) break;
            for (int k = 0; k < nops; k++) ptrs[k] -= g.strides[k][d] * g.shape[d];
            counter[d] = 0;
        }
        if (d < 0) return;
    }
}
