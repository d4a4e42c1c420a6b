/* cpu_iter: walks several same-shaped strided operands in C order and hands
 * a kernel one row (the innermost, coalesced dimension) at a time, so every
 * elementwise kernel is a plain 1-D loop. */
#ifndef NB_CPU_ITER_H
#define NB_CPU_ITER_H

#include <stdint.h>

#include "tensor.h"

#define CPU_ITER_MAX_OPERANDS 4

/* n elements; ptrs[k] points at operand k's first element of the row;
 * strides[k] is its step in bytes. */
typedef void (*CpuRowKernel)(int64_t n, char **ptrs, const int64_t *strides);

/* operands[0] is written; all have the shape of operands[0]. */
void cpu_iterate(int noperands, const Tensor *const *operands, CpuRowKernel kernel);

/* As cpu_iterate, for kernels whose results depend on where a row segment
 * starts (ATen's vectorized loop restarts at each): the element range is
 * cut only where ATen's TensorIterator::for_each cuts it, in chunks of at
 * least 32768 over as many threads as ATen would use (cpu_capability.h). */
void cpu_iterate_aten(int noperands, const Tensor *const *operands, CpuRowKernel kernel);

/* t's dimensions in `order` (outermost first): a view to read or write
 * through, valid while t is. */
Tensor cpu_permuted(const Tensor *t, const int order[TENSOR_MAX_DIMS]);

#endif
