/* join: torch.cat and torch.stack. The result is a new contiguous tensor
 * on the inputs' device, filled by copying each input into its slice
 * (tensor_copy_into), so every backend joins through its copy kernel.
 * Checks, messages, type promotion and the legacy skipping of 1-D empty
 * inputs follow PyTorch 1.13's cat. */
#include <string.h>

#include "alloc.h"
#include "derivatives.h"
#include "error.h"
#include "ops.h"
#include "tensor.h"

/* 1.13 still lets a 1-D tensor of size 0 sit among tensors of any rank in
 * cat: it is skipped (though its dtype takes part in promotion). */
static bool skipped_in_cat(const Tensor *t) { return t->ndim == 1 && t->shape[0] == 0; }

static int check_same_except_dim(const Tensor *first, const Tensor *t, int dim, int index) {
    if (first->ndim != t->ndim)
        return nb_error_set(ERR_VALUE, "Tensors must have same number of dimensions: got %d and %d",
                            first->ndim, t->ndim);
    for (int d = 0; d < first->ndim; d++) {
        if (d == dim || first->shape[d] == t->shape[d]) continue;
        return nb_error_set(ERR_VALUE,
                            "Sizes of tensors must match except in dimension %d. Expected size %lld "
                            "but got size %lld for tensor number %d in the list.",
                            dim, (long long)first->shape[d], (long long)t->shape[d], index);
    }
    return 0;
}

/* The checks and result geometry of cat; returns the dim (wrapped) or -1. */
static int cat_geometry(int n, Tensor *const *ts, int dim, Shape *out_shape, DType *out_dtype) {
    for (int i = 0; i < n; i++)
        if (!ts[i]) return nb_error_null_status();
    if (n <= 0) return nb_error_set(ERR_VALUE, "torch.cat(): expected a non-empty list of Tensors");
    for (int i = 0; i < n; i++)
        if (ts[i]->ndim == 0)
            return nb_error_set(ERR_VALUE, "zero-dimensional tensor (at position %d) cannot be concatenated", i);
    const Tensor *first = NULL;
    for (int i = 0; i < n && !first; i++)
        if (!skipped_in_cat(ts[i])) first = ts[i];
    int d = first ? tensor_wrap_dim(dim, first->ndim) : dim;
    if (d < 0 && first) return -1;
    DType dtype = ts[0]->dtype;
    for (int i = 1; i < n; i++) dtype = nb_dtype_promote(dtype, ts[i]->dtype);
    Device device = tensor_device(ts[0]);
    int64_t size = 0;
    for (int i = 0; i < n; i++) {
        if (tensor_device(ts[i]) != device)
            return nb_error_set(ERR_VALUE, "Expected all tensors to be on the same device, but found "
                                           "at least two devices, %s and %s!",
                                nb_device_name(device), nb_device_name(tensor_device(ts[i])));
        if (skipped_in_cat(ts[i])) continue;
        if (check_same_except_dim(first, ts[i], d, i) != 0) return -1;
        size += ts[i]->shape[d];
    }
    /* every input skipped: the result is the empty 1-D tensor */
    *out_shape = first ? tensor_shape(first) : SHAPE(0);
    if (first) out_shape->dims[d] = size;
    *out_dtype = dtype;
    return first ? d : 0;
}

/* Copies the inputs one after the other along dim into a new tensor. */
static Tensor *cat_forward(int n, Tensor *const *ts, int dim, Shape shape, DType dtype) {
    Tensor *out = tensor_empty_on(tensor_device(ts[0]), dtype, shape);
    int64_t at = 0;
    for (int i = 0; i < n && out; i++) {
        if (skipped_in_cat(ts[i])) continue;
        int64_t size = ts[i]->shape[dim];
        if (size > 0 && tensor_copy_into(tensor_slice(out, dim, at, at + size, 1), ts[i]) != 0)
            return NULL;
        at += size;
    }
    return out;
}

Tensor *tensor_cat(int n, Tensor *const *ts, int dim) {
    if (!ts && n > 0) return nb_error_null_tensor();
    Shape shape;
    DType dtype;
    int d = cat_geometry(n, ts, dim, &shape, &dtype);
    if (d < 0) return NULL;
    bool mode = torch_set_grad_enabled(false);
    Tensor *out = cat_forward(n, ts, d, shape, dtype);
    torch_set_grad_enabled(mode);
    /* the backward slices g by each input's size along dim, read off the
     * edges' shapes; a skipped input gets nothing */
    return autograd_record(out, &node_cat, n, ts, (int64_t[]){d}, 1);
}

Tensor *tensor_stack(int n, Tensor *const *ts, int dim) {
    if (!ts && n > 0) return nb_error_null_tensor();
    for (int i = 0; i < n; i++)
        if (!ts[i]) return nb_error_null_tensor();
    if (n <= 0) {
        nb_error_set(ERR_VALUE, "stack expects a non-empty TensorList");
        return NULL;
    }
    int d = tensor_wrap_dim(dim, ts[0]->ndim + 1);
    if (d < 0) return NULL;
    for (int i = 1; i < n; i++) {
        if (nb_shape_equal(tensor_shape(ts[i]), tensor_shape(ts[0]))) continue;
        char a[256], b[256];
        nb_error_set(ERR_VALUE, "stack expects each tensor to be equal size, but got %s at entry 0 and %s at entry %d",
                     nb_shape_str(ts[0]->shape, ts[0]->ndim, a, sizeof a),
                     nb_shape_str(ts[i]->shape, ts[i]->ndim, b, sizeof b), i);
        return NULL;
    }
    if (ts[0]->ndim + 1 > TENSOR_MAX_DIMS) {
        nb_error_set(ERR_VALUE, "tensors have at most %d dimensions", TENSOR_MAX_DIMS);
        return NULL;
    }
    /* cat of the inputs unsqueezed at dim, as PyTorch's stack */
    Tensor **parts = nb_malloc((size_t)n * sizeof *parts);
    if (!parts) return nb_error_null_tensor();
    bool mode = torch_set_grad_enabled(false);
    for (int i = 0; i < n; i++) parts[i] = tensor_unsqueeze(ts[i], d);
    Shape shape;
    DType dtype;
    Tensor *out = NULL;
    if (cat_geometry(n, parts, d, &shape, &dtype) >= 0) out = cat_forward(n, parts, d, shape, dtype);
    torch_set_grad_enabled(mode);
    nb_free(parts);
    return autograd_record(out, &node_stack, n, ts, (int64_t[]){d}, 1);
}
