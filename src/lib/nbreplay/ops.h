/* ops: the tensor operations, as PyTorch names them. Each call checks its
 * arguments (PyTorch's wording on error), applies type promotion and
 * broadcasting, and dispatches to the backend of the inputs' device. */
#ifndef NB_OPS_H
#define NB_OPS_H

#include "tensor.h"

/* Elementwise, with broadcasting and type promotion. Python scalars enter
 * as py_float()/py_int(): 5.*T is tensor_mul(py_float(5.), T). */
Tensor *tensor_add(Tensor *a, Tensor *b);
Tensor *tensor_sub(Tensor *a, Tensor *b);
Tensor *tensor_mul(Tensor *a, Tensor *b);
Tensor *tensor_div(Tensor *a, Tensor *b); /* true division */
Tensor *tensor_pow(Tensor *base, Tensor *exponent);
Tensor *tensor_reciprocal(Tensor *t); /* 1 / t */
Tensor *tensor_neg(Tensor *t);
Tensor *tensor_sin(Tensor *t);
Tensor *tensor_cos(Tensor *t);
Tensor *tensor_exp(Tensor *t);
Tensor *tensor_log(Tensor *t);
Tensor *tensor_tanh(Tensor *t);
Tensor *tensor_sigmoid(Tensor *t);
Tensor *tensor_relu(Tensor *t);
Tensor *tensor_sqrt(Tensor *t);
Tensor *tensor_abs(Tensor *t);
/* torch.clamp: each bound a tensor, a Python number (py_float, py_int) or
 * NULL for none (not both) */
Tensor *tensor_clamp(Tensor *t, Tensor *min, Tensor *max);
Tensor *tensor_clamp_min(Tensor *t, Tensor *min);
Tensor *tensor_clamp_max(Tensor *t, Tensor *max);
/* a == b, !=, <, <=, >, >=: bool results, never requiring grad */
Tensor *tensor_eq(Tensor *a, Tensor *b);
Tensor *tensor_ne(Tensor *a, Tensor *b);
Tensor *tensor_lt(Tensor *a, Tensor *b);
Tensor *tensor_le(Tensor *a, Tensor *b);
Tensor *tensor_gt(Tensor *a, Tensor *b);
Tensor *tensor_ge(Tensor *a, Tensor *b);
/* torch.where(cond, a, b): cond bool; a, b tensors or Python numbers */
Tensor *tensor_where(Tensor *cond, Tensor *a, Tensor *b);
/* torch.maximum, torch.minimum: tensors only; nan propagates */
Tensor *tensor_maximum(Tensor *a, Tensor *b);
Tensor *tensor_minimum(Tensor *a, Tensor *b);

/* Reductions */
Tensor *tensor_sum(Tensor *t); /* all elements, 0-d result */
/* Tensor.sum_to_size: sums the dimensions that `shape` broadcasts over, so
 * the result has `shape` (how autograd undoes broadcasting) */
Tensor *tensor_sum_to_size(Tensor *t, Shape shape);
/* t.sum(dim, keepdim): int64 for integer and bool t, as sum() */
Tensor *tensor_sum_dim(Tensor *t, int dim, bool keepdim);
/* t.mean(), t.mean(dim, keepdim): floating t only, as PyTorch */
Tensor *tensor_mean(Tensor *t);
Tensor *tensor_mean_dim(Tensor *t, int dim, bool keepdim);
/* t.max(), t.min(): the largest/smallest element, NaN if there is one */
Tensor *tensor_max(Tensor *t);
Tensor *tensor_min(Tensor *t);
/* t.argmax(), t.argmin(): the flat index of the first largest/smallest
 * element (NaN first); the _dim forms index along `dim`. int64 results. */
Tensor *tensor_argmax(Tensor *t);
Tensor *tensor_argmax_dim(Tensor *t, int dim, bool keepdim);
Tensor *tensor_argmin(Tensor *t);
Tensor *tensor_argmin_dim(Tensor *t, int dim, bool keepdim);

/* Linear algebra */
Tensor *tensor_dot(Tensor *a, Tensor *b);
Tensor *tensor_mv(Tensor *mat, Tensor *vec);
Tensor *tensor_mm(Tensor *a, Tensor *b);
Tensor *tensor_bmm(Tensor *a, Tensor *b);
Tensor *tensor_matmul(Tensor *a, Tensor *b);
Tensor *tensor_outer(Tensor *a, Tensor *b); /* torch.ger is its old name */
#define tensor_ger tensor_outer

/* The broadcast shape of a and b, with PyTorch's error when there is none. */
int torch_broadcast_shapes(Shape a, Shape b, Shape *out);
/* torch.result_type(a, b) */
DType torch_result_type(const Tensor *a, const Tensor *b);

#endif
