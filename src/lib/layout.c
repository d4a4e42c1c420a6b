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

/* c10's is_non_overlapping_and_dense: the dimensions of size 2 or more,
 * sorted by stride, step through memory without gaps or overlaps. */
static bool non_overlapping_and_dense(const Tensor *t) {
    if (t->ndim == 1) return t->shape[0] < 2 || t->strides[0] == 1;
    int perm[TENSOR_MAX_DIMS], n = 0;
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] >= 2) perm[n++] = d;
    for (int i = 1; i < n; i++) /* by stride; ties keep dimension order */
        for (int j = i; j > 0 && t->strides[perm[j]] < t->strides[perm[j - 1]]; j--) {
            int swap = perm[j];
            perm[j] = perm[j - 1];
            perm[j - 1] = swap;
        }
    int64_t require = 1;
    for (int i = 0; i < n; i++) {
        if (t->strides[perm[i]] != require) return false;
        require *= t->shape[perm[i]];
    }
    return true;
}

static bool same_strides(const Tensor *a, const Tensor *b) {
    for (int d = 0; d < a->ndim; d++)
        if (a->strides[d] != b->strides[d]) return false;
    return true;
}

/* TensorIterator's fast setup, for inputs of one shape (none 0-d among
 * others): all contiguous gives a contiguous result; all dense with the
 * same strides gives those strides. Returns the strides to use (NULL:
 * contiguous) in *strides, or false when the general rule applies. */
static bool fast_setup(int n, const Tensor *const *inputs, const int64_t **strides) {
    for (int i = 1; i < n; i++)
        if (!layout_has_shape(inputs[i], inputs[0]->ndim, inputs[0]->shape) ||
            (inputs[i]->ndim == 0) != (inputs[0]->ndim == 0))
            return false;
    bool contiguous = true, dense = true;
    for (int i = 0; i < n; i++) {
        contiguous &= tensor_is_contiguous(inputs[i]);
        dense &= non_overlapping_and_dense(inputs[i]);
    }
    if (contiguous) {
        *strides = NULL;
        return true;
    }
    if (!dense) return false;
    for (int i = 1; i < n; i++)
        if (!same_strides(inputs[i], inputs[0])) return false;
    *strides = inputs[n - 1]->strides; /* ATen takes the last input's */
    return true;
}

Tensor *layout_empty_like_inputs(Device device, DType dtype, Shape shape, int ninputs,
                                 const Tensor *const *inputs) {
    Tensor *out = tensor_empty_on(device, dtype, shape);
    if (!out || shape.ndim == 0) return out;
    const int64_t *fast_strides;
    if (ninputs > 2) ninputs = 2;
    if (fast_setup(ninputs, inputs, &fast_strides))
        return fast_strides ? tensor_make_view(out, shape.ndim, shape.dims, fast_strides, 0) : out;
    if (shape.ndim < 2) return out;
    /* reorder_dimensions on the inputs broadcast to the result's shape */
    Tensor expanded[2];
    const Tensor *ops[1 + 2] = {out};
    for (int i = 0; i < ninputs; i++) {
        Tensor *e = tensor_expand((Tensor *)inputs[i], shape);
        if (!e) return NULL;
        expanded[i] = *e;
        ops[1 + i] = &expanded[i];
    }
    int order[TENSOR_MAX_DIMS];
    layout_aten_order(1 + ninputs, ops, order);
    bool identity = true;
    for (int d = 0; d < shape.ndim; d++) identity &= order[d] == d;
    if (identity) return out; /* C-contiguous, as ATen's "inverted" case */
    /* dense in `order`: the innermost dimension of the order has stride 1
     * (sizes multiplied as they are, 0 too, as ATen's compatible_stride) */
    int64_t strides[TENSOR_MAX_DIMS], next = 1;
    for (int i = shape.ndim - 1; i >= 0; i--) {
        strides[order[i]] = next;
        next *= shape.dims[order[i]];
    }
    return tensor_make_view(out, shape.ndim, shape.dims, strides, 0);
}
