/* view: indexing and shape changes that share storage (never copy), with
 * PyTorch's argument checks and messages. reshape copies only when the
 * strides cannot express the new shape, as torch.reshape does. */
#include <string.h>

#include "derivatives.h"
#include "error.h"
#include "tensor.h"

int tensor_wrap_dim(int dim, int ndim) {
    int lo = ndim > 0 ? -ndim : -1, hi = ndim > 0 ? ndim - 1 : 0;
    if (dim < lo || dim > hi)
        return nb_error_set(ERR_VALUE,
                         "Dimension out of range (expected to be in range of [%d, %d], but got %d)",
                         lo, hi, dim);
    return dim < 0 ? dim + (ndim > 0 ? ndim : 1) : dim;
}

Tensor *tensor_select(Tensor *t, int dim, int64_t index) {
    if (!t) return nb_error_null_tensor();
    if (t->ndim == 0) {
        nb_error_set(ERR_VALUE, "select() cannot be applied to a 0-dim tensor.");
        return NULL;
    }
    int d = tensor_wrap_dim(dim, t->ndim);
    if (d < 0) return NULL;
    int64_t size = t->shape[d];
    if (index < -size || index >= size) {
        char have[256];
        nb_error_set(ERR_VALUE, "select(): index %lld out of range for tensor of size %s at dimension %d",
                  (long long)index, nb_shape_str(t->shape, t->ndim, have, sizeof have), d);
        return NULL;
    }
    if (index < 0) index += size;
    int64_t shape[TENSOR_MAX_DIMS], strides[TENSOR_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < t->ndim; i++) {
        if (i == d) continue;
        shape[n] = t->shape[i];
        strides[n] = t->strides[i];
        n++;
    }
    Tensor *out = tensor_make_view(t, n, shape, strides, t->offset + index * t->strides[d]);
    return autograd_record(out, &node_select, 1, &t, (int64_t[]){d, index}, 2);
}

Tensor *tensor_index(Tensor *t, int n, const int64_t *indices) {
    if (!t) return nb_error_null_tensor();
    /* t[0] on a 0-d tensor has its own message (t[1] is out of bounds of
     * a size-0 dimension); t[i, j] counts indices */
    if (t->ndim == 0 && n == 1 && indices[0] == 0) {
        nb_error_set(ERR_VALUE, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        return NULL;
    }
    if (n > t->ndim && !(t->ndim == 0 && n == 1)) {
        nb_error_set(ERR_VALUE, "too many indices for tensor of dimension %d", t->ndim);
        return NULL;
    }
    Tensor *view = t;
    for (int i = 0; i < n && view; i++) {
        /* checked here, as each select sees dimension 0 but the message
         * names the dimension of t */
        int64_t size = t->ndim > 0 ? t->shape[i] : 0;
        if (indices[i] < -size || indices[i] >= size) {
            nb_error_set(ERR_VALUE, "index %lld is out of bounds for dimension %d with size %lld",
                      (long long)indices[i], i, (long long)size);
            return NULL;
        }
        view = tensor_select(view, 0, indices[i]);
    }
    /* t[()] is an alias of t, as in PyTorch */
    if (n == 0)
        view = autograd_record(tensor_make_view(t, t->ndim, t->shape, t->strides, t->offset),
                               &node_alias, 1, &t, NULL, 0);
    return view;
}

Tensor *tensor_slice(Tensor *t, int dim, int64_t start, int64_t end, int64_t step) {
    if (!t) return nb_error_null_tensor();
    if (t->ndim == 0) {
        nb_error_set(ERR_VALUE, "slice() cannot be applied to a 0-dim tensor.");
        return NULL;
    }
    int d = tensor_wrap_dim(dim, t->ndim);
    if (d < 0) return NULL;
    /* Python's slice() and indexing word these, as t[a:b:c] reaches them */
    if (step == 0) {
        nb_error_set(ERR_VALUE, "slice step cannot be zero");
        return NULL;
    }
    if (step < 0) {
        nb_error_set(ERR_VALUE, "step must be greater than zero");
        return NULL;
    }
    int64_t size = t->shape[d];
    /* Python slice clamping */
    if (start < 0) start += size;
    if (end < 0) end += size;
    start = start < 0 ? 0 : start > size ? size : start;
    end = end < start ? start : end > size ? size : end;
    int64_t shape[TENSOR_MAX_DIMS], strides[TENSOR_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    memcpy(strides, t->strides, sizeof strides);
    shape[d] = (end - start + step - 1) / step;
    strides[d] = t->strides[d] * step;
    Tensor *out = tensor_make_view(t, t->ndim, shape, strides, t->offset + start * t->strides[d]);
    return autograd_record(out, &node_slice, 1, &t, (int64_t[]){d, start, end, step}, 4);
}

Tensor *tensor_transpose(Tensor *t, int dim0, int dim1) {
    if (!t) return nb_error_null_tensor();
    int d0 = tensor_wrap_dim(dim0, t->ndim);
    int d1 = d0 < 0 ? -1 : tensor_wrap_dim(dim1, t->ndim);
    if (d0 < 0 || d1 < 0) return NULL;
    int64_t shape[TENSOR_MAX_DIMS], strides[TENSOR_MAX_DIMS];
    memcpy(shape, t->shape, sizeof shape);
    memcpy(strides, t->strides, sizeof strides);
    if (t->ndim > 0) {
        shape[d0] = t->shape[d1];
        shape[d1] = t->shape[d0];
        strides[d0] = t->strides[d1];
        strides[d1] = t->strides[d0];
    }
    Tensor *out = tensor_make_view(t, t->ndim, shape, strides, t->offset);
    return autograd_record(out, &node_transpose, 1, &t, (int64_t[]){d0, d1}, 2);
}

/* Whether a shape's element count fits in int64, multiplied as unsigned
 * as c10's safe_compute_numel does (so a negative size never fits, unless
 * a zero came first). */
static bool numel_fits(const Shape *shape) {
    uint64_t n = 1;
    for (int i = 0; i < shape->ndim; i++) {
        uint64_t d = (uint64_t)shape->dims[i];
        if (d != 0 && n > UINT64_MAX / d) return false;
        n *= d;
    }
    return n <= (uint64_t)INT64_MAX;
}

/* ATen's expand: inferExpandGeometry's checks from the last dimension to
 * the first (-1 keeps a size, a size-1 dimension takes any other; none for
 * a 0-d tensor), then the view's element count. */
Tensor *tensor_expand(Tensor *t, Shape shape) {
    if (!t) return nb_error_null_tensor();
    char target[256], have[256];
    if (shape.ndim < t->ndim) {
        nb_error_set(ERR_VALUE,
                  "expand(torch.%sTensor{%s}, size=%s): the number of sizes provided (%d) must be "
                  "greater or equal to the number of dimensions in the tensor (%d)",
                  nb_dtype_scalar_name(t->dtype), nb_shape_str(t->shape, t->ndim, have, sizeof have),
                  nb_shape_str(shape.dims, shape.ndim, target, sizeof target), shape.ndim, t->ndim);
        return NULL;
    }
    Shape requested = shape;
    int64_t strides[TENSOR_MAX_DIMS];
    int lead = shape.ndim - t->ndim;
    /* a 0-d tensor takes the sizes as given, unchecked */
    for (int i = shape.ndim - 1; i >= 0 && t->ndim == 0; i--) strides[i] = 0;
    for (int i = shape.ndim - 1; i >= 0 && t->ndim > 0; i--) {
        int src = i - lead;
        int64_t size = src >= 0 ? t->shape[src] : 1;
        /* a new leading dimension strides over the one inside it (in
         * unsigned arithmetic: sizes may be anything here) */
        int64_t stride = src >= 0 ? t->strides[src]
                         : i + 1 < shape.ndim
                             ? (int64_t)((uint64_t)shape.dims[i + 1] * (uint64_t)strides[i + 1])
                             : 1;
        int64_t want = requested.dims[i];
        if (want == -1) {
            if (src < 0) {
                nb_error_set(ERR_VALUE, "The expanded size of the tensor (-1) isn't allowed in a "
                                     "leading, non-existing dimension %d",
                          i);
                return NULL;
            }
            want = size;
        }
        if (size != want) {
            if (size != 1) {
                nb_error_set(ERR_VALUE,
                          "The expanded size of the tensor (%lld) must match the existing size "
                          "(%lld) at non-singleton dimension %d.  Target sizes: %s.  Tensor sizes: %s",
                          (long long)want, (long long)size, i,
                          nb_shape_str(requested.dims, requested.ndim, target, sizeof target),
                          nb_shape_str(t->shape, t->ndim, have, sizeof have));
                return NULL;
            }
            size = want;
            stride = 0;
        }
        shape.dims[i] = size;
        strides[i] = stride;
    }
    if (!numel_fits(&shape)) {
        nb_error_set(ERR_VALUE, "numel: integer multiplication overflow");
        return NULL;
    }
    Tensor *out = tensor_make_view(t, shape.ndim, shape.dims, strides, t->offset);
    return autograd_record(out, &node_expand, 1, &t, NULL, 0);
}

Tensor *tensor_unsqueeze(Tensor *t, int dim) {
    if (!t) return nb_error_null_tensor();
    int d = tensor_wrap_dim(dim, t->ndim + 1);
    if (d < 0) return NULL;
    if (t->ndim + 1 > TENSOR_MAX_DIMS) {
        nb_error_set(ERR_VALUE, "tensors have at most %d dimensions", TENSOR_MAX_DIMS);
        return NULL;
    }
    int64_t shape[TENSOR_MAX_DIMS], strides[TENSOR_MAX_DIMS];
    for (int i = 0, j = 0; i <= t->ndim; i++) {
        if (i == d) {
            shape[i] = 1;
            strides[i] = d < t->ndim ? t->shape[d] * t->strides[d] : 1;
            continue;
        }
        shape[i] = t->shape[j];
        strides[i] = t->strides[j];
        j++;
    }
    Tensor *out = tensor_make_view(t, t->ndim + 1, shape, strides, t->offset);
    return autograd_record(out, &node_unsqueeze, 1, &t, (int64_t[]){d}, 1);
}

/* squeeze(dim) is a view without dim when its size is 1, else a view of
 * the whole (select is how the dimension goes) */
static Tensor *squeeze_forward(Tensor *const *in, const int64_t *args) {
    Tensor *t = in[0];
    int d = (int)args[0];
    if (t->ndim == 0 || t->shape[d] != 1)
        return tensor_make_view(t, t->ndim, t->shape, t->strides, t->offset);
    return tensor_select(t, d, 0);
}

Tensor *tensor_squeeze_dim(Tensor *t, int dim) {
    if (!t) return nb_error_null_tensor();
    int d = tensor_wrap_dim(dim, t->ndim);
    if (d < 0) return NULL;
    return autograd_apply(&node_squeeze, squeeze_forward, 1, &t, (int64_t[]){d}, 1);
}

/* Strides that let `t` be viewed as `shape`, if any (PyTorch's
 * computeStride): each run of dimensions that is contiguous in memory may be
 * re-split freely. Returns false when a copy is needed. */
static bool view_strides(const Tensor *t, const Shape *shape, int64_t *strides) {
    /* a 0-d tensor's one element may take any strides of size-1 dims */
    if (t->ndim == 0) {
        for (int i = 0; i < shape->ndim; i++) strides[i] = 1;
        return true;
    }
    int64_t numel = tensor_numel(t);
    if (numel == 0 && nb_shape_equal(tensor_shape(t), *shape)) {
        memcpy(strides, t->strides, (size_t)t->ndim * sizeof *strides);
        return true;
    }
    if (numel == 0) {
        int64_t stride = 1;
        for (int i = shape->ndim - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape->dims[i] > 1 ? shape->dims[i] : 1;
        }
        return true;
    }
    int view_d = shape->ndim - 1;
    int64_t chunk_base_stride = t->ndim > 0 ? t->strides[t->ndim - 1] : 1;
    int64_t tensor_numel_in_chunk = 1, view_numel = 1;
    for (int tensor_d = t->ndim - 1; tensor_d >= 0; tensor_d--) {
        tensor_numel_in_chunk *= t->shape[tensor_d];
        bool chunk_ends = tensor_d == 0 ||
                          (t->shape[tensor_d - 1] != 1 &&
                           t->strides[tensor_d - 1] != tensor_numel_in_chunk * chunk_base_stride);
        if (!chunk_ends) continue;
        while (view_d >= 0 && (view_numel < tensor_numel_in_chunk || shape->dims[view_d] == 1)) {
            strides[view_d] = view_numel * chunk_base_stride;
            view_numel *= shape->dims[view_d];
            view_d--;
        }
        if (view_numel != tensor_numel_in_chunk) return false;
        if (tensor_d > 0) {
            chunk_base_stride = t->strides[tensor_d - 1];
            tensor_numel_in_chunk = 1;
            view_numel = 1;
        }
    }
    return view_d == -1;
}

/* Resolves a -1 entry and checks the element count (PyTorch's words). */
static int infer_shape(Shape *shape, int64_t numel) {
    int infer = -1;
    int64_t known = 1;
    for (int i = 0; i < shape->ndim; i++) {
        if (shape->dims[i] == -1) {
            if (infer >= 0) return nb_error_set(ERR_VALUE, "only one dimension can be inferred");
            infer = i;
        } else if (shape->dims[i] < 0) {
            return nb_error_set(ERR_VALUE, "invalid shape dimension %lld", (long long)shape->dims[i]);
        } else {
            known = known != 0 && shape->dims[i] > INT64_MAX / known ? -1 : known * shape->dims[i];
        }
    }
    bool ok = known >= 0 && (infer >= 0 ? known != 0 && numel % known == 0 : known == numel);
    if (infer >= 0 && known == 0 && numel == 0) {
        char buf[256];
        return nb_error_set(ERR_VALUE,
                         "cannot reshape tensor of 0 elements into shape %s because the unspecified "
                         "dimension size -1 can be any value and is ambiguous",
                         nb_shape_str(shape->dims, shape->ndim, buf, sizeof buf));
    }
    if (!ok) {
        char buf[256];
        Shape orig = *shape;
        return nb_error_set(ERR_VALUE, "shape '%s' is invalid for input of size %lld",
                         nb_shape_str(orig.dims, orig.ndim, buf, sizeof buf), (long long)numel);
    }
    if (infer >= 0) shape->dims[infer] = numel / known;
    return 0;
}

/* The copy path of reshape: PyTorch's _unsafe_view(clone(t)), one node
 * for both. */
static Tensor *reshape_copy_forward(Tensor *const *in, const int64_t *args) {
    Shape shape = shape_from_args(args);
    int64_t strides[TENSOR_MAX_DIMS];
    Tensor *copy = tensor_contiguous(in[0]);
    return copy && view_strides(copy, &shape, strides)
               ? tensor_make_view(copy, shape.ndim, shape.dims, strides, copy->offset)
               : NULL;
}

/* reshape's and view's target: at most TENSOR_MAX_DIMS sizes, with its -1
 * (if any) inferred from numel. 0, or -1 with the error set. */
static int target_shape(Shape *shape, int64_t numel) {
    if (shape->ndim > TENSOR_MAX_DIMS)
        return nb_error_set(ERR_VALUE, "tensors have at most %d dimensions", TENSOR_MAX_DIMS);
    return infer_shape(shape, numel);
}

Tensor *tensor_reshape(Tensor *t, Shape shape) {
    if (!t) return nb_error_null_tensor();
    if (target_shape(&shape, tensor_numel(t)) != 0) return NULL;
    int64_t strides[TENSOR_MAX_DIMS];
    if (view_strides(t, &shape, strides)) {
        Tensor *out = tensor_make_view(t, shape.ndim, shape.dims, strides, t->offset);
        return autograd_record(out, &node_reshape_alias, 1, &t, NULL, 0);
    }
    int64_t args[1 + TENSOR_MAX_DIMS];
    return autograd_apply(&node_unsafe_view, reshape_copy_forward, 1, &t, args,
                          shape_to_args(shape, args));
}

/* ---- view, permute, t, flatten ---- */

/* t.view(shape): reshape without the copy path; one size may be -1. */
Tensor *tensor_view(Tensor *t, Shape shape) {
    if (!t) return nb_error_null_tensor();
    if (target_shape(&shape, tensor_numel(t)) != 0) return NULL;
    int64_t strides[TENSOR_MAX_DIMS];
    if (!view_strides(t, &shape, strides)) {
        nb_error_set(ERR_VALUE, "view size is not compatible with input tensor's size and stride (at "
                             "least one dimension spans across two contiguous subspaces). Use "
                             ".reshape(...) instead.");
        return NULL;
    }
    Tensor *out = tensor_make_view(t, shape.ndim, shape.dims, strides, t->offset);
    return autograd_record(out, &node_view, 1, &t, NULL, 0);
}

/* t.permute(dims): PyTorch's checks in its order (the count, each dim's
 * range, then repeats). */
Tensor *tensor_permute(Tensor *t, Shape dims) {
    if (!t) return nb_error_null_tensor();
    if (dims.ndim != t->ndim) {
        nb_error_set(ERR_VALUE,
                  "permute(sparse_coo): number of dimensions in the tensor input does not match "
                  "the length of the desired ordering of dimensions i.e. input.dim() = %d is not "
                  "equal to len(dims) = %d",
                  t->ndim, dims.ndim);
        return NULL;
    }
    int64_t shape[TENSOR_MAX_DIMS], strides[TENSOR_MAX_DIMS], args[1 + TENSOR_MAX_DIMS];
    bool seen[TENSOR_MAX_DIMS] = {false};
    args[0] = t->ndim;
    for (int i = 0; i < t->ndim; i++) {
        int64_t want = dims.dims[i];
        int d = tensor_wrap_dim((int)want, t->ndim);
        if (d < 0) return NULL;
        if (seen[d]) {
            nb_error_set(ERR_VALUE, "permute(): duplicate dims are not allowed.");
            return NULL;
        }
        seen[d] = true;
        shape[i] = t->shape[d];
        strides[i] = t->strides[d];
        args[1 + i] = d;
    }
    Tensor *out = tensor_make_view(t, t->ndim, shape, strides, t->offset);
    return autograd_record(out, &node_permute, 1, &t, args, 1 + t->ndim);
}

/* t.t(): a transpose of the two dimensions, or t's alias below 2-D */
Tensor *tensor_t(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    if (t->ndim > 2) {
        nb_error_set(ERR_VALUE, "t() expects a tensor with <= 2 dimensions, but self is %dD", t->ndim);
        return NULL;
    }
    int64_t shape[2] = {0, 0}, strides[2] = {0, 0};
    for (int i = 0; i < t->ndim; i++) {
        shape[i] = t->shape[t->ndim - 1 - i];
        strides[i] = t->strides[t->ndim - 1 - i];
    }
    Tensor *out = tensor_make_view(t, t->ndim, shape, strides, t->offset);
    return autograd_record(out, &node_t, 1, &t, NULL, 0);
}

/* t.flatten(): a 1-D t is returned as is; anything else is reshape(-1),
 * with reshape's grad_fn (ReshapeAliasBackward0, or UnsafeViewBackward0
 * when it copies) */
Tensor *tensor_flatten(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    if (t->ndim == 1) return t;
    return tensor_reshape(t, SHAPE(-1));
}
