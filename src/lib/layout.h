/* layout: the memory layout PyTorch's TensorIterator gives what it makes.
 *
 * An elementwise op's output is allocated dense in the order of its
 * inputs' strides (TensorIterator::reorder_dimensions, then
 * allocate_or_resize_outputs), not always C-contiguous: the sum of a
 * transposed tensor's sine runs in memory order, and `.is_contiguous()`
 * and `.stride()` answer as PyTorch's do. Kernels use the same order to
 * walk their operands as ATen does (kernels/cpu_pow.c). */
#ifndef NB_LAYOUT_H
#define NB_LAYOUT_H

#include "tensor.h"

/* Whether t has the shape dims[0..ndim) (nb_shape_equal without copying
 * the shapes out: this runs several times for every op). */
static inline bool layout_has_shape(const Tensor *t, int ndim, const int64_t *dims) {
    if (t->ndim != ndim) return false;
    for (int i = 0; i < ndim; i++)
        if (t->shape[i] != dims[i]) return false;
    return true;
}

/* ATen's dimension order for an iteration over ops[0] (the output, whose
 * shape alone counts) and the inputs ops[1..nops-1], all of one shape:
 * order[0] outermost. */
void layout_aten_order(int nops, const Tensor *const *ops, int order[TENSOR_MAX_DIMS]);

/* A new tensor of `shape` on `device`, laid out as TensorIterator lays out
 * the output of an elementwise op on `inputs` (as the user passed them,
 * before casting and broadcasting to `shape`): its fast setup (all
 * contiguous, or all dense with one set of strides), else its dimension
 * order. */
Tensor *layout_empty_like_inputs(Device device, DType dtype, Shape shape, int ninputs,
                                 const Tensor *const *inputs);

#endif
