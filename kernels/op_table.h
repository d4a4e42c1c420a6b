/* op_table: the one list of elementwise operations. Each backend implements
 * every row; the front end (src/ops.c) and autograd read names from here.
 * X(ID, torch name, grad_fn name PyTorch 1.13 prints) */
#ifndef NB_OP_TABLE_H
#define NB_OP_TABLE_H

#define UNARY_OP_LIST(X)                 \
    X(NEG, "neg", "NegBackward0")        \
    X(SIN, "sin", "SinBackward0")        \
    X(COS, "cos", "CosBackward0")        \
    X(EXP, "exp", "ExpBackward0")        \
    X(LOG, "log", "LogBackward0")

#define BINARY_OP_LIST(X)                \
    X(ADD, "add", "AddBackward0")        \
    X(SUB, "sub", "SubBackward0")        \
    X(MUL, "mul", "MulBackward0")        \
    X(DIV, "div", "DivBackward0")        \
    X(POW, "pow", "PowBackward1")

typedef enum {
#define UNARY_ENUM(ID, NAME, GRAD) UNARY_##ID,
    UNARY_OP_LIST(UNARY_ENUM)
#undef UNARY_ENUM
    UNARY_OP_COUNT
} UnaryOp;

typedef enum {
#define BINARY_ENUM(ID, NAME, GRAD) BINARY_##ID,
    BINARY_OP_LIST(BINARY_ENUM)
#undef BINARY_ENUM
    BINARY_OP_COUNT
} BinaryOp;

#endif
