/* cpu_reduce_iter: ATen 1.13's TensorIterator, for one reduction
 * (cpu_reduce_iter.h says why). Names follow TensorIterator.cpp and
 * TensorIteratorReduce.cpp so the two can be read side by side. */
#include "cpu_reduce_iter.h"

#include <stdlib.h>
#include <string.h>

#include "parallel.h"

/* at::internal::GRAIN_SIZE */
#define GRAIN_SIZE 32768

static int reduce_threads = 0; /* 0: not yet read from the environment */

int cpu_reduce_threads(void) {
    if (reduce_threads == 0) {
        const char *env = getenv("OMP_NUM_THREADS");
        long n = env ? strtol(env, NULL, 10) : 1;
        reduce_threads = n < 1 ? 1 : n > CPU_REDUCE_MAX_THREADS ? CPU_REDUCE_MAX_THREADS : (int)n;
    }
    return reduce_threads;
}

void cpu_reduce_set_threads(int threads) {
    reduce_threads = threads < 1 ? 1 : threads > CPU_REDUCE_MAX_THREADS ? CPU_REDUCE_MAX_THREADS : threads;
}

/* reorder_dimensions' should_swap, on original dimensions a and b: 1 if a
 * should come after b (further out), -1 if before, 0 if undecided. The
 * output decides first, and puts reduced (stride 0) dimensions innermost;
 * a stride of 0 leaves the decision to the next operand; equal strides
 * put the smaller size inside. */
static int should_swap(const int64_t (*stride)[2], const int64_t *shape, int a, int b) {
    for (int arg = 0; arg < 2; arg++) {
        int64_t s0 = stride[a][arg], s1 = stride[b][arg];
        if (arg == 0 && (s0 == 0) != (s1 == 0)) return s1 == 0 ? 1 : -1;
        if (s0 == 0 || s1 == 0) continue;
        if (s0 < s1) return -1;
        if (s0 > s1) return 1;
        if (shape[a] > shape[b]) return 1;
    }
    return 0;
}

/* coalesce_dimensions: neighbours merge when either has size 1 or every
 * operand steps over the inner one exactly. */
static void coalesce(ReduceIter *it) {
    if (it->ndim <= 1) return;
    int prev = 0;
    for (int d = 1; d < it->ndim; d++) {
        bool can = it->shape[prev] == 1 || it->shape[d] == 1;
        if (!can) {
            can = true;
            for (int t = 0; t < 2; t++)
                if (it->shape[prev] * it->stride[prev][t] != it->stride[d][t]) can = false;
        }
        if (can) {
            if (it->shape[prev] == 1) memcpy(it->stride[prev], it->stride[d], sizeof it->stride[d]);
            it->shape[prev] *= it->shape[d];
        } else {
            prev++;
            if (prev != d) {
                memcpy(it->stride[prev], it->stride[d], sizeof it->stride[d]);
                it->shape[prev] = it->shape[d];
            }
        }
    }
    it->ndim = prev + 1;
}

void reduce_iter_build(ReduceIter *it, Tensor *out, const Tensor *in) {
    int n = in->ndim;
    int64_t es = (int64_t)nb_dtype_size(in->dtype), out_es = (int64_t)nb_dtype_size(out->dtype);
    int64_t stride[TENSOR_MAX_DIMS][2];
    it->out_numel = 1;
    for (int d = 0; d < n; d++) {
        /* compute_strides: a size-1 output dimension against a larger
         * input one is broadcast, stride 0 */
        stride[d][0] = out->shape[d] == 1 && in->shape[d] != 1 ? 0 : out->strides[d] * out_es;
        stride[d][1] = in->strides[d] * es;
        it->out_numel *= out->shape[d];
    }
    /* dimension 0 of the iterator is the fastest: start reversed, then
     * insertion-sort with the undecided comparisons left in place */
    int perm[TENSOR_MAX_DIMS];
    for (int i = 0; i < n; i++) perm[i] = n - 1 - i;
    for (int i = 1; i < n; i++) {
        int d1 = i;
        for (int d0 = i - 1; d0 >= 0; d0--) {
            int c = should_swap((const int64_t(*)[2])stride, in->shape, perm[d0], perm[d1]);
            if (c > 0) {
                int tmp = perm[d0];
                perm[d0] = perm[d1];
                perm[d1] = tmp;
                d1 = d0;
            } else if (c < 0) {
                break;
            }
        }
    }
    it->ndim = n;
    for (int i = 0; i < n; i++) {
        it->shape[i] = in->shape[perm[i]];
        it->stride[i][0] = stride[perm[i]][0];
        it->stride[i][1] = stride[perm[i]][1];
    }
    coalesce(it);
    it->base[0] = tensor_data(out);
    it->base[1] = (char *)tensor_data(in);
}

int64_t reduce_iter_numel(const ReduceIter *it) {
    int64_t n = 1;
    for (int d = 0; d < it->ndim; d++) n *= it->shape[d];
    return n;
}

/* serial_for_each over the linear range [begin, end), in 2-D steps as
 * DimCounter takes them: a partial first row, whole planes of rows while
 * they fit, then a partial last row. */
static void serial_for_each(const ReduceIter *it, char *const base[2], ReduceLoop2d loop, int64_t begin,
                            int64_t end) {
    int64_t strides[4] = {0, 0, 0, 0};
    for (int d = 0; d < it->ndim && d < 2; d++) {
        strides[2 * d] = it->stride[d][0];
        strides[2 * d + 1] = it->stride[d][1];
    }
    if (it->ndim <= 1) {
        char *ptrs[2] = {base[0] + begin * strides[0], base[1] + begin * strides[1]};
        loop(ptrs, strides, end - begin, 1);
        return;
    }
    int64_t values[TENSOR_MAX_DIMS], linear = begin, offset = begin;
    for (int d = 0; d < it->ndim; d++) {
        values[d] = 0;
        if (it->shape[d] > 0) {
            values[d] = linear % it->shape[d];
            linear /= it->shape[d];
        }
    }
    while (offset < end) {
        char *ptrs[2] = {base[0], base[1]};
        for (int d = 0; d < it->ndim; d++)
            for (int t = 0; t < 2; t++) ptrs[t] += values[d] * it->stride[d][t];
        int64_t step0 = it->shape[0] - values[0] < end - offset ? it->shape[0] - values[0] : end - offset;
        int64_t step1 = 1;
        if (step0 == it->shape[0]) {
            step1 = it->shape[1] - values[1];
            if ((end - offset) / it->shape[0] < step1) step1 = (end - offset) / it->shape[0];
        }
        loop(ptrs, strides, step0, step1);
        offset += step0 * step1;
        int64_t overflow = step0;
        int d = 0;
        if (step1 != 1) {
            d = 1;
            overflow = step1;
        }
        for (; d < it->ndim && overflow > 0; d++) {
            int64_t v = values[d] + overflow;
            if (v >= it->shape[d]) {
                overflow = 1;
                v -= it->shape[d];
            } else {
                overflow = 0;
            }
            values[d] = v;
        }
    }
}

static int64_t divup(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* One parallel_reduce: `pieces` calls of ATen's threads, each a sub-walk
 * (its own iterator and output base, and a linear range). */
typedef struct {
    ReduceIter sub[CPU_REDUCE_MAX_THREADS];
    int64_t begin[CPU_REDUCE_MAX_THREADS], end[CPU_REDUCE_MAX_THREADS];
    ReduceLoop2d loop;
} Pieces;

static void run_pieces(void *context, int64_t first, int64_t last) {
    Pieces *p = context;
    for (int64_t i = first; i < last; i++)
        serial_for_each(&p->sub[i], p->sub[i].base, p->loop, p->begin[i], p->end[i]);
}

/* two_pass_reduction: thread t sums its share of the elements into slot t
 * of a buffer that starts as copies of the output (the identity), then the
 * buffer, as a 1-D input, is reduced into the output. */
static void two_pass(const ReduceIter *it, ReduceLoop2d loop, int64_t elsize, int threads, Pieces *p) {
    /* one slot per thread, of the output's type */
    union {
        double f64[CPU_REDUCE_MAX_THREADS];
        float f32[CPU_REDUCE_MAX_THREADS];
        int64_t i64[CPU_REDUCE_MAX_THREADS];
    } slots;
    memset(&slots, 0, sizeof slots);
    char *buffer = (char *)&slots;
    int64_t numel = reduce_iter_numel(it);
    int64_t used = divup(numel, GRAIN_SIZE) < threads ? divup(numel, GRAIN_SIZE) : threads;
    int64_t chunk = divup(numel, used);
    int64_t pieces = 0;
    for (int64_t t = 0; t < used && t * chunk < numel; t++, pieces++) {
        p->sub[t] = *it;
        p->sub[t].base[0] = buffer + t * elsize;
        p->begin[t] = t * chunk;
        p->end[t] = t * chunk + chunk < numel ? t * chunk + chunk : numel;
    }
    parallel_for(pieces, 1, 1, run_pieces, p);
    int64_t strides[4] = {0, elsize, 0, 0};
    char *ptrs[2] = {it->base[0], buffer};
    loop(ptrs, strides, threads, 1);
}

/* find_split_dim: the outermost kept dimension with at least as many
 * columns as threads, else the largest kept one met before a reduced one. */
static int find_split_dim(const ReduceIter *it, int threads) {
    int best = it->ndim - 1;
    for (int d = best; d >= 0 && !(it->stride[d][0] == 0 && it->shape[d] > 1); d--) {
        if (it->shape[d] >= threads) return d;
        if (it->shape[d] > it->shape[best]) best = d;
    }
    return best;
}

/* parallel_dim_reduction: the columns of one kept dimension are shared out
 * as parallel_for shares them, rounded to 128 bytes where the input's
 * columns are adjacent. */
static void dim_split(const ReduceIter *it, int64_t elsize, int threads, Pieces *p) {
    int dim = find_split_dim(it, threads);
    int64_t cols = it->shape[dim];
    bool round = it->stride[dim][1] == elsize;
    int64_t used = cols < threads ? cols : threads;
    int64_t chunk = divup(cols, used), pieces = 0;
    for (int64_t t = 0; t < used && t * chunk < cols; t++) {
        int64_t begin = t * chunk, end = begin + chunk < cols ? begin + chunk : cols;
        if (round) {
            int64_t multiple = 128 / elsize;
            begin -= begin % multiple;
            if (end != cols) end -= end % multiple;
        }
        if (begin == end) continue;
        ReduceIter *sub = &p->sub[pieces];
        *sub = *it;
        sub->shape[dim] = end - begin;
        for (int k = 0; k < 2; k++) sub->base[k] += begin * it->stride[dim][k];
        p->begin[pieces] = 0;
        p->end[pieces] = reduce_iter_numel(sub);
        pieces++;
    }
    parallel_for(pieces, 1, 1, run_pieces, p);
}

void reduce_iter_run(const ReduceIter *it, ReduceLoop2d loop, int64_t elsize) {
    int64_t numel = reduce_iter_numel(it);
    int threads = cpu_reduce_threads();
    if (numel < GRAIN_SIZE || threads == 1) {
        serial_for_each(it, it->base, loop, 0, numel);
        return;
    }
    static _Thread_local Pieces pieces;
    pieces.loop = loop;
    if (it->out_numel == 1)
        two_pass(it, loop, elsize, threads, &pieces);
    else
        dim_split(it, elsize, threads, &pieces);
}
