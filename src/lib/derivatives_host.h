/* derivatives_host: a few derivative formulas as one host loop each, for
 * small CPU tensors, doing per element exactly the operations the separate
 * ops would (the same kernels' scalar paths, each intermediate rounded to
 * the dtype), so the bits are the ops' own. Each returns NULL without
 * setting an error when its operands do not qualify (then the caller runs
 * the ops); on an allocation failure NULL with the error set. */
#ifndef NB_DERIVATIVES_HOST_H
#define NB_DERIVATIVES_HOST_H

#include "op_table.h"
#include "tensor.h"

/* pow_backward with a Python-number exponent e (e != 0):
 * g * (e * a.pow(e - 1)), for g and a float32/float64 of one dtype and
 * shape, contiguous, on the host. */
Tensor *host_pow_backward(Tensor *g, Tensor *a, double e);

/* d/dx of sin, cos, exp and log: g * cos(x), g * -sin(x), g * exp(x),
 * g / x, for g and x as above. */
Tensor *host_unary_backward(UnaryOp op, Tensor *g, Tensor *x);

#endif
