/* cpu_vec: ATen's Vectorized<float>/<double> math on this machine's CPU
 * capability (cpu_capability.h): SLEEF's AVX2 or AVX-512 functions, or libm
 * value by value under DEFAULT, exactly as ATen's vectors compute them. */
#ifndef NB_CPU_VEC_H
#define NB_CPU_VEC_H

#include <stdint.h>

/* ATen's VML-style functions (every value through the vector function):
 * X(op-table ID, C name). SLEEF's u10 function of that name backs the AVX2
 * and AVX-512 paths, libm's the DEFAULT one, and cpu_elementwise.c makes
 * the op-table row's float kernels from it: a new VML op is one line here. */
#define VEC_FN_LIST(X) \
    X(SIN, sin)        \
    X(COS, cos)        \
    X(EXP, exp)        \
    X(LOG, log)        \
    X(TANH, tanh)

typedef enum {
#define VEC_ENUM(ID, NAME) VEC_##ID,
    VEC_FN_LIST(VEC_ENUM)
#undef VEC_ENUM
} VecFn;

/* Values in one vector of elem_size-byte elements. */
int vec_lanes(int elem_size);

/* y[i] = f(x[i]), i < n, as ATen's vec::map: whole vectors, then the rest
 * as one partial vector. Each lane is computed on its own, so the result
 * does not depend on where a vector starts. */
void vec_map_f64(VecFn f, double *y, const double *x, int64_t n);
void vec_map_f32(VecFn f, float *y, const float *x, int64_t n);

/* y[i] = Vectorized::pow(x[i], e[i]), i < n, n a multiple of the lanes;
 * a step of 0 repeats element 0 (a broadcast scalar), else it is 1. */
void vec_pow_f64(double *y, const double *x, int64_t x_step, const double *e, int64_t e_step,
                 int64_t n);
void vec_pow_f32(float *y, const float *x, int64_t x_step, const float *e, int64_t e_step,
                 int64_t n);

#endif
