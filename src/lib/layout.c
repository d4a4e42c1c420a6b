/* layout: TensorIterator's dimension order and output layout. */
#include "layout.h"

/* should_swap: 1 if dim0 should be walked outside dim1, -1 inside, 0 when
 * the inputs do not say. The first input whose strides differ decides;
 * broadcast (stride-0) dimensions say nothing; equal strides put the
 * larger dimension outside. */
static int should_swap(int nops, const Tensor *const *ops, int dim0, int dim1) {
    for (int k = 1; k < nops; k++) {
        int64_t stride0 = ops[k]->strides[dim0], stride1 = ops[k]->strides[dim1];
        if (stride0 == 0 || stride1 == 0) continue;
        if (stride0 < stride1) return -1;
        if (stride0 > stride1) return 1;
        if (ops[0]->shape[dim0] > ops[0]->shape[dim1]) return 1;
    }
    return 0;
}

/* ATen's insertion sort, which tolerates ambiguous comparisons, on a
 * permutation listed innermost first. */
void layout_aten_order(int nops, const Tensor *const *ops, int order[TENSOR_MAX_DIMS]) {
    int ndim = ops[0]->ndim, perm[TENSOR_MAX_DIMS];
    for (int i = 0; i < ndim; i++) perm[i] = ndim - 1 - i;
    for (int i = 1; i < ndim; i++) {
        int dim1 = i;
        for (int dim0 = i - 1; dim0 >= 0; dim0--) {
            int comparison = should_swap(nops, ops, perm[dim0], perm[dim1]);
            if (comparison > 0) {
                int swap = perm[dim0];
                perm[dim0] = perm[dim1];
                perm[dim1] = swap;
                dim1 = dim0;
            } else if (comparison < 0) {
                break;
            }
        }
    }
    for (int i = 0; i < ndim; i++) order[i] = perm[ndim - 1 - i];
}

Tensor *layout_empty_like_inputs(Device device, DType dtype, Shape shape, int ninputs,
                                 const Tensor *const *inputs) {
    Tensor *out = tensor_empty_on(device, dtype, shape);
    /* an empty result comes out C-contiguous in PyTorch, whatever the
     * inputs' order (checked against torch 1.13) */
    if (!out || shape.ndim < 2 || tensor_numel(out) == 0) return out;
    const Tensor *ops[1 + 2];
    if (ninputs > 2) ninputs = 2;
    ops[0] = out;
    for (int i = 0; i < ninputs; i++) ops[1 + i] = inputs[i];
    int order[TENSOR_MAX_DIMS];
    layout_aten_order(1 + ninputs, ops, order);
    bool identity = true;
    for (int d = 0; d < shape.ndim; d++) identity &= order[d] == d;
    if (identity) return out; /* C-contiguous, as ATen's "inverted" case */
    /* dense in `order`: the innermost dimension of the order has stride 1 */
    int64_t strides[TENSOR_MAX_DIMS], next = 1;
    for (int i = shape.ndim - 1; i >= 0; i--) {
        strides[order[i]] = next;
        next *= shape.dims[order[i]];
    }
    return tensor_make_view(out, shape.ndim, shape.dims, strides, 0);
}
