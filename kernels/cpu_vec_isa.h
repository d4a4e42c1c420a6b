/* cpu_vec_isa: the per-instruction-set halves of cpu_vec.c, each in a file
 * compiled for its instruction set (meson.build) and called only when
 * cpu_capability() allows it. Arguments as in cpu_vec.h. */
#ifndef NB_CPU_VEC_ISA_H
#define NB_CPU_VEC_ISA_H

#include "cpu_vec.h"

#define VEC_ISA_DECLARE(ISA)                                                                   \
    void vec_##ISA##_map_f64(VecFn f, double *y, const double *x, int64_t n);                  \
    void vec_##ISA##_map_f32(VecFn f, float *y, const float *x, int64_t n);                    \
    void vec_##ISA##_pow_f64(double *y, const double *x, int64_t x_step, const double *e,      \
                             int64_t e_step, int64_t n);                                       \
    void vec_##ISA##_pow_f32(float *y, const float *x, int64_t x_step, const float *e,         \
                             int64_t e_step, int64_t n);
VEC_ISA_DECLARE(avx2)
VEC_ISA_DECLARE(avx512)
#undef VEC_ISA_DECLARE

#endif
