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

/* Reductions */
Tensor *tensor_sum(Tensor *t); /* all elements, 0-d result */
/* Tensor.sum_to_size: sums the dimensions that `shape` broadcasts over, so
 * the result has `shape` (how autograd undoes broadcasting) */
Tensor *tensor_sum_to_size(Tensor *t, Shape shape);

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
