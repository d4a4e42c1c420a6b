/* reduce: the front end of the reductions: sum (of everything, over a
 * dimension, to a size), mean, max, min, argmax and argmin. Checks and
 * errors in PyTorch's order and words, result dtypes and shapes (keepdim),
 * then the backend: its `sum` entry for sums and means, its `reduce`
 * entry (kernels/reduce_op_table.h) for the rest. */
#include "ops.h"

#include "backend.h"
#include "derivatives.h"
#include "error.h"

/* ---- sums ---- */

/* Integral and bool sums accumulate in int64, as PyTorch's do. */
static DType sum_dtype(DType dtype) { return nb_dtype_is_floating(dtype) ? dtype : DTYPE_INT64; }

/* t summed over the dimensions where `kept` (t's ndim) has size 1 and t
 * does not, as PyTorch's sum(dims, keepdim=True). The input is handed over
 * in its own layout: the order of the additions, hence the bits, follows
 * it (kernels/cpu_reduce_iter.c walks it as TensorIterator does). */
static Tensor *sum_over(Tensor *t, Shape kept) {
    DType dtype = sum_dtype(t->dtype);
    Device device = tensor_device(t);
    Tensor *in = tensor_to_dtype(t, dtype);
    Tensor *out = tensor_empty_on(device, dtype, kept);
    if (!in || !out) return NULL;
    if (backend_for(device)->sum(out, in) != 0) return NULL;
    return out;
}

static Tensor *sum_all(Tensor *const *in, const int64_t *args) {
    (void)args;
    Tensor *t = in[0];
    Shape ones = {.ndim = t->ndim};
    for (int d = 0; d < t->ndim; d++) ones.dims[d] = 1;
    return tensor_reshape(sum_over(t, ones), SHAPE0);
}

Tensor *tensor_sum(Tensor *t) { return autograd_apply(&node_sum, sum_all, 1, &t, NULL, 0); }

/* Whether `from` broadcasts to exactly `to`. */
static bool expandable_to(Shape from, Shape to) {
    if (from.ndim > to.ndim) return false;
    for (int i = 1; i <= from.ndim; i++) {
        int64_t f = from.dims[from.ndim - i], t = to.dims[to.ndim - i];
        if (f != t && f != 1) return false;
    }
    return true;
}

/* sum(dims, keepdim=True) for sum_to: args[0] has a bit per summed
 * dimension (SumBackward1's arguments: the dims, keepdim). */
static Tensor *sum_keepdim(Tensor *const *in, const int64_t *args) {
    Shape kept = tensor_shape(in[0]);
    for (int d = 0; d < kept.ndim; d++)
        if (args[0] >> d & 1) kept.dims[d] = 1;
    return sum_over(in[0], kept);
}

static Tensor *view_forward(Tensor *const *in, const int64_t *args) {
    return tensor_reshape(in[0], shape_from_args(args));
}

/* As ATen's sum_to: a 0-d target is sum(); otherwise the leading
 * dimensions and those `shape` broadcasts are summed with keepdim
 * (SumBackward1), then viewed to `shape` when there were leading ones
 * (ViewBackward0); with nothing to sum, the tensor itself comes back. */
Tensor *tensor_sum_to_size(Tensor *t, Shape shape) {
    if (!t) return nb_error_null_tensor();
    if (!expandable_to(shape, tensor_shape(t))) {
        char have[256], want[256];
        nb_error_set(ERR_VALUE, "size {%s} is not expandable to size {%s}.",
                  nb_shape_str(shape.dims, shape.ndim, want, sizeof want),
                  nb_shape_str(t->shape, t->ndim, have, sizeof have));
        return NULL;
    }
    if (shape.ndim == 0) return tensor_sum(t);
    int lead = t->ndim - shape.ndim;
    int64_t mask = 0;
    for (int i = 0; i < t->ndim; i++)
        if (i < lead || (shape.dims[i - lead] == 1 && t->shape[i] != 1)) mask |= INT64_C(1) << i;
    if (mask == 0) return t;
    int64_t args[1 + TENSOR_MAX_DIMS];
    Tensor *summed = autograd_apply(&node_sum_dims, sum_keepdim, 1, &t, (int64_t[]){mask, true}, 2);
    if (lead == 0) return summed;
    return autograd_apply(&node_view, view_forward, 1, &summed, args, shape_to_args(shape, args));
}

/* ---- over one dimension ---- */

/* t's shape with `dim` kept as 1 (keepdim) or dropped; a 0-d t stays 0-d. */
static Shape reduced_shape(const Tensor *t, int dim, bool keepdim) {
    Shape shape = {.ndim = 0};
    for (int d = 0; d < t->ndim; d++) {
        if (d != dim) shape.dims[shape.ndim++] = t->shape[d];
        else if (keepdim) shape.dims[shape.ndim++] = 1;
    }
    return shape;
}

/* sum(dim, keepdim) into a new contiguous result. Without keepdim ATen
 * reduces into the result seen with the dimension put back at stride 0
 * (review_reduce_result), which orders the walk, so the same view is
 * handed to the backend here. */
static Tensor *sum_dim_raw(Tensor *t, int dim, bool keepdim) {
    DType dtype = sum_dtype(t->dtype);
    Device device = tensor_device(t);
    Tensor *in = tensor_to_dtype(t, dtype);
    Tensor *out = tensor_empty_on(device, dtype, reduced_shape(t, dim, keepdim));
    if (!in || !out) return NULL;
    Tensor window = *out;
    if (!keepdim && t->ndim > 0) {
        window.ndim = t->ndim;
        for (int d = 0, k = 0; d < t->ndim; d++) {
            window.shape[d] = d == dim ? 1 : out->shape[k];
            window.strides[d] = d == dim ? 0 : out->strides[k++];
        }
    }
    if (backend_for(device)->sum(&window, in) != 0) return NULL;
    return out;
}

/* args: a bit for the summed dimension (none for a 0-d t), keepdim: the
 * arguments of SumBackward1 (node_sum_dims), as for sum_to_size */
static int dim_of_mask(int64_t mask) {
    int d = 0;
    while (mask > 1) mask >>= 1, d++;
    return d;
}

static Tensor *sum_dim_forward(Tensor *const *in, const int64_t *args) {
    return sum_dim_raw(in[0], dim_of_mask(args[0]), args[1] != 0);
}

Tensor *tensor_sum_dim(Tensor *t, int dim, bool keepdim) {
    if (!t) return nb_error_null_tensor();
    int d = tensor_wrap_dim(dim, t->ndim);
    if (d < 0) return NULL;
    int64_t mask = t->ndim > 0 ? INT64_C(1) << d : 0;
    return autograd_apply(&node_sum_dims, sum_dim_forward, 1, &t, (int64_t[]){mask, keepdim}, 2);
}

/* ---- means ---- */

/* mean() of an integer or bool tensor has no dtype to give (meta mean.dim) */
static int check_mean_dtype(const Tensor *t) {
    if (nb_dtype_is_floating(t->dtype)) return 0;
    return nb_error_set(ERR_VALUE, "mean(): could not infer output dtype. Input dtype must be either a "
                                   "floating point or complex dtype. Got: %s",
                        nb_dtype_scalar_name(t->dtype));
}

/* ATen 1.13's CPU mean is sum(...).div_(count), the count a Python-int
 * Scalar: the division rounds in the input's dtype (0 / 0 is nan). */
static Tensor *divide_by_count(Tensor *sum, int64_t count) {
    return tensor_div(sum, py_int(count));
}

static Tensor *mean_forward(Tensor *const *in, const int64_t *args) {
    (void)args;
    return divide_by_count(sum_all(in, NULL), tensor_numel(in[0]));
}

Tensor *tensor_mean(Tensor *t) {
    if (!t) return nb_error_null_tensor();
    if (check_mean_dtype(t) != 0) return NULL;
    return autograd_apply(&node_mean, mean_forward, 1, &t, NULL, 0);
}

static Tensor *mean_dim_forward(Tensor *const *in, const int64_t *args) {
    Tensor *t = in[0];
    int dim = dim_of_mask(args[0]);
    int64_t count = t->ndim > 0 ? t->shape[dim] : 1;
    return divide_by_count(sum_dim_raw(t, dim, args[1] != 0), count);
}

Tensor *tensor_mean_dim(Tensor *t, int dim, bool keepdim) {
    if (!t) return nb_error_null_tensor();
    if (check_mean_dtype(t) != 0) return NULL;
    int d = tensor_wrap_dim(dim, t->ndim);
    if (d < 0) return NULL;
    int64_t mask = t->ndim > 0 ? INT64_C(1) << d : 0;
    return autograd_apply(&node_mean_dim, mean_dim_forward, 1, &t, (int64_t[]){mask, keepdim}, 2);
}

/* ---- max, min ---- */

/* t.max() / t.min(): a 0-d tensor of t's dtype (args[0]: the ReduceOp) */
static Tensor *reduce_value_forward(Tensor *const *in, const int64_t *args) {
    Tensor *t = in[0];
    Tensor *out = tensor_empty_on(tensor_device(t), t->dtype, SHAPE0);
    if (!out || backend_for(tensor_device(t))->reduce((ReduceOp)args[0], out, t) != 0) return NULL;
    return out;
}

static Tensor *reduce_value(ReduceOp op, Tensor *t) {
    if (!t) return nb_error_null_tensor();
    if (tensor_numel(t) == 0) {
        nb_error_set(ERR_VALUE, "%s(): Expected reduction dim to be specified for input.numel() == 0. "
                                "Specify the reduction dim with the 'dim' argument.",
                     op == REDUCE_MAX ? "max" : "min");
        return NULL;
    }
    return autograd_apply(op == REDUCE_MAX ? &node_max_all : &node_min_all, reduce_value_forward, 1, &t,
                          (int64_t[]){op}, 1);
}

Tensor *tensor_max(Tensor *t) { return reduce_value(REDUCE_MAX, t); }
Tensor *tensor_min(Tensor *t) { return reduce_value(REDUCE_MIN, t); }

/* ---- argmax, argmin ---- */

/* ATen's argmax_argmin_impl: over every element it reduces t.reshape(-1)
 * to a 0-d index; over a dimension of size 1 the answer is all zeros. The
 * result never requires grad. */
static Tensor *arg_reduce(ReduceOp op, Tensor *t, bool all, int dim, bool keepdim) {
    const char *name = op == REDUCE_ARGMAX ? "argmax" : "argmin";
    if (!t) return nb_error_null_tensor();
    if (!all) {
        dim = tensor_wrap_dim(dim, t->ndim);
        if (dim < 0) return NULL;
        if (t->ndim > 0 && t->shape[dim] == 0) {
            nb_error_set(ERR_VALUE, "%s(): Expected reduction dim %d to have non-zero size.", name, dim);
            return NULL;
        }
    } else if (tensor_numel(t) == 0) {
        nb_error_set(ERR_VALUE, "%s(): Expected reduction dim to be specified for input.numel() == 0.", name);
        return NULL;
    }
    Device device = tensor_device(t);
    Shape shape = all ? SHAPE0 : reduced_shape(t, dim, keepdim);
    Tensor *out = tensor_empty_on(device, DTYPE_INT64, shape);
    if (!out) return NULL;
    if (!all && t->ndim > 0 && t->shape[dim] == 1) {
        if (tensor_copy_into(out, tensor_expand(tensor_zeros(DTYPE_INT64, SHAPE0), shape)) != 0) return NULL;
        return out;
    }
    /* nothing to compute: no kernel runs, so no dtype is refused */
    if (tensor_numel(out) == 0) return out;
    Tensor *in = all ? tensor_reshape(t, SHAPE(-1)) : t;
    if (!in) return NULL;
    /* the backend fills the result seen with in's rank (keepdim) */
    Tensor window = *out;
    window.ndim = in->ndim;
    for (int d = 0; d < in->ndim; d++) {
        bool reduced = all || d == dim;
        window.shape[d] = reduced ? 1 : in->shape[d];
    }
    int64_t stride = 1;
    for (int d = in->ndim - 1; d >= 0; d--) {
        window.strides[d] = stride;
        stride *= window.shape[d];
    }
    if (backend_for(device)->reduce(op, &window, in) != 0) return NULL;
    return out;
}

Tensor *tensor_argmax(Tensor *t) { return arg_reduce(REDUCE_ARGMAX, t, true, 0, false); }
Tensor *tensor_argmin(Tensor *t) { return arg_reduce(REDUCE_ARGMIN, t, true, 0, false); }
Tensor *tensor_argmax_dim(Tensor *t, int dim, bool keepdim) {
    return arg_reduce(REDUCE_ARGMAX, t, false, dim, keepdim);
}
Tensor *tensor_argmin_dim(Tensor *t, int dim, bool keepdim) {
    return arg_reduce(REDUCE_ARGMIN, t, false, dim, keepdim);
}
