/* reduce_op_table: the reductions other than sum that a backend computes
 * through its one `reduce` entry (src/lib/backend.h): id and torch name
 * (the name of the CPU kernel in PyTorch's "..._cpu not implemented"
 * errors). Values: max/min over every element; indices: the first
 * position of the largest/smallest along the reduced dimensions, NaN
 * counting as beyond every number (ATen's GreaterOrNan/LessOrNan). */
#ifndef NB_REDUCE_OP_TABLE_H
#define NB_REDUCE_OP_TABLE_H

#define REDUCE_OP_LIST(X) \
    X(MAX, "max")         \
    X(MIN, "min")         \
    X(ARGMAX, "argmax")   \
    X(ARGMIN, "argmin")

typedef enum {
#define REDUCE_ENUM(ID, NAME) REDUCE_##ID,
    REDUCE_OP_LIST(REDUCE_ENUM)
#undef REDUCE_ENUM
        REDUCE_OP_COUNT
} ReduceOp;

/* whether op gives indices (int64) rather than values of the input's dtype */
#define REDUCE_GIVES_INDEX(op) ((op) == REDUCE_ARGMAX || (op) == REDUCE_ARGMIN)
/* whether op looks for the largest element */
#define REDUCE_IS_MAX(op) ((op) == REDUCE_MAX || (op) == REDUCE_ARGMAX)

#endif
