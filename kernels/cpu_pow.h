/* cpu_pow: float32/float64 pow as PyTorch 1.13's CPU kernels compute it
 * (PowKernel.cpp), bit for bit. */
#ifndef NB_CPU_POW_H
#define NB_CPU_POW_H

#include <stdbool.h>
#include <stdint.h>

#include "tensor.h"

/* out = base ** exponent, all of out's shape and float dtype, but for an
 * exponent marked is_wrapped_number: a Python number (pow(Tensor, Scalar)),
 * float64 whatever out's dtype. 0, or -1 with the error set when scratch
 * memory is short. */
int cpu_pow_float(Tensor *out, const Tensor *base, const Tensor *exponent);

/* One value of pow(Tensor, Python number e), for a host loop that must
 * give the op's bits: valid for a contiguous run of n values of elem_size
 * bytes when cpu_pow_scalar_elementwise(n, elem_size, e) (a shortcut, or a
 * run shorter than the vector body's step, so every value takes the scalar
 * body); the same expressions as the kernel's. */
bool cpu_pow_scalar_elementwise(int64_t n, int elem_size, double e);
double cpu_pow_scalar_f64(double x, double e);
float cpu_pow_scalar_f32(float x, double e);

#endif
