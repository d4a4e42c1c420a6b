/* ops: the front end of the elementwise operations: argument
 * checks, type promotion (torch.result_type), broadcasting, then one call
 * into the backend of the inputs' device. */
#include "ops.h"

#include "backend.h"
#include "cpu_kernels.h"
#include "cpu_pow.h"
#include "derivatives.h"
#include "layout.h"
#include "op_calls.h"
#include "error.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- type promotion (c10's ResultTypeState) ---- */

#define DTYPE_UNDEFINED (-1)

static int promote_skip_undefined(int a, int b) {
    if (a == DTYPE_UNDEFINED) return b;
    if (b == DTYPE_UNDEFINED) return a;
    return (int)nb_dtype_promote((DType)a, (DType)b);
}

/* Tensors with dimensions outrank 0-d tensors, which outrank Python numbers,
 * unless the lower-ranked one is of a higher category (bool < int < float). */
static int combine_categories(int higher, int lower) {
    if (higher != DTYPE_UNDEFINED && nb_dtype_is_floating((DType)higher)) return higher;
    if (higher == DTYPE_BOOL || (lower != DTYPE_UNDEFINED && nb_dtype_is_floating((DType)lower)))
        return promote_skip_undefined(higher, lower);
    return higher != DTYPE_UNDEFINED ? higher : lower;
}

DType torch_result_type(const Tensor *a, const Tensor *b) {
    int dim_result = DTYPE_UNDEFINED, zero_result = DTYPE_UNDEFINED, wrapped_result = DTYPE_UNDEFINED;
    const Tensor *operands[] = {a, b};
    for (int i = 0; i < 2; i++) {
        const Tensor *t = operands[i];
        if (t->is_wrapped_number) {
            int current = nb_dtype_is_floating(t->dtype) ? DTYPE_DEFAULT_FLOAT : (int)t->dtype;
            wrapped_result = promote_skip_undefined(wrapped_result, current);
        } else if (t->ndim == 0) {
            zero_result = promote_skip_undefined(zero_result, (int)t->dtype);
        } else {
            dim_result = promote_skip_undefined(dim_result, (int)t->dtype);
        }
    }
    return (DType)combine_categories(dim_result, combine_categories(zero_result, wrapped_result));
}

/* ---- broadcasting ---- */

int torch_broadcast_shapes(Shape a, Shape b, Shape *out) {
    int ndim = a.ndim > b.ndim ? a.ndim : b.ndim;
    out->ndim = ndim;
    for (int i = ndim - 1; i >= 0; i--) {
        int offset = ndim - 1 - i;
        int da = a.ndim - 1 - offset, db = b.ndim - 1 - offset;
        int64_t sa = da >= 0 ? a.dims[da] : 1, sb = db >= 0 ? b.dims[db] : 1;
        if (sa != sb && sa != 1 && sb != 1)
            return nb_error_set(ERR_VALUE,
                             "The size of tensor a (%lld) must match the size of tensor b (%lld) at "
                             "non-singleton dimension %d",
                             (long long)sa, (long long)sb, i);
        out->dims[i] = sa == 1 ? sb : sa;
    }
    return 0;
}

/* ---- devices ---- */

/* Python numbers live on the CPU and may meet tensors on any device; so
 * may any 0-d CPU tensor, as in PyTorch (a gradient formula's b - 1 with b
 * a Python number is one). */
static bool cpu_scalar(const Tensor *t) {
    return t->is_wrapped_number || (t->ndim == 0 && tensor_device(t) == DEVICE_CPU);
}

static int common_device(const Tensor *a, const Tensor *b, Device *device) {
    Device da = tensor_device(a), db = tensor_device(b);
    if (da == db || cpu_scalar(b)) {
        *device = da;
        return 0;
    }
    if (cpu_scalar(a)) {
        *device = db;
        return 0;
    }
    return nb_error_set(ERR_VALUE, "Expected all tensors to be on the same device, but found at least "
                                "two devices, %s and %s!",
                     da == DEVICE_CUDA ? "cuda:0" : "cpu", db == DEVICE_CUDA ? "cuda:0" : "cpu");
}

/* `t` as a tensor of `dtype` on `device` (t itself when it already is). */
static Tensor *to_dtype_on(Tensor *t, DType dtype, Device device) {
    Tensor *converted = tensor_to_dtype(t, dtype);
    if (!converted || tensor_device(converted) == device) return converted;
    Tensor *moved = tensor_empty_on(device, dtype, tensor_shape(converted));
    if (tensor_copy_into(moved, converted) != 0) return NULL;
    return moved;
}

/* ---- elementwise ---- */

/* An operand as a kernel reads it, broadcast to `shape`: t itself when it
 * has that shape already (the view expand would make has t's geometry and
 * would cost a header). */
static Tensor *broadcast_operand(Tensor *t, Shape shape) {
    if (t && t->ndim == shape.ndim && memcmp(t->shape, shape.dims, (size_t)shape.ndim * sizeof *t->shape) == 0)
        return t;
    return tensor_expand(t, shape);
}

static bool is_negative_integer_scalar(const Tensor *t) {
    /* only pow(Tensor, Scalar) checks: a 0-d tensor exponent may be negative */
    return t->is_wrapped_number && !nb_dtype_is_floating(t->dtype) && tensor_item(t) < 0;
}

static int check_binary_dtypes(BinaryOp op, const Tensor *a, const Tensor *b, DType dtype) {
    bool a_bool = a->dtype == DTYPE_BOOL, b_bool = b->dtype == DTYPE_BOOL;
    if (op == BINARY_SUB && a_bool && b_bool)
        return nb_error_set(ERR_VALUE, "Subtraction, the `-` operator, with two bool tensors is not "
                                    "supported. Use the `^` or `logical_xor()` operator instead.");
    if (op == BINARY_SUB && (a_bool || b_bool))
        return nb_error_set(ERR_VALUE, "Subtraction, the `-` operator, with a bool tensor is not "
                                    "supported. If you are trying to invert a mask, use the `~` or "
                                    "`logical_not()` operator instead.");
    if (op == BINARY_POW && !nb_dtype_is_floating(dtype) && is_negative_integer_scalar(b))
        return nb_error_set(ERR_VALUE, "Integers to negative integer powers are not allowed.");
    return 0;
}

/* Each row's result rule (kernels/op_table.h). */
static const int binary_rules[BINARY_OP_COUNT] = {
#define BINARY_RULE(ID, NAME, GRAD_NAME, SAVED, FN, RULE, ...) [BINARY_##ID] = OP_RULE_##RULE,
    BINARY_OP_LIST(BINARY_RULE)
#undef BINARY_RULE
};

/* Up to this many elements an op on the host runs serially anyway. */
#define SMALL_HOST_NUMEL 4096

static Tensor *binary_op(BinaryOp op, Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    /* Two tensors (no Python number) of one dtype, shape and device, the
     * usual case: that is the result's dtype, shape and device, without
     * promotion and broadcasting's general rules. */
    bool alike = !a->is_wrapped_number && !b->is_wrapped_number && a->dtype == b->dtype &&
                 layout_has_shape(b, a->ndim, a->shape) && tensor_device(a) == tensor_device(b);
    DType dtype = alike ? a->dtype : torch_result_type(a, b);
    /* true division of integers computes in floating point */
    if (op == BINARY_DIV && !nb_dtype_is_floating(dtype)) dtype = DTYPE_DEFAULT_FLOAT;
    Device device = DEVICE_CPU;
    Shape shape;
    if (alike) {
        device = tensor_device(a);
        shape = tensor_shape(a);
        if (check_binary_dtypes(op, a, b, dtype) != 0) return NULL;
    } else if (check_binary_dtypes(op, a, b, dtype) != 0 || common_device(a, b, &device) != 0 ||
               torch_broadcast_shapes(tensor_shape(a), tensor_shape(b), &shape) != 0) {
        return NULL;
    }
    /* Small contiguous host operands of one float dtype and shape, for the
     * exactly rounded four: the CPU kernel's row loop straight away (no
     * casts, expands, layout rules or iterator; the result is contiguous,
     * as TensorIterator makes it for contiguous inputs). */
    if (alike && device == DEVICE_CPU && a->dtype == dtype && (dtype == DTYPE_FLOAT32 || dtype == DTYPE_FLOAT64) &&
        (op == BINARY_ADD || op == BINARY_SUB || op == BINARY_MUL || op == BINARY_DIV) &&
        tensor_numel(a) <= SMALL_HOST_NUMEL && tensor_is_contiguous(a) && tensor_is_contiguous(b)) {
        Tensor *out = tensor_empty(dtype, shape);
        if (!out) return NULL;
        if (cpu_binary_exact_contiguous(op, out, a, b)) return out;
        nb_error_set(ERR_VALUE, "internal error: no small host loop for this op");
        return NULL;
    }
    /* A small contiguous float host tensor to a Python-number power, where
     * every value takes one scalar expression of cpu_pow's (a shortcut, or
     * a run shorter than the vector body's step): that expression. */
    if (op == BINARY_POW && b->is_wrapped_number && device == DEVICE_CPU && a->dtype == dtype &&
        (dtype == DTYPE_FLOAT32 || dtype == DTYPE_FLOAT64) && layout_has_shape(a, shape.ndim, shape.dims) &&
        tensor_is_contiguous(a)) {
        double e = tensor_item(b);
        int64_t n = tensor_numel(a);
        if (cpu_pow_scalar_elementwise(n, (int)nb_dtype_size(dtype), e)) {
            Tensor *out = tensor_empty(dtype, shape);
            if (!out) return NULL;
            if (dtype == DTYPE_FLOAT32) {
                const float *x = tensor_data(a);
                float *y = tensor_data(out);
                for (int64_t i = 0; i < n; i++) y[i] = cpu_pow_scalar_f32(x[i], e);
            } else {
                const double *x = tensor_data(a);
                double *y = tensor_data(out);
                for (int64_t i = 0; i < n; i++) y[i] = cpu_pow_scalar_f64(x[i], e);
            }
            return out;
        }
    }
    /* PyTorch has no bool pow kernel; its dispatch fails after broadcasting */
    if (op == BINARY_POW && dtype == DTYPE_BOOL) {
        nb_error_set(ERR_VALUE, "\"pow\" not implemented for 'Bool'");
        return NULL;
    }
    /* A Python-number exponent takes PyTorch's pow(Tensor, Scalar) kernel
     * (its shortcuts for 2, 0.5, ...), so the backend gets it marked as a
     * number. That kernel keeps it in double, as a Scalar does (float32
     * x ** 0.1 computes with 0.1, not 0.1f): the CPU's takes it so. */
    bool scalar_exponent = op == BINARY_POW && b->is_wrapped_number && nb_dtype_is_floating(dtype);
    DType exponent_dtype = scalar_exponent && device == DEVICE_CPU ? DTYPE_FLOAT64 : dtype;
    Tensor *ea = broadcast_operand(to_dtype_on(a, dtype, device), shape);
    Tensor *eb = to_dtype_on(b, exponent_dtype, device);
    /* eb's is_wrapped_number tells the backend what it is (below): a
     * tensor of the caller's whose flag says otherwise gets a view */
    eb = eb && eb->is_wrapped_number == scalar_exponent ? broadcast_operand(eb, shape) : tensor_expand(eb, shape);
    if (!ea || !eb) return nb_error_null_tensor();
    /* pow(Tensor, Scalar) and clamp with a Python-number bound are unary
     * ops in ATen: their iterator holds the tensor alone, so it alone lays
     * out the result (a fast setup when it is contiguous) */
    bool unary_in_aten = op == BINARY_POW || op == BINARY_CLAMP_MIN || op == BINARY_CLAMP_MAX;
    bool base_alone = unary_in_aten && b->is_wrapped_number;
    DType out_dtype = binary_rules[op] == OP_RULE_BOOL_RESULT ? DTYPE_BOOL : dtype;
    Tensor *out = layout_empty_like_inputs(device, out_dtype, shape, base_alone ? 1 : 2,
                                           (const Tensor *[]){a, b});
    if (!out) return NULL;
    if (eb->is_wrapped_number != scalar_exponent) eb->is_wrapped_number = scalar_exponent; /* a view of ours */
    if (backend_for(device)->binary(op, out, ea, eb) != 0) return NULL;
    return out;
}

static Tensor *binary_forward(Tensor *const *in, const int64_t *args) {
    return binary_op((BinaryOp)args[0], in[0], in[1]);
}

static const NodeKind *binary_kind(BinaryOp op, const Tensor *a, const Tensor *b) {
    /* a Python number on the left of - is Tensor.__rsub__; on the right of
     * ** the Tensor-Scalar overload */
    if (op == BINARY_SUB && a->is_wrapped_number && !b->is_wrapped_number) return &node_rsub;
    if (op == BINARY_POW && b->is_wrapped_number) return &node_pow_scalar;
    return &node_binary[op];
}

static Tensor *binary_recorded(BinaryOp op, Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    return autograd_apply(binary_kind(op, a, b), binary_forward, 2, (Tensor *[]){a, b},
                          (int64_t[]){op}, 1);
}

Tensor *tensor_add(Tensor *a, Tensor *b) { return binary_recorded(BINARY_ADD, a, b); }
Tensor *tensor_sub(Tensor *a, Tensor *b) { return binary_recorded(BINARY_SUB, a, b); }
Tensor *tensor_mul(Tensor *a, Tensor *b) { return binary_recorded(BINARY_MUL, a, b); }

static Tensor *reciprocal_forward(Tensor *const *in, const int64_t *args) {
    (void)args;
    return binary_op(BINARY_DIV, py_float(1.0), in[0]);
}

/* 1 / t rounds as torch.reciprocal does; its own node differentiates it
 * as PyTorch does, from the result (-g * r * r), not as a quotient. */
Tensor *tensor_reciprocal(Tensor *t) {
    return autograd_apply(&node_reciprocal, reciprocal_forward, 1, &t, NULL, 0);
}

/* Python's s / T is Tensor.__rtruediv__, T.reciprocal() * s, which rounds
 * differently from dividing s by T. */
Tensor *tensor_div(Tensor *a, Tensor *b) {
    if (a && b && a->is_wrapped_number && !b->is_wrapped_number)
        return tensor_mul(tensor_reciprocal(b), a);
    return binary_recorded(BINARY_DIV, a, b);
}
Tensor *tensor_pow(Tensor *base, Tensor *exponent) { return binary_recorded(BINARY_POW, base, exponent); }

/* torch.maximum and torch.minimum take tensors only: Python's argument
 * parser refuses a number in these words. */
static Tensor *tensors_only(BinaryOp op, const char *name, Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    if (a->is_wrapped_number || b->is_wrapped_number) {
        bool first = a->is_wrapped_number;
        const Tensor *number = first ? a : b;
        nb_error_set(ERR_VALUE, "%s(): argument '%s' (position %d) must be Tensor, not %s", name,
                     first ? "input" : "other", first ? 1 : 2,
                     nb_dtype_is_floating(number->dtype) ? "float"
                     : number->dtype == DTYPE_BOOL       ? "bool"
                                                         : "int");
        return NULL;
    }
    return binary_recorded(op, a, b);
}

Tensor *tensor_maximum(Tensor *a, Tensor *b) { return tensors_only(BINARY_MAXIMUM, "maximum", a, b); }
Tensor *tensor_minimum(Tensor *a, Tensor *b) { return tensors_only(BINARY_MINIMUM, "minimum", a, b); }

/* Comparisons: computed in the promoted dtype, a bool result without grad */
Tensor *tensor_eq(Tensor *a, Tensor *b) { return binary_recorded(BINARY_EQ, a, b); }
Tensor *tensor_ne(Tensor *a, Tensor *b) { return binary_recorded(BINARY_NE, a, b); }
Tensor *tensor_lt(Tensor *a, Tensor *b) { return binary_recorded(BINARY_LT, a, b); }
Tensor *tensor_le(Tensor *a, Tensor *b) { return binary_recorded(BINARY_LE, a, b); }
Tensor *tensor_gt(Tensor *a, Tensor *b) { return binary_recorded(BINARY_GT, a, b); }
Tensor *tensor_ge(Tensor *a, Tensor *b) { return binary_recorded(BINARY_GE, a, b); }

/* Each row's dtype rule and bool error (kernels/op_table.h). */
static const struct {
    int rule;
    const char *bool_error;
} unary_rules[UNARY_OP_COUNT] = {
#define UNARY_RULE(ID, NAME, GRAD_NAME, SAVED, FN, RULE, BOOL_ERROR, ...) \
    [UNARY_##ID] = {OP_RULE_##RULE, BOOL_ERROR},
    UNARY_OP_LIST(UNARY_RULE)
#undef UNARY_RULE
};

static Tensor *unary_op(UnaryOp op, Tensor *t) {
    if (!t) return nb_error_null_tensor();
    DType dtype = t->dtype;
    if (dtype == DTYPE_BOOL && unary_rules[op].bool_error) {
        nb_error_set(ERR_VALUE, "%s", unary_rules[op].bool_error);
        return NULL;
    }
    /* sin, tanh, sqrt, ... of integers are computed in the default float type */
    if (unary_rules[op].rule == OP_RULE_FLOAT_RESULT && !nb_dtype_is_floating(dtype))
        dtype = DTYPE_DEFAULT_FLOAT;
    Device device = tensor_device(t);
    /* a small contiguous host tensor of the result's dtype: its row kernel
     * straight away (the result is contiguous, as TensorIterator makes it) */
    if (device == DEVICE_CPU && t->dtype == dtype && tensor_numel(t) <= SMALL_HOST_NUMEL &&
        tensor_is_contiguous(t)) {
        Tensor *out = tensor_empty(dtype, tensor_shape(t));
        if (!out) return NULL;
        if (cpu_unary_contiguous(op, out, t)) return out;
    }
    Tensor *in = to_dtype_on(t, dtype, device);
    if (!in) return nb_error_null_tensor();
    Tensor *out = layout_empty_like_inputs(device, dtype, tensor_shape(t), 1, (const Tensor *[]){t});
    if (!out) return NULL;
    if (backend_for(device)->unary(op, out, in) != 0) return NULL;
    return out;
}

static Tensor *unary_forward(Tensor *const *in, const int64_t *args) {
    return unary_op((UnaryOp)args[0], in[0]);
}

static Tensor *unary_recorded(UnaryOp op, Tensor *t) {
    return autograd_apply(&node_unary[op], unary_forward, 1, &t, (int64_t[]){op}, 1);
}

/* tensor_neg, tensor_sin, ..., tensor_tanh: one per row of the table */
#define UNARY_PUBLIC(ID, NAME, GRAD_NAME, SAVED, FN, ...) \
    Tensor *tensor_##FN(Tensor *t) { return unary_recorded(UNARY_##ID, t); }
UNARY_OP_LIST(UNARY_PUBLIC)
#undef UNARY_PUBLIC

Tensor *tensor_unary(UnaryOp op, Tensor *t) { return unary_recorded(op, t); }
Tensor *tensor_binary(BinaryOp op, Tensor *a, Tensor *b) {
    switch (op) {
    case BINARY_DIV: return tensor_div(a, b);
    case BINARY_MAXIMUM: return tensor_maximum(a, b);
    case BINARY_MINIMUM: return tensor_minimum(a, b);
    case BINARY_CLAMP_MIN: return tensor_clamp_min(a, b);
    case BINARY_CLAMP_MAX: return tensor_clamp_max(a, b);
    default: return binary_recorded(op, a, b);
    }
}

/* ---- where and clamp (elementwise, beyond the op table) ---- */

static Tensor *where_forward(Tensor *const *in, const int64_t *args) {
    (void)args;
    Tensor *c = in[0], *a = in[1], *b = in[2];
    if (c->dtype != DTYPE_BOOL) {
        nb_error_set(ERR_VALUE, "where expected condition to be a boolean tensor, but got a tensor with "
                                "dtype %s", nb_dtype_scalar_name(c->dtype));
        return NULL;
    }
    DType dtype = torch_result_type(a, b);
    Device device = DEVICE_CPU;
    Shape ca, shape;
    /* broadcast in ATen's order (expand_outplace): condition with a, then b */
    Device ab_device = DEVICE_CPU;
    if (common_device(a, b, &ab_device) != 0 || common_device(c, a, &device) != 0 ||
        common_device(c, b, &device) != 0 ||
        torch_broadcast_shapes(tensor_shape(c), tensor_shape(a), &ca) != 0 ||
        torch_broadcast_shapes(ca, tensor_shape(b), &shape) != 0)
        return NULL;
    device = ab_device == DEVICE_CPU ? device : ab_device; /* the condition may be a CPU scalar */
    Tensor *ec = broadcast_operand(to_dtype_on(c, DTYPE_BOOL, device), shape);
    Tensor *ea = broadcast_operand(to_dtype_on(a, dtype, device), shape);
    Tensor *eb = broadcast_operand(to_dtype_on(b, dtype, device), shape);
    if (!ec || !ea || !eb) return nb_error_null_tensor();
    Tensor *out = layout_empty_like_inputs(device, dtype, shape, 3, (const Tensor *[]){c, a, b});
    if (!out || backend_for(device)->where(out, ec, ea, eb) != 0) return NULL;
    return out;
}

/* torch.where(c, a, b): WhereBackward0 over (c, a, b); c, bool, never
 * gets a gradient, but is saved for a's and b's. */
Tensor *tensor_where(Tensor *cond, Tensor *a, Tensor *b) {
    if (!cond || !a || !b) return nb_error_null_tensor();
    return autograd_apply(&node_where, where_forward, 3, (Tensor *[]){cond, a, b}, NULL, 0);
}

/* ---- clamp ----
 * With Python-number bounds (a 0-d tensor beside one counts as its number,
 * as Python's argument parser makes it a Scalar) PyTorch's clamp kernels
 * are std::max(x, min) and std::min(x, max) whose vector bodies agree
 * with them on every value, nan and -0.0 included: clamp is clamp_max of
 * clamp_min. A nan bound with both given fills nan (clamp_out). With
 * tensor bounds, clamp_min and clamp_max are maximum and minimum; both
 * bounds are minimum(maximum(x, min), max), as clamp_kernel's vector
 * body. */

static bool is_number(const Tensor *t) { return t && (t->is_wrapped_number || t->ndim == 0); }

static Tensor *as_number(Tensor *t) {
    if (!t || t->is_wrapped_number) return t;
    return nb_dtype_is_floating(t->dtype) ? py_float(tensor_item(t))
           : t->dtype == DTYPE_BOOL        ? tensor_to_dtype(py_int((int64_t)tensor_item(t)), DTYPE_BOOL)
                                           : py_int((int64_t)tensor_item(t));
}

/* The dtype of clamp(t, lo, hi): t's when floating, else the promotion. */
static DType clamp_dtype(Tensor *t, Tensor *lo, Tensor *hi) {
    if (nb_dtype_is_floating(t->dtype)) return t->dtype;
    DType d = lo ? torch_result_type(t, lo) : t->dtype;
    if (hi) {
        Tensor probe = *t;
        probe.dtype = d;
        d = torch_result_type(&probe, hi);
    }
    return d;
}

enum { CLAMP_MIN = 1, CLAMP_MAX = 2 };

static Tensor *clamp_scalar_forward(Tensor *const *in, const int64_t *args) {
    Tensor *t = in[0];
    Tensor *lo = args[0] & CLAMP_MIN ? in[1] : NULL;
    Tensor *hi = args[0] & CLAMP_MAX ? in[args[0] & CLAMP_MIN ? 2 : 1] : NULL;
    DType dtype = clamp_dtype(t, lo, hi);
    if (dtype == DTYPE_BOOL) {
        nb_error_set(ERR_VALUE, "\"%s\" not implemented for 'Bool'",
                     lo && hi ? "clamp_scalar_cpu" : lo ? "clamp_min_cpu" : "clamp_max_scalar_cpu");
        return NULL;
    }
    Tensor *x = tensor_to_dtype(t, dtype);
    if (lo && hi && (tensor_item(lo) != tensor_item(lo) || tensor_item(hi) != tensor_item(hi)))
        return tensor_add(tensor_mul(x, py_float(0.0)), py_float(NAN));
    if (lo) x = binary_op(BINARY_CLAMP_MIN, x, lo);
    if (hi) x = binary_op(BINARY_CLAMP_MAX, x, hi);
    return x == t ? tensor_clone(t) : x;
}

static Tensor *clamp_tensor_forward(Tensor *const *in, const int64_t *args) {
    Tensor *t = in[0];
    Tensor *lo = args[0] & CLAMP_MIN ? in[1] : NULL;
    Tensor *hi = args[0] & CLAMP_MAX ? in[args[0] & CLAMP_MIN ? 2 : 1] : NULL;
    /* one tensor bound is maximum or minimum, which bool has */
    if (lo && hi && clamp_dtype(t, lo, hi) == DTYPE_BOOL) {
        nb_error_set(ERR_VALUE, "\"clamp_cpu\" not implemented for 'Bool'");
        return NULL;
    }
    Tensor *x = t;
    if (lo && hi) x = tensor_to_dtype(t, clamp_dtype(t, lo, hi));
    if (lo) x = binary_op(BINARY_MAXIMUM, x, lo);
    if (hi) x = binary_op(BINARY_MINIMUM, x, hi);
    return x;
}

/* which: the overload's grad_fn kinds, [scalar, tensor] */
static Tensor *clamp_any(Tensor *t, Tensor *lo, Tensor *hi, const NodeKind *scalar_kind,
                         const NodeKind *tensor_kind) {
    if (!t) return nb_error_null_tensor();
    if (!lo && !hi) {
        nb_error_set(ERR_VALUE, "torch.clamp: At least one of 'min' or 'max' must not be None");
        return NULL;
    }
    int64_t which = (lo ? CLAMP_MIN : 0) | (hi ? CLAMP_MAX : 0);
    bool tensors = (!lo || !lo->is_wrapped_number) && (!hi || !hi->is_wrapped_number);
    bool numbers = (!lo || is_number(lo)) && (!hi || is_number(hi));
    Tensor *in[3] = {t, NULL, NULL};
    int n = 1;
    if (tensors) {
        if (lo) in[n++] = lo;
        if (hi) in[n++] = hi;
        return autograd_apply(tensor_kind, clamp_tensor_forward, n, in, &which, 1);
    }
    if (!numbers) {
        nb_error_set(ERR_VALUE, "clamp(): argument 'min' must be Number, not Tensor");
        return NULL;
    }
    if (lo) in[n++] = as_number(lo);
    if (hi) in[n++] = as_number(hi);
    for (int i = 1; i < n; i++)
        if (!in[i]) return nb_error_null_tensor();
    return autograd_apply(scalar_kind, clamp_scalar_forward, n, in, &which, 1);
}

Tensor *tensor_clamp(Tensor *t, Tensor *min, Tensor *max) {
    return clamp_any(t, min, max, &node_clamp_scalar, &node_clamp_tensor);
}
Tensor *tensor_clamp_min(Tensor *t, Tensor *min) {
    if (!min) return nb_error_null_tensor();
    return clamp_any(t, min, NULL, &node_binary[BINARY_CLAMP_MIN], &node_clamp_min_tensor);
}
Tensor *tensor_clamp_max(Tensor *t, Tensor *max) {
    if (!max) return nb_error_null_tensor();
    return clamp_any(t, NULL, max, &node_binary[BINARY_CLAMP_MAX], &node_clamp_max_tensor);
}
