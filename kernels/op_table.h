/* op_table: the one list of elementwise operations, each with its
 * derivative written beside it. Each backend implements every row; the
 * front end (src/ops.c) dispatches on it and autograd (src/derivatives.c)
 * turns the derivative columns into backward functions.
 *
 * Derivatives are expressions in forward ops, so backward runs on whatever
 * device the forward ran on. Names in scope: g (the output's gradient),
 * x (a unary op's input), a and b (a binary op's inputs). A binary op's
 * gradients are computed at the broadcast shape; autograd sums them back to
 * each input's shape and dtype in one place.
 *
 * The "saved" column names what backward needs (kept until backward
 * unless the graph is retained): inputs, and for ops whose derivative
 * PyTorch writes with the output (tanh, sigmoid, relu, sqrt) the result r,
 * kept without its grad_fn as PyTorch's is_output SavedVariable, so the
 * output and its node do not own each other. An op that saves nothing can
 * be back-propagated twice, as in PyTorch.
 *
 * Unary rows: X(ID, torch name, grad_fn name PyTorch 1.13 prints, saved,
 *               C name (tensor_<C name> is generated), dtype rule,
 *               error for a bool input (NULL: none), d/dx)
 * Dtype rules: FLOAT_RESULT  integer and bool inputs compute in the default
 *                            float (sin); SAME_DTYPE  int64 and floats keep
 *                            their dtype (neg, abs, relu). Names in the
 *                            derivative: g, x, r (the result). */
#ifndef NB_OP_TABLE_H
#define NB_OP_TABLE_H

#define SAVES_NONE 0u
#define SAVES_X 1u
#define SAVES_A 1u
#define SAVES_B 2u
#define SAVES_RESULT 0x80u

#define UNARY_OP_LIST(X)                                                                          \
    X(NEG, "neg", "NegBackward0", SAVES_NONE, neg, SAME_DTYPE, NEG_BOOL_ERROR, tensor_neg(g))     \
    X(SIN, "sin", "SinBackward0", SAVES_X, sin, FLOAT_RESULT, NULL, tensor_mul(g, tensor_cos(x)))  \
    X(COS, "cos", "CosBackward0", SAVES_X, cos, FLOAT_RESULT, NULL,                               \
      tensor_mul(g, tensor_neg(tensor_sin(x))))                                                   \
    X(EXP, "exp", "ExpBackward0", SAVES_X, exp, FLOAT_RESULT, NULL, tensor_mul(g, tensor_exp(x)))  \
    X(LOG, "log", "LogBackward0", SAVES_X, log, FLOAT_RESULT, NULL, tensor_div(g, x))             \
    X(TANH, "tanh", "TanhBackward0", SAVES_RESULT, tanh, FLOAT_RESULT, NULL,                      \
      tensor_binary(BINARY_TANH_BACKWARD, g, r))                                                  \
    X(SIGMOID, "sigmoid", "SigmoidBackward0", SAVES_RESULT, sigmoid, FLOAT_RESULT, NULL,          \
      tensor_mul(tensor_mul(g, tensor_sub(py_int(1), r)), r))                                     \
    X(RELU, "relu", "ReluBackward0", SAVES_RESULT, relu, SAME_DTYPE,                              \
      "Boolean inputs not supported for relu", relu_backward(g, r))                              \
    X(SQRT, "sqrt", "SqrtBackward0", SAVES_RESULT, sqrt, FLOAT_RESULT, NULL,                      \
      tensor_div(g, tensor_mul(py_int(2), r)))                                                    \
    X(ABS, "abs", "AbsBackward0", SAVES_X, abs, SAME_DTYPE, "\"abs_cpu\" not implemented for 'Bool'", \
      tensor_mul(g, sgn(x)))

#define NEG_BOOL_ERROR                                                                            \
    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert " \
    "a mask, use the `~` or `logical_not()` operator instead."

/* Binary rows: X(ID, torch name, grad_fn name, saved, C name, result,
 *                d/da, d/db)
 * A row without a grad_fn name is not differentiated: a comparison, or
 * tanh_backward (g * (1 - r * r) as ATen's kernel computes it, with a
 * fused multiply-add), which tanh's derivative calls.
 * Results: SAME_DTYPE  the promoted dtype of a and b; BOOL_RESULT
 * computed in the promoted dtype, a bool result that never requires grad
 * (its derivatives are never called). Names in the derivatives: g, a, b. */
#define BINARY_OP_LIST(X)                                                                        \
    X(ADD, "add", "AddBackward0", SAVES_NONE, add, SAME_DTYPE, g, g)                             \
    X(SUB, "sub", "SubBackward0", SAVES_NONE, sub, SAME_DTYPE, g, tensor_neg(g))                 \
    X(MUL, "mul", "MulBackward0", SAVES_A | SAVES_B, mul, SAME_DTYPE, tensor_mul(g, b),          \
      tensor_mul(g, a))                                                                          \
    X(DIV, "div", "DivBackward0", SAVES_A | SAVES_B, div, SAME_DTYPE, tensor_div(g, b),          \
      tensor_mul(tensor_neg(g), tensor_div(tensor_div(a, b), b)))                                \
    X(POW, "pow", "PowBackward1", SAVES_A | SAVES_B, pow, SAME_DTYPE, pow_backward_base(g, a, b), \
      pow_backward_exponent(g, a, b))                                                            \
    X(MAXIMUM, "maximum", "MaximumBackward0", SAVES_A | SAVES_B, maximum, SAME_DTYPE,            \
      masked_zero(tie_halved(g, a, b), tensor_lt(a, b)),                                        \
      masked_zero(tie_halved(g, a, b), tensor_gt(a, b)))                                        \
    X(MINIMUM, "minimum", "MinimumBackward0", SAVES_A | SAVES_B, minimum, SAME_DTYPE,            \
      masked_zero(tie_halved(g, a, b), tensor_gt(a, b)),                                        \
      masked_zero(tie_halved(g, a, b), tensor_lt(a, b)))                                        \
    X(CLAMP_MIN, "clamp_min", "ClampMinBackward0", SAVES_A | SAVES_B, clamp_min_number, SAME_DTYPE, \
      tensor_where(tensor_ge(a, b), g, py_int(0)), NULL)                                        \
    X(CLAMP_MAX, "clamp_max", "ClampMaxBackward0", SAVES_A | SAVES_B, clamp_max_number, SAME_DTYPE, \
      tensor_where(tensor_le(a, b), g, py_int(0)), NULL)                                        \
    X(TANH_BACKWARD, "tanh_backward", NULL, SAVES_NONE, tanh_backward, SAME_DTYPE, NULL, NULL)    \
    X(EQ, "eq", NULL, SAVES_NONE, eq, BOOL_RESULT, NULL, NULL)                                   \
    X(NE, "ne", NULL, SAVES_NONE, ne, BOOL_RESULT, NULL, NULL)                                   \
    X(LT, "lt", NULL, SAVES_NONE, lt, BOOL_RESULT, NULL, NULL)                                   \
    X(LE, "le", NULL, SAVES_NONE, le, BOOL_RESULT, NULL, NULL)                                   \
    X(GT, "gt", NULL, SAVES_NONE, gt, BOOL_RESULT, NULL, NULL)                                   \
    X(GE, "ge", NULL, SAVES_NONE, ge, BOOL_RESULT, NULL, NULL)

/* The dtype rules as values (OP_RULE_##rule). */
#define OP_RULE_FLOAT_RESULT 0
#define OP_RULE_SAME_DTYPE 1
#define OP_RULE_BOOL_RESULT 2

typedef enum {
#define UNARY_ENUM(ID, ...) UNARY_##ID,
    UNARY_OP_LIST(UNARY_ENUM)
#undef UNARY_ENUM
    UNARY_OP_COUNT
} UnaryOp;

typedef enum {
#define BINARY_ENUM(ID, ...) BINARY_##ID,
    BINARY_OP_LIST(BINARY_ENUM)
#undef BINARY_ENUM
    BINARY_OP_COUNT
} BinaryOp;

#endif
