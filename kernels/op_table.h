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
 * The "saved" column names the inputs backward needs (kept until backward
 * unless the graph is retained): an op that saves nothing can be
 * back-propagated twice, as in PyTorch.
 *
 * X(ID, torch name, grad_fn name PyTorch 1.13 prints, saved, d/dx) */
#ifndef NB_OP_TABLE_H
#define NB_OP_TABLE_H

#define SAVES_NONE 0u
#define SAVES_X 1u
#define SAVES_A 1u
#define SAVES_B 2u

#define UNARY_OP_LIST(X)                                                            \
    X(NEG, "neg", "NegBackward0", SAVES_NONE, tensor_neg(g))                        \
    X(SIN, "sin", "SinBackward0", SAVES_X, tensor_mul(g, tensor_cos(x)))            \
    X(COS, "cos", "CosBackward0", SAVES_X, tensor_mul(g, tensor_neg(tensor_sin(x)))) \
    X(EXP, "exp", "ExpBackward0", SAVES_X, tensor_mul(g, tensor_exp(x)))            \
    X(LOG, "log", "LogBackward0", SAVES_X, tensor_div(g, x))

/* X(ID, torch name, grad_fn name, saved, d/da, d/db) */
#define BINARY_OP_LIST(X)                                                                 \
    X(ADD, "add", "AddBackward0", SAVES_NONE, g, g)                                       \
    X(SUB, "sub", "SubBackward0", SAVES_NONE, g, tensor_neg(g))                           \
    X(MUL, "mul", "MulBackward0", SAVES_A | SAVES_B, tensor_mul(g, b), tensor_mul(g, a))  \
    X(DIV, "div", "DivBackward0", SAVES_A | SAVES_B, tensor_div(g, b),                    \
      tensor_mul(tensor_neg(g), tensor_div(tensor_div(a, b), b)))                         \
    X(POW, "pow", "PowBackward1", SAVES_A | SAVES_B, pow_backward_base(g, a, b),          \
      pow_backward_exponent(g, a, b))

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
