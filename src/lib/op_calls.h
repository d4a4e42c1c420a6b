/* op_calls: the op table's rows as calls, for code that walks the table
 * (tests, the generated tensor_<name> of each unary row). */
#ifndef NB_OP_CALLS_H
#define NB_OP_CALLS_H

#include "op_table.h"
#include "tensor.h"

/* tensor_neg, tensor_tanh, ...: one per unary row (src/lib/ops.c) */
#define OP_CALLS_DECLARE(ID, NAME, GRAD_NAME, SAVED, FN, ...) Tensor *tensor_##FN(Tensor *t);
UNARY_OP_LIST(OP_CALLS_DECLARE)
#undef OP_CALLS_DECLARE

/* The row `op` applied as its public call is. */
Tensor *tensor_unary(UnaryOp op, Tensor *t);
Tensor *tensor_binary(BinaryOp op, Tensor *a, Tensor *b);

#endif
