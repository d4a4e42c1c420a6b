/* cpu_pow: float32/float64 pow as PyTorch 1.13's CPU kernels compute it
 * (PowKernel.cpp), bit for bit. */
#ifndef NB_CPU_POW_H
#define NB_CPU_POW_H

#include "tensor.h"

/* out = base ** exponent, all of out's shape and float dtype, but for an
 * exponent marked is_wrapped_number: a Python number (pow(Tensor, Scalar)),
 * float64 whatever out's dtype. 0, or -1 with the error set when scratch
 * memory is short. */
int cpu_pow_float(Tensor *out, const Tensor *base, const Tensor *exponent);

#endif
