/* cpu_reduce_iter: walks one reduction (one output, one input) as ATen
 * 1.13's TensorIterator does, so that a reduction kernel written like
 * ATen's sees the same 2-D blocks in the same order and gives the same
 * bits: the dimension order (reorder_dimensions), the merging of
 * dimensions (coalesce_dimensions), the walk in 2-D steps (serial_for_each,
 * DimCounter) and the split between threads (parallel_reduce: two-pass for
 * a single output, split along an output dimension otherwise).
 *
 * The split depends on the number of threads PyTorch would use
 * (cpu_reduce_threads), not on how many we run: pieces are computed as
 * ATen's threads would compute them, whichever thread of ours runs them. */
#ifndef NB_CPU_REDUCE_ITER_H
#define NB_CPU_REDUCE_ITER_H

#include <stdint.h>

#include "tensor.h"

/* ATen's loop2d_t: data[0] the output, data[1] the input; strides (bytes)
 * as {out0, in0, out1, in1}; a size0 x size1 block. */
typedef void (*ReduceLoop2d)(char **data, const int64_t *strides, int64_t size0, int64_t size1);

typedef struct {
    int ndim;
    int64_t shape[TENSOR_MAX_DIMS];
    int64_t stride[TENSOR_MAX_DIMS][2]; /* bytes; [d][0] output, [d][1] input */
    char *base[2];
    int64_t out_numel;
} ReduceIter;

/* in reduced into out: out has in's ndim, size 1 in the reduced
 * dimensions; any strides on either side. */
void reduce_iter_build(ReduceIter *it, Tensor *out, const Tensor *in);

int64_t reduce_iter_numel(const ReduceIter *it);

/* TensorIterator::parallel_reduce with cpu_reduce_threads() threads. The
 * output already holds the identity, which must be all-zero bytes (a
 * sum's 0): the two-pass buffer starts as such a copy. */
void reduce_iter_run(const ReduceIter *it, ReduceLoop2d loop, int64_t elsize);

/* The threads PyTorch's parallel_reduce would use (torch.get_num_threads()).
 * PyTorch counts physical cores with cpuinfo, which we do not reproduce;
 * like PyTorch's, ours is OMP_NUM_THREADS when that is set, else 1. */
int cpu_reduce_threads(void);
void cpu_reduce_set_threads(int threads);

#define CPU_REDUCE_MAX_THREADS 64

#endif
