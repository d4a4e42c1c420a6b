/* cpu_iter: N-d strided iteration with dimension coalescing: dimensions that
 * are contiguous in every operand merge, so a contiguous tensor is one row.
 *
 * Large iterations are split over the cores (src/lib/parallel.h) by element
 * range: each thread starts its range mid-row if need be and hands the
 * kernel the same rows, cut at the range's ends. Every element is computed
 * by the same kernel from the same inputs, so the result is bit for bit the
 * serial one, for kernels whose every element is computed alike wherever
 * its row starts; cpu_iterate_aten serves the others. An output with a
 * stride-0 dimension (one element written many times) is never split: its
 * writes must stay in order. */
#include "cpu_iter.h"

#include <string.h>

#include "parallel.h"
#include "cpu_capability.h"

/* Below this many elements a wake-up of the other threads costs more than
 * it saves, even for the cheapest kernel (a copy). It is also ATen's
 * at::internal::GRAIN_SIZE, the grain of TensorIterator::for_each. */
#define CPU_ITER_PARALLEL_GRAIN 32768

typedef struct {
    int ndim;
    int nops;
    int64_t shape[TENSOR_MAX_DIMS];
    int64_t strides[CPU_ITER_MAX_OPERANDS][TENSOR_MAX_DIMS]; /* bytes */
    char *base[CPU_ITER_MAX_OPERANDS];
    CpuRowKernel kernel;
} IterGeometry;

static void geometry_build(IterGeometry *g, int nops, const Tensor *const *ops) {
    const Tensor *out = ops[0];
    g->nops = nops;
    g->ndim = 0;
    for (int d = 0; d < out->ndim; d++) {
        if (out->shape[d] == 1) continue; /* size-1 dims never move a pointer */
        g->shape[g->ndim] = out->shape[d];
        for (int k = 0; k < nops; k++)
            g->strides[k][g->ndim] = ops[k]->strides[d] * (int64_t)nb_dtype_size(ops[k]->dtype);
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
    for (int k = 0; k < nops; k++) g->base[k] = (char *)tensor_data(ops[k]);
}

/* Elements [begin, end) in C order, as rows (ndim >= 1). */
static void iterate_range(void *context, int64_t begin, int64_t end) {
    const IterGeometry *g = context;
    int nops = g->nops, inner = g->ndim - 1;
    int64_t row_len = g->shape[inner];
    int64_t row_strides[CPU_ITER_MAX_OPERANDS];
    char *ptrs[CPU_ITER_MAX_OPERANDS];
    for (int k = 0; k < nops; k++) {
        row_strides[k] = g->strides[k][inner];
        ptrs[k] = g->base[k];
    }
    /* The odometer's position at `begin`: outer counters, offset in row. */
    int64_t counter[TENSOR_MAX_DIMS] = {0};
    int64_t row = begin / row_len, col = begin % row_len;
    for (int d = inner - 1; d >= 0; d--) {
        counter[d] = row % g->shape[d];
        row /= g->shape[d];
        for (int k = 0; k < nops; k++) ptrs[k] += counter[d] * g->strides[k][d];
    }
    for (int64_t pos = begin; pos < end;) {
        int64_t len = row_len - col < end - pos ? row_len - col : end - pos;
        char *start[CPU_ITER_MAX_OPERANDS];
        for (int k = 0; k < nops; k++) start[k] = ptrs[k] + col * row_strides[k];
        g->kernel(len, start, row_strides);
        pos += len;
        col = 0;
        /* Advance the outer dimensions like an odometer. */
        for (int d = inner - 1; d >= 0; d--) {
            for (int k = 0; k < nops; k++) ptrs[k] += g->strides[k][d];
            if (++counter[d] < g->shape[d]) break;
            for (int k = 0; k < nops; k++) ptrs[k] -= g->strides[k][d] * g->shape[d];
            counter[d] = 0;
        }
    }
}

/* Fills g; returns the number of elements left for the kernel, 0 when
 * there were none or the single element of a 0-d iteration is done. */
static int64_t iteration_prepare(IterGeometry *g, int nops, const Tensor *const *ops,
                                 CpuRowKernel kernel, bool *output_distinct) {
    bool single = true; /* one element (a 0-d result, or sizes all 1) */
    for (int d = 0; d < ops[0]->ndim; d++) {
        if (ops[0]->shape[d] == 0) return 0;
        single &= ops[0]->shape[d] == 1;
    }
    if (single) { /* what geometry_build would find, without building it */
        int64_t zero[CPU_ITER_MAX_OPERANDS] = {0};
        for (int k = 0; k < nops; k++) g->base[k] = (char *)tensor_data(ops[k]);
        kernel(1, g->base, zero);
        return 0;
    }
    geometry_build(g, nops, ops);
    g->kernel = kernel;
    if (g->ndim == 0) { /* a single element */
        int64_t zero[CPU_ITER_MAX_OPERANDS] = {0};
        kernel(1, g->base, zero);
        return 0;
    }
    int64_t total = 1;
    *output_distinct = true;
    for (int d = 0; d < g->ndim; d++) {
        total *= g->shape[d];
        if (g->strides[0][d] == 0) *output_distinct = false;
    }
    return total;
}

void cpu_iterate(int nops, const Tensor *const *ops, CpuRowKernel kernel) {
    IterGeometry g;
    bool output_distinct;
    int64_t total = iteration_prepare(&g, nops, ops, kernel, &output_distinct);
    if (total == 0) return;
    if (output_distinct)
        parallel_for(total, CPU_ITER_PARALLEL_GRAIN, 1, iterate_range, &g);
    else
        iterate_range(&g, 0, total);
}

/* ATen's chunks, numbered; each is one iterate_range. */
typedef struct {
    IterGeometry *g;
    int64_t total, chunk;
} AtenChunks;

static void iterate_aten_chunks(void *context, int64_t first, int64_t last) {
    const AtenChunks *c = context;
    for (int64_t k = first; k < last; k++) {
        int64_t begin = k * c->chunk, end = begin + c->chunk < c->total ? begin + c->chunk : c->total;
        if (begin < end) iterate_range(c->g, begin, end);
    }
}

/* for_each runs serially below the grain or with one thread; otherwise
 * parallel_for (ParallelOpenMP.h) gives each of min(threads, ceil(n /
 * grain)) threads one chunk of ceil(n / threads) elements. */
void cpu_iterate_aten(int nops, const Tensor *const *ops, CpuRowKernel kernel) {
    IterGeometry g;
    bool output_distinct;
    int64_t total = iteration_prepare(&g, nops, ops, kernel, &output_distinct);
    if (total == 0) return;
    int64_t threads = cpu_aten_threads();
    if (total <= CPU_ITER_PARALLEL_GRAIN || threads < 2 || !output_distinct) {
        iterate_range(&g, 0, total);
        return;
    }
    int64_t max_chunks = (total + CPU_ITER_PARALLEL_GRAIN - 1) / CPU_ITER_PARALLEL_GRAIN;
    if (threads > max_chunks) threads = max_chunks;
    AtenChunks c = {&g, total, (total + threads - 1) / threads};
    parallel_for(threads, 1, 1, iterate_aten_chunks, &c);
}

Tensor cpu_permuted(const Tensor *t, const int order[TENSOR_MAX_DIMS]) {
    Tensor view = *t;
    for (int i = 0; i < t->ndim; i++) {
        view.shape[i] = t->shape[order[i]];
        view.strides[i] = t->strides[order[i]];
    }
    return view;
}
