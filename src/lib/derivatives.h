/* derivatives: the backward of every differentiable op, as node kinds. The
 * elementwise ones are generated from the derivative columns of
 * kernels/op_table.h. */
#ifndef NB_DERIVATIVES_H
#define NB_DERIVATIVES_H

#include "op_table.h"
#include "autograd_record.h"

extern const NodeKind node_unary[UNARY_OP_COUNT];
extern const NodeKind node_binary[BINARY_OP_COUNT];
extern const NodeKind node_pow_scalar; /* pow with a Python-number exponent */
extern const NodeKind node_rsub;       /* a Python number minus a tensor */
extern const NodeKind node_reciprocal; /* 1 / x, and so a Python number over a tensor */
extern const NodeKind node_sum, node_sum_dims, node_dot, node_mv, node_mm, node_bmm;
extern const NodeKind node_select, node_slice, node_transpose, node_expand, node_view,
    node_reshape_alias, node_unsafe_view, node_unsqueeze, node_squeeze, node_squeeze_inplace,
    node_alias, node_to_copy, node_clone;
/* reductions over a dimension, means, max/min of everything (src/lib/reduce.c) */
extern const NodeKind node_mean, node_mean_dim, node_max_all, node_min_all;
/* shape ops: permute, t, and the joins (one node for all their inputs) */
extern const NodeKind node_permute, node_t, node_cat, node_stack;

/* torch.where; clamp's overloads: Python-number bounds, tensor bounds */
extern const NodeKind node_where;
/* (clamp_min and clamp_max by a number are node_binary's CLAMP_MIN, CLAMP_MAX) */
extern const NodeKind node_clamp_scalar, node_clamp_tensor, node_clamp_min_tensor,
    node_clamp_max_tensor;

#endif
