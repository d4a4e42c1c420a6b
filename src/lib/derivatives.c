/* derivatives: the backward function of every differentiable op. The
 * elementwise ones are generated from kernels/op_table.h, where each
 * derivative is written beside its op; the rest (reductions, products,
 * views) follow. Everything is written with forward ops, so gradients are
 * computed on the device the forward ran on. */
#include "derivatives.h"

#include <math.h>
#include <string.h>

#include "autograd_node.h"
#include "derivatives_host.h"
#include "layout.h"
#include "error.h"
#include "op_calls.h"
#include "ops.h"

/* Zeros of t's shape, dtype and device. */
static Tensor *zeros_like_shape(const Tensor *t, Shape shape) {
    Tensor *out = tensor_empty_on(tensor_device(t), t->dtype, shape);
    /* on the host, zero bits are a zero of every dtype */
    if (out && tensor_device(out) == DEVICE_CPU) {
        memset(tensor_data(out), 0, out->storage->nbytes);
        return out;
    }
    Tensor *zero = tensor_zeros(t->dtype, SHAPE0);
    if (tensor_copy_into(out, tensor_expand(zero, shape)) != 0) return NULL;
    return out;
}

/* at::where(cond(a, b), 0, value), with a and b broadcast to value's
 * shape: the masks of pow's backward. No backend has a select kernel, so
 * the mask is applied on the host, through copies when value lives on a
 * device. */
static Tensor *zero_where(Tensor *value, Tensor *a, Tensor *b, bool (*cond)(double a, double b)) {
    if (!value || !a || !b) return nb_error_null_tensor();
    Shape shape = tensor_shape(value);
    Tensor *host = tensor_empty(value->dtype, shape);
    Tensor *ha = tensor_empty(DTYPE_FLOAT64, shape), *hb = tensor_empty(DTYPE_FLOAT64, shape);
    if (tensor_copy_into(host, value) != 0 ||
        tensor_copy_into(ha, tensor_expand(tensor_to_dtype(a, DTYPE_FLOAT64), shape)) != 0 ||
        tensor_copy_into(hb, tensor_expand(tensor_to_dtype(b, DTYPE_FLOAT64), shape)) != 0)
        return NULL;
    const double *pa = tensor_data(ha), *pb = tensor_data(hb);
    for (int64_t i = 0; i < tensor_numel(host); i++) {
        if (!cond(pa[i], pb[i])) continue;
        if (host->dtype == DTYPE_FLOAT32)
            ((float *)tensor_data(host))[i] = 0.0f;
        else
            ((double *)tensor_data(host))[i] = 0.0;
    }
    if (tensor_device(value) == DEVICE_CPU) return host;
    Tensor *out = tensor_empty_on(tensor_device(value), value->dtype, shape);
    return tensor_copy_into(out, host) == 0 ? out : NULL;
}

static bool exponent_is_zero(double a, double b) {
    (void)a;
    return b == 0;
}

static bool zero_base_nonnegative_exponent(double a, double b) { return a == 0 && b >= 0; }

/* d(a**b)/da = b * a**(b-1), as FunctionsManual.cpp's pow_backward (a
 * Python-number exponent: zeros when it is 0) and pow_backward_self (a
 * tensor exponent: masked to 0 where it is 0, as 0 * 0**-1 is nan). */
static Tensor *pow_backward_base(Tensor *g, Tensor *a, Tensor *b) {
    if (b->is_wrapped_number && tensor_item(b) == 0) return zeros_like_shape(g, tensor_shape(g));
    /* small host operands: one loop of the same per-value operations */
    Tensor *fast = b->is_wrapped_number ? host_pow_backward(g, a, tensor_item(b)) : NULL;
    if (fast || nb_error_pending()) return fast;
    /* A Python-number exponent's b - 1 is a C double there (exp.toDouble()
     * - 1), so a**(b-1) is pow with a Python number again and takes its
     * shortcuts (b = 0.5: 1/sqrt(a); b = -1: 1/(a*a)); a 0-d tensor
     * exponent would take the tensor path instead. */
    Tensor *b1 = b->is_wrapped_number ? py_float(tensor_item(b) - 1.0) : tensor_sub(b, py_int(1));
    Tensor *grad = tensor_mul(g, tensor_mul(b, tensor_pow(a, b1)));
    return b->is_wrapped_number ? grad : zero_where(grad, a, b, exponent_is_zero);
}

/* d(a**b)/db = a**b * log(a), masked to 0 where a == 0 and b >= 0
 * (pow_backward_exponent). log is taken in a's own dtype as PyTorch 1.13
 * does; but a Python-number base is a tensor of the result's dtype there
 * (Tensor.__rpow__ makes it one), so log of 2 in 2 ** x is float64 for a
 * float64 x, not the default float32 of an integer's log. */
static Tensor *pow_backward_exponent(Tensor *g, Tensor *a, Tensor *b) {
    Tensor *base = a->is_wrapped_number ? tensor_to_dtype(a, torch_result_type(a, b)) : a;
    Tensor *d = tensor_mul(tensor_pow(a, b), tensor_log(base));
    return tensor_mul(g, zero_where(d, a, b, zero_base_nonnegative_exponent));
}

/* sgn(x) for real x, as ATen's sign kernel: (0 < x) - (x < 0), so 0 for
 * a nan and both zeros. abs's derivative is g * sgn(x). */
static Tensor *sgn(Tensor *x) {
    return tensor_sub(tensor_to_dtype(tensor_gt(x, py_int(0)), x->dtype),
                      tensor_to_dtype(tensor_lt(x, py_int(0)), x->dtype));
}

/* maximum's and minimum's: at::where(a == b, g / 2, g), then
 * .masked_fill_(mask, 0) (derivatives.yaml) */
static Tensor *tie_halved(Tensor *g, Tensor *a, Tensor *b) {
    return tensor_where(tensor_eq(a, b), tensor_div(g, py_int(2)), g);
}

static Tensor *masked_zero(Tensor *value, Tensor *mask) { return tensor_where(mask, py_int(0), value); }

/* ReLU's derivative, ATen's threshold_backward(g, r, 0): where(r <= 0, 0,
 * g) (a nan r passes g; r = -0 gives +0). On the host, for g and r of one
 * dtype and shape and r contiguous (every ReLU of a model step; g is often
 * sum's expanded gradient), it is one loop with those very comparisons,
 * walking g by its strides; anything else takes the ops, which run on any
 * device. */
#define RELU_BACKWARD_LOOP(T, out, g, r, n)                                                    \
    do {                                                                                       \
        const T *pg = tensor_data(g), *pr = tensor_data(r);                                    \
        T *po = tensor_data(out);                                                              \
        int64_t at[TENSOR_MAX_DIMS] = {0}, off = 0;                                            \
        for (int64_t i = 0; i < (n); i++) {                                                    \
            po[i] = pr[i] <= 0 ? (T)0 : pg[off];                                               \
            for (int d = (g)->ndim - 1; d >= 0; d--) { /* g's next element, as an odometer */  \
                off += (g)->strides[d];                                                        \
                if (++at[d] < (g)->shape[d]) break;                                            \
                off -= (g)->strides[d] * (g)->shape[d];                                        \
                at[d] = 0;                                                                     \
            }                                                                                  \
        }                                                                                      \
    } while (0)

static Tensor *relu_backward(Tensor *g, Tensor *r) {
    if (!g || !r) return nb_error_null_tensor();
    bool host_alike = g->dtype == r->dtype && nb_dtype_is_floating(g->dtype) && tensor_device(g) == DEVICE_CPU &&
                      tensor_device(r) == DEVICE_CPU && layout_has_shape(g, r->ndim, r->shape) &&
                      tensor_is_contiguous(r);
    if (!host_alike) return tensor_where(tensor_le(r, py_int(0)), py_int(0), g);
    Tensor *out = tensor_empty(g->dtype, tensor_shape(g));
    if (!out) return NULL;
    if (g->dtype == DTYPE_FLOAT32) RELU_BACKWARD_LOOP(float, out, g, r, tensor_numel(out));
    else RELU_BACKWARD_LOOP(double, out, g, r, tensor_numel(out));
    return out;
}

/* ---- elementwise, from the op table ---- */

#define UNARY_BACKWARD(ID, NAME, GRAD_NAME, SAVED, FN, RULE, BOOL_ERROR, DERIVATIVE)           \
    static int backward_unary_##ID(const AutogradNode *node, Tensor *g, const bool *needs,    \
                                   Tensor **grads) {                                          \
        Tensor *x = node->saved[0], *r = node->saved_result;                                   \
        (void)x;                                                                               \
        (void)r;                                                                               \
        if (!needs[0]) return 0;                                                               \
        /* sin, cos, exp, log of small host operands: one loop (derivatives_host.h) */         \
        Tensor *fast = host_unary_backward(UNARY_##ID, g, x);                                  \
        grads[0] = fast || nb_error_pending() ? fast : DERIVATIVE;                             \
        return 0;                                                                              \
    }
UNARY_OP_LIST(UNARY_BACKWARD)
#undef UNARY_BACKWARD

#define BINARY_BACKWARD(ID, NAME, GRAD_NAME, SAVED, FN, RULE, DERIVATIVE_A, DERIVATIVE_B)           \
    static int backward_binary_##ID(const AutogradNode *node, Tensor *g, const bool *needs,   \
                                    Tensor **grads) {                                         \
        Tensor *a = node->saved[0], *b = node->saved[1];                                       \
        (void)a;                                                                               \
        (void)b;                                                                               \
        (void)g;                                                                               \
        if (needs[0]) grads[0] = DERIVATIVE_A;                                                 \
        if (needs[1]) grads[1] = DERIVATIVE_B;                                                 \
        return 0;                                                                              \
    }
BINARY_OP_LIST(BINARY_BACKWARD)
#undef BINARY_BACKWARD

const NodeKind node_unary[UNARY_OP_COUNT] = {
#define UNARY_KIND(ID, NAME, GRAD_NAME, SAVED, ...) [UNARY_##ID] = {GRAD_NAME, SAVED, backward_unary_##ID},
    UNARY_OP_LIST(UNARY_KIND)
#undef UNARY_KIND
};

const NodeKind node_binary[BINARY_OP_COUNT] = {
#define BINARY_KIND(ID, NAME, GRAD_NAME, SAVED, ...) [BINARY_##ID] = {GRAD_NAME, SAVED, backward_binary_##ID},
    BINARY_OP_LIST(BINARY_KIND)
#undef BINARY_KIND
};

/* x ** 2 with a Python number is PowBackward0 in PyTorch (Tensor-Scalar
 * overload); the derivative is the same. */
const NodeKind node_pow_scalar = {"PowBackward0", SAVES_A | SAVES_B, backward_binary_POW};
/* 0.5 - x is Tensor.__rsub__, torch.rsub(x, 0.5): RsubBackward1, whose
 * derivative, -g, is sub's. */
const NodeKind node_rsub = {"RsubBackward1", SAVES_NONE, backward_binary_SUB};

/* d(1/x)/dx from the result, as derivatives.yaml: -g * (r * r) */
static int backward_reciprocal(const AutogradNode *node, Tensor *g, const bool *needs,
                               Tensor **grads) {
    if (!needs[0]) return 0;
    Tensor *r = tensor_reciprocal(node->saved[0]);
    grads[0] = tensor_mul(tensor_neg(g), tensor_mul(r, r));
    return 0;
}

const NodeKind node_reciprocal = {"ReciprocalBackward0", SAVES_X, backward_reciprocal};

/* ---- where and clamp ---- */

/* WhereBackward0 over (cond, a, b): a gets g where cond, b elsewhere */
static int backward_where(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    Tensor *c = node->saved[0];
    if (needs[1]) grads[1] = tensor_where(c, g, py_int(0));
    if (needs[2]) grads[2] = tensor_where(c, py_int(0), g);
    return 0;
}

const NodeKind node_where = {"WhereBackward0", SAVES_A, backward_where};

/* A clamp node's inputs: x, then min and max where given (args[0]: bit 1
 * min, bit 2 max). */
static void clamp_bounds(const AutogradNode *node, Tensor **lo, Tensor **hi) {
    int64_t which = node->args[0];
    *lo = which & 1 ? node->saved[1] : NULL;
    *hi = which & 2 ? node->saved[which & 1 ? 2 : 1] : NULL;
}

/* a.logical_and_(b) (or logical_or_), in place as PyTorch's
 * clamp_backward_min_max writes it: b must broadcast to a's shape, else
 * PyTorch's in-place error. */
static Tensor *inplace_logical(Tensor *a, Tensor *b, bool or) {
    if (!a || !b) return nb_error_null_tensor();
    Shape shape;
    if (torch_broadcast_shapes(tensor_shape(a), tensor_shape(b), &shape) != 0) return NULL;
    if (!nb_shape_equal(shape, tensor_shape(a))) {
        char have[256], want[256];
        nb_error_set(ERR_VALUE, "output with shape %s doesn't match the broadcast shape %s",
                     nb_shape_str(a->shape, a->ndim, have, sizeof have),
                     nb_shape_str(shape.dims, shape.ndim, want, sizeof want));
        return NULL;
    }
    return or ? tensor_add(a, b) : tensor_mul(a, b); /* bool + is or, * is and */
}

/* x's gradient passes where min <= x <= max (clamp_backward and
 * clamp_backward_min_max); a tensor min's where x < min (and min < max),
 * a tensor max's where x > max (or max < min). */
static int backward_clamp(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    Tensor *x = node->saved[0], *lo, *hi;
    clamp_bounds(node, &lo, &hi);
    if (needs[0]) {
        Tensor *pass = lo && hi ? inplace_logical(tensor_ge(x, lo), tensor_le(x, hi), false)
                       : lo     ? tensor_ge(x, lo)
                                : tensor_le(x, hi);
        if (!pass) return -1;
        grads[0] = tensor_where(pass, g, py_int(0));
    }
    int k = 1;
    if (lo && needs[k]) {
        Tensor *mask = tensor_lt(x, lo);
        if (hi) mask = inplace_logical(mask, tensor_lt(lo, hi), false);
        if (!mask) return -1;
        grads[k] = tensor_where(mask, g, py_int(0));
    }
    if (lo) k++;
    if (hi && needs[k]) {
        Tensor *mask = tensor_gt(x, hi);
        if (lo) mask = inplace_logical(mask, tensor_lt(hi, lo), true);
        if (!mask) return -1;
        grads[k] = tensor_where(mask, g, py_int(0));
    }
    return 0;
}

#define SAVES_ALL (SAVES_A | SAVES_B | 4u)
const NodeKind node_clamp_scalar = {"ClampBackward1", SAVES_ALL, backward_clamp};
const NodeKind node_clamp_tensor = {"ClampBackward0", SAVES_ALL, backward_clamp};
const NodeKind node_clamp_min_tensor = {"ClampMinBackward1", SAVES_ALL, backward_clamp};
const NodeKind node_clamp_max_tensor = {"ClampMaxBackward1", SAVES_ALL, backward_clamp};

/* ---- reductions and products ---- */

static int backward_sum_dims(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads);

static int backward_sum(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = tensor_expand(g, node->next[0].shape);
    return 0;
}

static int backward_dot(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = tensor_mul(g, node->saved[1]);
    if (needs[1]) grads[1] = tensor_mul(g, node->saved[0]);
    return 0;
}

/* out = mat @ vec: d/dmat = g ⊗ vec, d/dvec = matᵀ @ g */
static int backward_mv(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = tensor_outer(g, node->saved[1]);
    if (needs[1]) grads[1] = tensor_mv(tensor_transpose(node->saved[0], 0, 1), g);
    return 0;
}

/* A matrix stored column-major (a transpose of a contiguous one). */
static bool column_major(const Tensor *t) { return t->strides[0] == 1 && t->strides[1] == t->shape[0]; }

/* out = a @ b: d/da = g @ bᵀ, d/db = aᵀ @ g. As PyTorch's mm_mat1_backward
 * and mm_mat2_backward, a column-major input gets its gradient as the
 * transpose of (b @ gᵀ) or (gᵀ @ a): another gemm, with its own bits. */
static int backward_mm(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    Tensor *a = node->saved[0], *b = node->saved[1];
    if (needs[0])
        grads[0] = column_major(a) ? tensor_transpose(tensor_mm(b, tensor_transpose(g, 0, 1)), 0, 1)
                                   : tensor_mm(g, tensor_transpose(b, 0, 1));
    if (needs[1])
        grads[1] = column_major(b) ? tensor_transpose(tensor_mm(tensor_transpose(g, 0, 1), a), 0, 1)
                                   : tensor_mm(tensor_transpose(a, 0, 1), g);
    return 0;
}

static int backward_bmm(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = tensor_bmm(g, tensor_transpose(node->saved[1], 1, 2));
    if (needs[1]) grads[1] = tensor_bmm(tensor_transpose(node->saved[0], 1, 2), g);
    return 0;
}

const NodeKind node_sum = {"SumBackward0", SAVES_NONE, backward_sum};
/* sum over some dimensions, keeping them (what sum_to_size runs) */
const NodeKind node_sum_dims = {"SumBackward1", SAVES_NONE, backward_sum_dims};
const NodeKind node_dot = {"DotBackward0", SAVES_A | SAVES_B, backward_dot};
const NodeKind node_mv = {"MvBackward0", SAVES_A | SAVES_B, backward_mv};
const NodeKind node_mm = {"MmBackward0", SAVES_A | SAVES_B, backward_mm};
const NodeKind node_bmm = {"BmmBackward0", SAVES_A | SAVES_B, backward_bmm};

/* ---- views and copies ---- */

/* A view's gradient scatters g into zeros of the input's shape. */
static int backward_select(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (!needs[0]) return 0;
    Tensor *grad = zeros_like_shape(g, node->next[0].shape);
    /* on the host, a contiguous g selected along dimension 0 is one block
     * of the zeros: a memcpy (what the copy writes, bit for bit) */
    int dim = (int)node->args[0];
    if (grad && dim == 0 && grad->ndim > 0 && tensor_device(grad) == DEVICE_CPU && tensor_device(g) == DEVICE_CPU &&
        g->dtype == grad->dtype && tensor_is_contiguous(g) && tensor_is_contiguous(grad)) {
        int64_t index = node->args[1]; /* non-negative: tensor_select recorded it so */
        size_t size = nb_dtype_size(g->dtype);
        memcpy((char *)tensor_data(grad) + (size_t)(index * grad->strides[0]) * size, tensor_data(g),
               (size_t)tensor_numel(g) * size);
        grads[0] = grad;
        return 0;
    }
    if (tensor_copy_into(tensor_select(grad, (int)node->args[0], node->args[1]), g) != 0) return -1;
    grads[0] = grad;
    return 0;
}

static int backward_slice(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (!needs[0]) return 0;
    Tensor *grad = zeros_like_shape(g, node->next[0].shape);
    Tensor *window = tensor_slice(grad, (int)node->args[0], node->args[1], node->args[2], node->args[3]);
    if (tensor_copy_into(window, g) != 0) return -1;
    grads[0] = grad;
    return 0;
}

static int backward_transpose(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = tensor_transpose(g, (int)node->args[0], (int)node->args[1]);
    return 0;
}

/* The gradient of expand, alias, to_dtype and clone is g itself: the engine sums
 * it back to the input's shape and casts it to the input's dtype. */
static int backward_identity(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    (void)node;
    if (needs[0]) grads[0] = g;
    return 0;
}

static int backward_reshape(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = tensor_reshape(g, node->next[0].shape);
    return 0;
}

static int backward_unsqueeze(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = tensor_squeeze_dim(g, (int)node->args[0]);
    return 0;
}

/* squeeze(dim) removed the dimension only when it had size 1 */
static int backward_squeeze(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (!needs[0]) return 0;
    const Shape *in = &node->next[0].shape;
    int dim = (int)node->args[0];
    grads[0] = in->ndim > g->ndim ? tensor_unsqueeze(g, dim) : g;
    return 0;
}

const NodeKind node_select = {"SelectBackward0", SAVES_NONE, backward_select};
const NodeKind node_slice = {"SliceBackward0", SAVES_NONE, backward_slice};
const NodeKind node_transpose = {"TransposeBackward0", SAVES_NONE, backward_transpose};
const NodeKind node_expand = {"ExpandBackward0", SAVES_NONE, backward_identity};
const NodeKind node_view = {"ViewBackward0", SAVES_NONE, backward_reshape};
/* torch.reshape of a viewable tensor is _reshape_alias in PyTorch 1.13 */
const NodeKind node_reshape_alias = {"ReshapeAliasBackward0", SAVES_NONE, backward_reshape};
/* reshape's copy path, and matmul's reshapes of its own products */
const NodeKind node_unsafe_view = {"UnsafeViewBackward0", SAVES_NONE, backward_reshape};
const NodeKind node_unsqueeze = {"UnsqueezeBackward0", SAVES_NONE, backward_unsqueeze};
const NodeKind node_squeeze = {"SqueezeBackward1", SAVES_NONE, backward_squeeze};
/* matmul squeezes its 1-D @ 2-D product in place (squeeze_(0)) */
const NodeKind node_squeeze_inplace = {"SqueezeBackward3", SAVES_NONE, backward_squeeze};
const NodeKind node_alias = {"AliasBackward0", SAVES_NONE, backward_identity}; /* t[()] */
const NodeKind node_to_copy = {"ToCopyBackward0", SAVES_NONE, backward_identity};
const NodeKind node_clone = {"CloneBackward0", SAVES_NONE, backward_identity};

/* ---- reductions over a dimension, means, max and min (src/lib/reduce.c) ---- */

/* sum_backward: g with the summed dimensions put back (unless kept), then
 * expanded to the input's shape. args: a bit per summed dimension of the
 * input, keepdim (as SumBackward1 keeps dim and keepdim). */
static Tensor *unreduce(const AutogradNode *node, Tensor *g) {
    const Shape *in = &node->next[0].shape;
    if (!node->args[1])
        for (int d = 0; d < in->ndim; d++)
            if (node->args[0] >> d & 1) g = tensor_unsqueeze(g, d);
    return tensor_expand(g, *in);
}

static int backward_sum_dims(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (needs[0]) grads[0] = unreduce(node, g);
    return 0;
}

static int64_t shape_numel(const Shape *shape) {
    int64_t n = 1;
    for (int d = 0; d < shape->ndim; d++) n *= shape->dims[d];
    return n;
}

/* derivatives.yaml: grad.expand(self.sizes()) / self.numel() */
static int backward_mean(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    const Shape *in = &node->next[0].shape;
    if (needs[0]) grads[0] = tensor_div(tensor_expand(g, *in), py_int(shape_numel(in)));
    return 0;
}

/* mean_backward: sum_backward(...) / the size of the dimension */
static int backward_mean_dim(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    const Shape *in = &node->next[0].shape;
    int64_t count = 1;
    for (int d = 0; d < in->ndim; d++)
        if (node->args[0] >> d & 1) count *= in->dims[d];
    if (needs[0]) grads[0] = tensor_div(unreduce(node, g), py_int(count));
    return 0;
}

/* evenly_distribute_backward on the CPU: zeros, with grad / (how many
 * elements equal the result) where they do (NaN: where the input is NaN).
 * The count is a 0-d int64 tensor, so the quotient has grad's dtype. The
 * mask is built on the host. */
static int backward_extreme(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (!needs[0]) return 0;
    Tensor *x = node->saved[0];
    Tensor *value = node->kind == &node_max_all ? tensor_max(x) : tensor_min(x);
    Tensor *host = tensor_to_dtype(tensor_contiguous(x), DTYPE_FLOAT64);
    Tensor *on_host = host ? tensor_empty(DTYPE_FLOAT64, tensor_shape(host)) : NULL;
    if (!value || !on_host || tensor_copy_into(on_host, host) != 0) return -1;
    double v = tensor_item(value);
    const double *data = tensor_data(on_host);
    int64_t n = tensor_numel(on_host), count = 0;
    for (int64_t i = 0; i < n; i++) count += isnan(v) ? isnan(data[i]) : data[i] == v;
    Tensor *share = tensor_div(g, tensor_from_data(DTYPE_INT64, SHAPE0, &count));
    Tensor *grad = tensor_zeros(g->dtype, tensor_shape(x));
    if (!share || !grad) return -1;
    double q = tensor_item(share);
    for (int64_t i = 0; i < n; i++) {
        if (!(isnan(v) ? isnan(data[i]) : data[i] == v)) continue;
        if (grad->dtype == DTYPE_FLOAT32)
            ((float *)tensor_data(grad))[i] = (float)q;
        else
            ((double *)tensor_data(grad))[i] = q;
    }
    if (tensor_device(g) == DEVICE_CPU) {
        grads[0] = grad;
        return 0;
    }
    Tensor *moved = tensor_empty_on(tensor_device(g), g->dtype, tensor_shape(x));
    if (tensor_copy_into(moved, grad) != 0) return -1;
    grads[0] = moved;
    return 0;
}

const NodeKind node_mean = {"MeanBackward0", SAVES_NONE, backward_mean};
/* 1.13 saves self (for its numel), so a second backward is refused */
const NodeKind node_mean_dim = {"MeanBackward1", SAVES_X, backward_mean_dim};
const NodeKind node_max_all = {"MaxBackward1", SAVES_X, backward_extreme};
const NodeKind node_min_all = {"MinBackward1", SAVES_X, backward_extreme};
/* ---- shape ops: permute, t, cat, stack ---- */

/* permute's gradient is g permuted back: dims[i] went to place i */
static int backward_permute(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    if (!needs[0]) return 0;
    Shape inverse = {.ndim = (int)node->args[0]};
    for (int i = 0; i < inverse.ndim; i++) inverse.dims[node->args[1 + i]] = i;
    grads[0] = tensor_permute(g, inverse);
    return 0;
}

static int backward_t(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    (void)node;
    if (needs[0]) grads[0] = tensor_t(g);
    return 0;
}

/* Each input's gradient is its slice of g along dim (a view, as
 * cat_tensors_backward's narrow); a skipped 1-D empty input gets an empty
 * gradient. */
static int backward_cat(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    int dim = (int)node->args[0];
    int64_t at = 0;
    for (int i = 0; i < node->ninputs; i++) {
        const Shape *in = &node->next[i].shape;
        bool skipped = in->ndim == 1 && in->dims[0] == 0;
        int64_t size = skipped ? 0 : in->dims[dim];
        if (needs[i])
            grads[i] = skipped ? zeros_like_shape(g, SHAPE(0)) : tensor_slice(g, dim, at, at + size, 1);
        at += size;
    }
    return 0;
}

static int backward_stack(const AutogradNode *node, Tensor *g, const bool *needs, Tensor **grads) {
    for (int i = 0; i < node->ninputs; i++)
        if (needs[i]) grads[i] = tensor_select(g, (int)node->args[0], i);
    return 0;
}

const NodeKind node_permute = {"PermuteBackward0", SAVES_NONE, backward_permute};
const NodeKind node_t = {"TBackward0", SAVES_NONE, backward_t};
const NodeKind node_cat = {"CatBackward0", SAVES_NONE, backward_cat};
const NodeKind node_stack = {"StackBackward0", SAVES_NONE, backward_stack};
