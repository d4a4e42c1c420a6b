/* ops: the front end of the elementwise operations: argument
 * checks, type promotion (torch.result_type), broadcasting, then one call
 * into the backend of the inputs' device. */
#include "ops.h"

#include "backend.h"
#include "derivatives.h"
#include "layout.h"
#include "error.h"

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

static Tensor *binary_op(BinaryOp op, Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    DType dtype = torch_result_type(a, b);
    /* true division of integers computes in floating point */
    if (op == BINARY_DIV && !nb_dtype_is_floating(dtype)) dtype = DTYPE_DEFAULT_FLOAT;
    Device device = DEVICE_CPU;
    Shape shape;
    if (check_binary_dtypes(op, a, b, dtype) != 0 || common_device(a, b, &device) != 0 ||
        torch_broadcast_shapes(tensor_shape(a), tensor_shape(b), &shape) != 0)
        return NULL;
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
    Tensor *ea = tensor_expand(to_dtype_on(a, dtype, device), shape);
    Tensor *eb = tensor_expand(to_dtype_on(b, exponent_dtype, device), shape);
    if (!ea || !eb) return nb_error_null_tensor();
    /* pow(Tensor, Scalar) iterates over the base alone */
    bool base_alone = op == BINARY_POW && b->is_wrapped_number;
    Tensor *out = layout_empty_like_inputs(device, dtype, shape, base_alone ? 1 : 2,
                                           (const Tensor *[]){a, b});
    if (!out) return NULL;
    eb->is_wrapped_number = scalar_exponent;
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

static Tensor *unary_op(UnaryOp op, Tensor *t) {
    if (!t) return nb_error_null_tensor();
    DType dtype = t->dtype;
    if (op == UNARY_NEG && dtype == DTYPE_BOOL) {
        nb_error_set(ERR_VALUE, "Negation, the `-` operator, on a bool tensor is not supported. If you "
                             "are trying to invert a mask, use the `~` or `logical_not()` operator "
                             "instead.");
        return NULL;
    }
    /* sin, cos, exp, log of integers are computed in the default float type */
    if (op != UNARY_NEG && !nb_dtype_is_floating(dtype)) dtype = DTYPE_DEFAULT_FLOAT;
    Device device = tensor_device(t);
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

Tensor *tensor_neg(Tensor *t) { return unary_recorded(UNARY_NEG, t); }
Tensor *tensor_sin(Tensor *t) { return unary_recorded(UNARY_SIN, t); }
Tensor *tensor_cos(Tensor *t) { return unary_recorded(UNARY_COS, t); }
Tensor *tensor_exp(Tensor *t) { return unary_recorded(UNARY_EXP, t); }
Tensor *tensor_log(Tensor *t) { return unary_recorded(UNARY_LOG, t); }
